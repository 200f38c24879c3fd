package io.ivp2p.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Java failures to IV_ERR_* codes. */
class ErrorMapTest {

    /** An exception whose toString and getMessage both throw. */
    private static class HostileException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new IllegalStateException("getMessage exploded");
        }

        @Override
        public String toString() {
            throw new IllegalStateException("toString exploded");
        }
    }

    private static final class HostileStateException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new UnsupportedOperationException("getMessage exploded");
        }

        @Override
        public String toString() {
            throw new UnsupportedOperationException("toString exploded");
        }
    }

    @ParameterizedTest(name = "IvException({0}) maps to its own code")
    @EnumSource(IvError.class)
    void ivExceptionMapsToItsOwnCode(IvError error) {
        IvException e = new IvException(error, "m");
        assertEquals(error, ErrorMap.errorFor(e));
        assertEquals(error.code(), ErrorMap.report("op", e));
    }

    @Test
    void illegalArgumentExceptionMapsToInputParamInvalidMinus310() {
        assertEquals(-310, ErrorMap.report("op", new IllegalArgumentException("x")));
    }

    @Test
    void aSubclassOfIllegalArgumentExceptionAlsoMapsToMinus310() {
        assertEquals(-310, ErrorMap.report("op", new NumberFormatException("x")));
    }

    @Test
    void illegalStateExceptionMapsToStateErrorMinus312() {
        assertEquals(-312, ErrorMap.report("op", new IllegalStateException("x")));
    }

    @Test
    void outOfMemoryErrorMapsToSysMallocFailMinus108() {
        assertEquals(-108, ErrorMap.report("op", new OutOfMemoryError("x")));
    }

    @Test
    void timeoutExceptionMapsToSendDataTimeoutMinus311() {
        assertEquals(-311, ErrorMap.report("op", new TimeoutException("x")));
    }

    @Test
    void plainRuntimeExceptionMapsToFailedMinus308() {
        assertEquals(-308, ErrorMap.report("op", new RuntimeException("x")));
    }

    @Test
    void checkedExceptionAndOtherErrorsMapToFailedMinus308() {
        assertEquals(-308, ErrorMap.report("op", new IOException("x")));
        assertEquals(-308, ErrorMap.report("op", new StackOverflowError()));
        assertEquals(-308, ErrorMap.report("op", new NullPointerException()));
    }

    @Test
    void reportNeverThrowsForAnExceptionWhoseToStringThrows() {
        assertEquals(-308, ErrorMap.report("op", new HostileException()));
    }

    @Test
    void reportStillMapsByClassWhenToStringThrows() {
        assertEquals(-312, ErrorMap.report("op", new HostileStateException()));
    }

    @Test
    void errorForAgreesWithReport() {
        assertEquals(IvError.AVT_STATE_ERROR, ErrorMap.errorFor(new IllegalStateException()));
        assertEquals(IvError.AVT_SEND_DATA_TIMEOUT, ErrorMap.errorFor(new TimeoutException()));
        assertEquals(IvError.AVT_FAILED, ErrorMap.errorFor(new Throwable()));
    }
}
