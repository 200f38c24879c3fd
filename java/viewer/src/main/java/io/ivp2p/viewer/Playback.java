package io.ivp2p.viewer;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.app.P2pClient;
import io.ivp2p.app.P2pError;
import io.ivp2p.app.P2pException;

/**
 * Playback of the camera's recordings on channel 3, one at a time (the page plays one; the
 * camera paces it): a new request ends the one before. The bytes go to the HTTP client as they
 * come, unparsed; the response ends when the camera ends the stream.
 */
final class Playback {
    private static final Logger log = LoggerFactory.getLogger(Playback.class);
    static final int CHANNEL = 3; // ARCHITECTURE.md: channel 3 is playback
    static final int OPEN_TIMEOUT_MS = 10_000;
    static final int READ_WAIT_MS = 500;
    /** The camera's limit (docs/sample-camera.md, "Stream requests"). */
    static final int MAX_SPEED = 16;

    /** A playback request, checked. */
    record Request(long startTime, long endTime, int speed) {
        Request {
            if (startTime < 0 || endTime <= startTime) {
                throw new IllegalArgumentException("need 0 <= start_time < end_time (Unix seconds), got "
                        + startTime + ".." + endTime);
            }
            if (speed < 1 || speed > MAX_SPEED) {
                throw new IllegalArgumentException("speed " + speed + " not in 1.." + MAX_SPEED);
            }
        }

        String params() {
            return "action=playback&channel=0&start_time=" + startTime + "&end_time=" + endTime + "&speed=" + speed;
        }
    }

    /** The stream was opened (the HTTP client may get its 200) or not. */
    interface Opened {
        void opened() throws IOException;
    }

    private final DeviceLink link;
    private final RateMeter rate = new RateMeter();
    private final Object turn = new Object(); // one playback streams at a time
    private volatile long generation;
    private volatile boolean streaming;
    private boolean stopped; // guarded by this

    Playback(DeviceLink link) {
        this.link = link;
    }

    /** Ends the running playback (within {@link #READ_WAIT_MS}) and refuses new ones. */
    void stop() {
        synchronized (this) {
            stopped = true;
            generation++;
        }
        synchronized (turn) {
            // waits for the running playback to end
        }
    }

    RateMeter rate() {
        return rate;
    }

    int clients() {
        return streaming ? 1 : 0;
    }

    private synchronized boolean stopped() {
        return stopped;
    }

    /**
     * Streams {@code r} into {@code out} until the recording ends, the client goes away, or a newer
     * playback takes over.
     *
     * @throws P2pException STREAM_REFUSED (nothing recorded then), not connected, session closed
     * @throws IOException  the HTTP client went away
     */
    void stream(Request r, Opened opened, OutputStream out) throws P2pException, IOException, InterruptedException {
        long mine;
        synchronized (this) {
            if (stopped) {
                throw new P2pException(P2pError.SESSION_CLOSED_CALLED, "the viewer is stopping");
            }
            mine = ++generation; // tells a running playback to stop
        }
        synchronized (turn) { // waits for that playback to end
            if (generation != mine) {
                throw new P2pException(P2pError.USER_CONNECT_BREAK, "a newer playback request came first");
            }
            int h = link.awaitHandle(OPEN_TIMEOUT_MS);
            P2pClient c = link.client();
            c.openStream(h, CHANNEL, r.params(), OPEN_TIMEOUT_MS);
            log.info("playback open on channel {} ({})", CHANNEL, r.params());
            streaming = true;
            long bytes = 0;
            String end = "the client went away";
            boolean ended = false; // by the camera: nothing to close
            try {
                opened.opened();
                byte[] buf = new byte[64 * 1024];
                while (true) {
                    if (generation != mine) {
                        end = stopped() ? "the viewer is stopping" : "a newer playback took over";
                        break;
                    }
                    int n = c.read(h, CHANNEL, buf, 0, buf.length, READ_WAIT_MS);
                    if (n > 0) {
                        rate.add(n, TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
                        out.write(buf, 0, n);
                        out.flush();
                        bytes += n;
                    } else if (n == P2pError.STREAM_ENDED) {
                        end = "the recording ended";
                        ended = true;
                        return;
                    } else if (n != P2pError.TIME_OUT) {
                        end = P2pError.describe(n);
                        throw new P2pException(n, "playback");
                    }
                }
            } finally {
                streaming = false;
                if (!ended) {
                    try {
                        c.closeStream(h, CHANNEL);
                    } catch (P2pException e) {
                        log.debug("closing playback: {}", e.getMessage());
                    }
                }
                log.info("playback ended after {} bytes: {}", bytes, end);
            }
        }
    }
}
