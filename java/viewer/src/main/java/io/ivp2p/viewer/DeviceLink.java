package io.ivp2p.viewer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.app.P2pClient;
import io.ivp2p.app.P2pError;
import io.ivp2p.app.P2pException;
import io.ivp2p.app.SessionInfo;

/**
 * The viewer's one session with the camera: connects LAN-first, watches the session, and connects
 * again (with back-off) when it ends, so a camera restart needs no viewer restart. Everything that
 * talks to the camera asks this class for the current handle.
 *
 * <p>One thread ("ivp2p-viewer-link") does the connecting and the watching; any thread may read the
 * state, wait for a handle, or send a command.
 */
final class DeviceLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeviceLink.class);
    /** How often the session is checked (activeCheck, RTT). */
    static final long WATCH_MS = 1000;
    /** Back-off between failed connects: 1 s, doubling up to this. */
    static final long MAX_BACKOFF_MS = 8000;

    enum State { CONNECTING, CONNECTED, RECONNECTING, STOPPED }

    /** What /api/status shows of the link. */
    record Status(State state, String deviceId, String linkMode, String deviceAddress, String peer, long connectMs,
            long connectedForS, String lastError, double rttMs, double commandRttMs) {}

    /** A command's reply and how long the round trip took. */
    record Reply(byte[] body, double rttMs) {}

    private final P2pClient client;
    private final String deviceId;
    private final int connectTimeoutMs;
    private final Thread thread;

    // Guarded by this.
    private State state = State.CONNECTING;
    private int handle = -1;
    private SessionInfo info;
    private long connectMs;
    private long connectedAtNanos;
    private String lastError;
    private double commandRttMs = Double.NaN;

    DeviceLink(P2pClient client, String deviceId, int connectTimeoutMs) {
        this.client = client;
        this.deviceId = deviceId;
        this.connectTimeoutMs = connectTimeoutMs;
        this.thread = new Thread(this::run, "ivp2p-viewer-link");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * The session handle, waiting up to {@code timeoutMs} for one.
     *
     * @throws P2pException TIME_OUT (not connected in time; the message has the last connect
     *                      error), SESSION_CLOSED_CALLED once stopped
     */
    synchronized int awaitHandle(long timeoutMs) throws P2pException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (handle < 0) {
            if (state == State.STOPPED) {
                throw new P2pException(P2pError.SESSION_CLOSED_CALLED, "the viewer is stopping");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new P2pException(P2pError.TIME_OUT, "not connected to " + deviceId
                        + (lastError == null ? "" : " (last error: " + lastError + ")"));
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return handle;
    }

    /**
     * Sends a command (text, the camera's JSON) and waits for the reply.
     *
     * @throws P2pException as {@link P2pClient#command}, and as {@link #awaitHandle}
     */
    Reply command(String text, int timeoutMs) throws P2pException, InterruptedException {
        long t0 = System.nanoTime();
        int h = awaitHandle(timeoutMs);
        long left = timeoutMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (left <= 0) {
            throw new P2pException(P2pError.TIME_OUT, "command");
        }
        long sent = System.nanoTime();
        byte[] reply = client.command(h, text.getBytes(StandardCharsets.UTF_8), (int) left);
        double rtt = (System.nanoTime() - sent) / 1e6;
        synchronized (this) {
            commandRttMs = rtt;
        }
        return new Reply(reply, rtt);
    }

    synchronized Status status() {
        boolean up = state == State.CONNECTED && info != null;
        return new Status(state, deviceId, up ? linkMode(info) : null,
                up ? info.remoteAddress().getAddress().getHostAddress() + ":" + info.remoteAddress().getPort() : null,
                up ? info.peerName() : null, up ? connectMs : -1,
                up ? TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - connectedAtNanos) : -1, lastError,
                up ? info.smoothedRttMicros() / 1000.0 : Double.NaN, commandRttMs);
    }

    /**
     * The link as the page shows it. Every session today is a direct UDP path on the LAN: there is
     * no Internet mode (relay, hole punching) yet.
     */
    static String linkMode(SessionInfo i) {
        return switch (i.mode()) {
            case LAN -> "LAN direct";
            case DIRECT -> "direct (known address)";
        };
    }

    P2pClient client() {
        return client;
    }

    /** Stops connecting, ends the session, and wakes everyone waiting for a handle. */
    @Override
    public void close() {
        synchronized (this) {
            if (state == State.STOPPED) {
                return;
            }
            state = State.STOPPED;
            notifyAll();
        }
        // No interrupt: an SDK call interrupted midway fails with an exception. The thread sees
        // STOPPED within a second (its waits are on this monitor, and connects are broken).
        client.breakAllConnects();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized boolean stopped() {
        return state == State.STOPPED;
    }

    private void run() {
        long backoffMs = 1000;
        while (!stopped()) {
            long t0 = System.nanoTime();
            int h = client.connectBlocking(deviceId, P2pClient.LAN_FIRST, connectTimeoutMs);
            if (stopped()) {
                if (h >= 0) {
                    client.disconnect(h);
                }
                return;
            }
            if (h < 0) {
                String why = P2pError.describe(h);
                synchronized (this) {
                    lastError = "connect: " + why;
                    state = State.RECONNECTING;
                }
                log.warn("cannot connect to camera {}: {}; trying again in {} s{}", deviceId, why, backoffMs / 1000,
                        h == P2pError.DEVICE_NOT_ONLINE
                                ? " (is the camera running, on this LAN, with the same device id and access key?)"
                                : "");
                if (!sleep(backoffMs)) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
                continue;
            }
            backoffMs = 1000;
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            SessionInfo i;
            try {
                i = client.sessionInfo(h);
            } catch (P2pException e) {
                continue; // closed at once: the next connect tells why
            }
            synchronized (this) {
                handle = h;
                info = i;
                connectMs = ms;
                connectedAtNanos = System.nanoTime();
                state = State.CONNECTED;
                notifyAll();
            }
            log.info("connected to camera {} at {} ({}), {} ms, as {}", deviceId, i.remoteAddress(), linkMode(i), ms,
                    i.peerName());
            String why = watch(h);
            synchronized (this) {
                handle = -1;
                info = null;
                if (state != State.STOPPED) {
                    state = State.RECONNECTING;
                    lastError = why;
                }
            }
            client.disconnect(h);
            if (why != null) {
                log.warn("session with camera {} ended: {}; connecting again", deviceId, why);
            }
        }
    }

    /** Watches the session until it ends (returns why) or the link stops (returns null). */
    private String watch(int h) {
        while (sleep(WATCH_MS)) {
            int code = client.activeCheck(h);
            if (code != P2pError.SUCCESSFUL) {
                return "session: " + P2pError.describe(code);
            }
            try {
                SessionInfo i = client.sessionInfo(h);
                synchronized (this) {
                    info = i;
                }
            } catch (P2pException e) {
                return "session: " + e.getMessage();
            }
        }
        return null;
    }

    /** Sleeps unless stopped; false once stopped. */
    private boolean sleep(long ms) {
        synchronized (this) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
            while (state != State.STOPPED) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    return state != State.STOPPED;
                }
            }
            return false;
        }
    }
}
