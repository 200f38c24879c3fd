package io.ivp2p.log;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Swaps System.err for a buffer. Works because logback's console target looks up System.err
 * on every write instead of keeping the stream it saw at start.
 */
final class StderrCapture implements AutoCloseable {

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    StderrCapture() {
        System.setErr(new PrintStream(buffer, true, Charset.defaultCharset()));
    }

    String text() {
        System.err.flush();
        return buffer.toString(Charset.defaultCharset());
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
