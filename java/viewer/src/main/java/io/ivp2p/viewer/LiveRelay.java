package io.ivp2p.viewer;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.app.P2pClient;
import io.ivp2p.app.P2pError;
import io.ivp2p.app.P2pException;

/**
 * The camera's live view for any number of HTTP clients from one stream on the session: the
 * camera encodes and sends once, however many tabs watch (the vendor's app SDK serves its local
 * proxy URL the same way). The clients' side is {@link FanOut}; this class is the I/O.
 *
 * <p>The relay opens the live stream when the first client comes and closes it once no one has
 * watched for {@link #IDLE_CLOSE_MS} (so a page reload reuses it). When the stream breaks (the
 * session ended, the camera ended it, bad FLV), every client's response ends: the page's player
 * reconnects and gets a new stream from its header.
 */
final class LiveRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveRelay.class);
    static final int CHANNEL = 1; // ARCHITECTURE.md: channel 1 is video
    static final String PARAMS = "action=live&channel=0"; // docs/sample-camera.md, "Stream requests"
    static final long IDLE_CLOSE_MS = 5000;
    static final int OPEN_TIMEOUT_MS = 10_000;
    static final int READ_WAIT_MS = 500;
    /** After a failure, the relay waits this long before it tries again for waiting clients. */
    static final long RETRY_MS = 1000;

    private final DeviceLink link;
    private final long clientLimitBytes;
    private final FanOut fanOut = new FanOut();
    private final RateMeter rate = new RateMeter();
    private final Thread thread;
    private final Object wakeup = new Object();
    private volatile boolean stopped;
    private int nextClient = 1;

    /** @param clientLimitBytes how far one client may fall behind before it is dropped */
    LiveRelay(DeviceLink link, long clientLimitBytes) {
        this.link = link;
        this.clientLimitBytes = clientLimitBytes;
        this.thread = new Thread(this::run, "ivp2p-viewer-live");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** A new client (primed with the start of the running stream, if any). */
    Subscriber subscribe(String who) {
        Subscriber s;
        synchronized (wakeup) {
            s = new Subscriber("live client " + nextClient++ + " (" + who + ")", clientLimitBytes);
            fanOut.join(s);
            wakeup.notifyAll();
        }
        log.info("{} joined; {} watching", s.name(), fanOut.size());
        return s;
    }

    void unsubscribe(Subscriber s, String why) {
        s.abort(why);
        if (fanOut.leave(s)) {
            log.info("{} left ({}); {} watching", s.name(), why, fanOut.size());
        }
    }

    int clients() {
        return fanOut.size();
    }

    RateMeter rate() {
        return rate;
    }

    @Override
    public void close() {
        stopped = true;
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        // No interrupt (an SDK call interrupted midway fails with an exception): reads wait at
        // most READ_WAIT_MS, then the thread sees the flag.
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fanOut.endAll("the viewer is stopping");
    }

    private void run() {
        while (!stopped) {
            try {
                if (!awaitClients()) {
                    return;
                }
                relay(link.awaitHandle(OPEN_TIMEOUT_MS));
            } catch (P2pException e) {
                fanOut.endAll("live: " + e.getMessage());
                log.warn("live view not available: {}", e.getMessage());
                pause(RETRY_MS); // the players retry; don't spin while the camera is away
            } catch (InterruptedException e) {
                if (stopped) {
                    return;
                }
            }
        }
    }

    /** Opens the live stream and forwards it until no one watches or it breaks. */
    private void relay(int h) throws P2pException, InterruptedException {
        P2pClient c = link.client();
        c.openStream(h, CHANNEL, PARAMS, OPEN_TIMEOUT_MS);
        log.info("live stream open on channel {} ({})", CHANNEL, PARAMS);
        FlvParser parser = new FlvParser(fanOut::header, fanOut::tag);
        byte[] buf = new byte[64 * 1024];
        long idleSince = -1;
        try {
            while (!stopped) {
                int n = c.read(h, CHANNEL, buf, 0, buf.length, READ_WAIT_MS);
                long now = System.nanoTime();
                if (n > 0) {
                    rate.add(n, TimeUnit.NANOSECONDS.toMillis(now));
                    parser.feed(buf, 0, n);
                } else if (n != P2pError.TIME_OUT) {
                    throw new P2pException(n, "the live stream");
                }
                if (!fanOut.isEmpty()) {
                    idleSince = -1;
                } else if (idleSince < 0) {
                    idleSince = now;
                } else if (now - idleSince > TimeUnit.MILLISECONDS.toNanos(IDLE_CLOSE_MS)) {
                    log.info("no one has watched for {} s: closing the live stream", IDLE_CLOSE_MS / 1000);
                    break;
                }
            }
            closeQuietly(c, h);
        } catch (FlvParser.FlvFormatException e) {
            log.error("the live stream is not valid FLV: {}; closing it", e.getMessage());
            closeQuietly(c, h);
            throw new P2pException(P2pError.INVALID_PARAMETER, "bad FLV from the camera: " + e.getMessage());
        } finally {
            fanOut.reset();
        }
    }

    private static void closeQuietly(P2pClient c, int h) {
        try {
            c.closeStream(h, CHANNEL);
        } catch (P2pException e) {
            log.debug("closing the live stream: {}", e.getMessage());
        }
    }

    private boolean awaitClients() throws InterruptedException {
        synchronized (wakeup) {
            while (fanOut.isEmpty() && !stopped) {
                wakeup.wait();
            }
        }
        return !stopped;
    }

    private void pause(long ms) {
        synchronized (wakeup) {
            try {
                wakeup.wait(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
