package io.ivp2p.app.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import io.ivp2p.app.P2pClient;
import io.ivp2p.app.P2pError;
import io.ivp2p.app.P2pException;

/**
 * Reads one open stream until it ends, a byte limit, or a time limit, hashing (and optionally
 * writing) what it reads. Can read slowly ({@code readRate}), pause once ({@code stallMs}) so the
 * device's send buffer fills (watermark tests), and close the stream after some bytes.
 */
final class StreamPump {
    /** @param end "ended", "limit", "time", or "error" (then {@code error} is the code) */
    record Result(long bytes, String end, String sha256, int error) {}

    private final P2pClient client;
    private final int handle;
    private final int channel;
    private final int readTimeoutMs;
    long maxBytes = Long.MAX_VALUE;
    /** System.nanoTime() to stop at, or 0 for none. */
    long deadlineNanos;
    /** Bytes per second, or 0 for as fast as they come. */
    double readRate;
    /** Close the stream once this many bytes were read, or -1. */
    long closeAfterBytes = -1;
    /** Pause this long after the first bytes, once. */
    long stallMs;
    OutputStream out;

    StreamPump(P2pClient client, int handle, int channel, int readTimeoutMs) {
        this.client = client;
        this.handle = handle;
        this.channel = channel;
        this.readTimeoutMs = readTimeoutMs;
    }

    Result run() throws InterruptedException {
        MessageDigest sha = sha256();
        int chunk = readRate > 0 ? (int) Math.max(512, Math.min(64 * 1024, readRate / 20)) : 64 * 1024;
        byte[] buf = new byte[chunk];
        long bytes = 0;
        long start = System.nanoTime();
        boolean closed = false;
        boolean stalled = false;
        String end;
        while (true) {
            long now = System.nanoTime();
            if (bytes >= maxBytes) {
                end = "limit";
                break;
            }
            if (deadlineNanos != 0 && now - deadlineNanos >= 0) {
                end = "time";
                break;
            }
            if (readRate > 0) {
                long allowedAt = start + (long) (bytes * 1e9 / readRate);
                if (allowedAt - now > 0) {
                    long wait = allowedAt - now;
                    if (deadlineNanos != 0) {
                        wait = Math.min(wait, deadlineNanos - now);
                    }
                    TimeUnit.NANOSECONDS.sleep(Math.max(wait, 1));
                    continue;
                }
            }
            int want = (int) Math.min(buf.length, maxBytes - bytes);
            int timeout = readTimeoutMs;
            if (deadlineNanos != 0) {
                timeout = (int) Math.max(1, Math.min(timeout, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - now)));
            }
            int n = client.read(handle, channel, buf, 0, want, timeout);
            if (n == P2pError.STREAM_ENDED) {
                end = "ended";
                break;
            }
            if (n == P2pError.TIME_OUT && timeout < readTimeoutMs) {
                // The wait was cut short by --seconds (and rounded down to whole milliseconds, so
                // it may end just before the deadline): not an error, the loop's check decides.
                continue;
            }
            if (n < 0) {
                return new Result(bytes, "error", hex(sha), n);
            }
            sha.update(buf, 0, n);
            if (out != null) {
                try {
                    out.write(buf, 0, n);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            bytes += n;
            if (!closed && closeAfterBytes >= 0 && bytes >= closeAfterBytes) {
                closed = true;
                try {
                    client.closeStream(handle, channel);
                } catch (P2pException e) {
                    return new Result(bytes, "error", hex(sha), e.code());
                }
            }
            if (!stalled && stallMs > 0) {
                stalled = true;
                TimeUnit.MILLISECONDS.sleep(stallMs);
            }
        }
        return new Result(bytes, end, hex(sha), 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static String hex(MessageDigest sha) {
        return HexFormat.of().formatHex(sha.digest());
    }
}
