package io.ivp2p.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.ivp2p.bridge.IvError;
import io.ivp2p.bridge.IvException;

/** iv_avt_p2p_set_buf_watermark: low <= warn <= high (unsigned size_t), or all three 0. */
class WatermarksTest {

    @ParameterizedTest(name = "low={0} warn={1} high={2} is accepted")
    @CsvSource({
            "204800, 409600, 512000",
            "1, 1, 1",
            "0, 0, 1",
            "0, 5, 5",
            "5, 5, 10",
            "0, 0, -1",
            "100, 200, -1",
            "-2, -2, -1",
            "-1, -1, -1"})
    void orderedMarksAreAcceptedAndKept(long low, long warn, long high) {
        Watermarks w = new Watermarks(low, warn, high);
        assertEquals(low, w.low());
        assertEquals(warn, w.warn());
        assertEquals(high, w.high());
        assertTrue(w.enabled());
    }

    @Test
    void allZeroIsAcceptedAndMeansDisabled() {
        Watermarks w = new Watermarks(0, 0, 0);
        assertFalse(w.enabled());
        assertEquals(Watermarks.DISABLED, w);
        assertFalse(Watermarks.DISABLED.enabled());
    }

    @ParameterizedTest(name = "low={0} warn={1} high={2} is refused")
    @CsvSource({
            "512000, 409600, 204800",
            "2, 1, 3",
            "1, 3, 2",
            "1, 0, 0",
            "0, 1, 0",
            "-1, 5, 10",
            "0, -1, 5",
            "1, 2, 0"})
    void unorderedMarksAreRefusedWithInputParamInvalid(long low, long warn, long high) {
        IvException e = assertThrows(IvException.class, () -> new Watermarks(low, warn, high));
        assertEquals(IvError.AVT_INPUT_PARAM_INVAILD, e.error());
        assertEquals(-310, e.error().code());
    }

    @Test
    void sizeMaxAsHighIsComparedUnsignedAndAcceptedAboveASmallWarn() {
        Watermarks w = new Watermarks(1, 5, -1L);
        assertEquals(-1L, w.high());
        assertTrue(w.enabled());
    }

    @Test
    void sizeMaxAsLowIsComparedUnsignedAndRefusedBelowAWarnOf5() {
        IvException e = assertThrows(IvException.class, () -> new Watermarks(-1L, 5, 10));
        assertEquals(IvError.AVT_INPUT_PARAM_INVAILD, e.error());
        assertTrue(e.getMessage().contains("18446744073709551615"),
                "message should show the unsigned value: " + e.getMessage());
    }
}
