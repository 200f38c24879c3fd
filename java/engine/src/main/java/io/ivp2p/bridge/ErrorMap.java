package io.ivp2p.bridge;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one table that turns a Java failure into the {@code IV_ERR_*} code an exported C function
 * returns. Every {@link NativeEntry} method funnels its failures through {@link #report}; the C
 * shim only has a backstop for errors the VM raises around the call (native/bridge_errors.h).
 *
 * <p>{@link IvException}s carry their own code (validation, state and lookup failures, with a
 * message for the firmware developer). Everything else is an engine bug or a resource problem and
 * is logged with its stack trace.
 */
public final class ErrorMap {
    private static final Logger log = LoggerFactory.getLogger(ErrorMap.class);

    /** First match wins, so more specific classes come first. */
    private static final List<Map.Entry<Class<? extends Throwable>, IvError>> TABLE = List.of(
            Map.entry(OutOfMemoryError.class, IvError.SYS_MALLOC_FAIL),
            Map.entry(TimeoutException.class, IvError.AVT_SEND_DATA_TIMEOUT),
            Map.entry(IllegalArgumentException.class, IvError.AVT_INPUT_PARAM_INVAILD),
            Map.entry(IllegalStateException.class, IvError.AVT_STATE_ERROR),
            Map.entry(Throwable.class, IvError.AVT_FAILED));

    private ErrorMap() {}

    public static IvError errorFor(Throwable t) {
        if (t instanceof IvException iv) {
            return iv.error();
        }
        for (Map.Entry<Class<? extends Throwable>, IvError> row : TABLE) {
            if (row.getKey().isInstance(t)) {
                return row.getValue();
            }
        }
        return IvError.AVT_FAILED; // unreachable: Throwable matches everything
    }

    /** Logs the failure of {@code operation} and returns its code. Never throws. */
    public static int report(String operation, Throwable t) {
        IvError error = errorFor(t);
        try {
            if (t instanceof IvException) {
                log.error("{}: {}: {}", operation, error, t.getMessage());
            } else {
                log.error("{}: {}: unexpected {}", operation, error, t.toString(), t);
            }
        } catch (Throwable ignored) {
            // Logging itself failed (e.g. out of memory): the code still goes back to C.
        }
        return error.code();
    }
}
