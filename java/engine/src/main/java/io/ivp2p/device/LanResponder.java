package io.ivp2p.device;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.discovery.LanMessage;
import io.ivp2p.path.SessionEndpoint;
import io.ivp2p.path.UdpSocket;

/**
 * Answers LAN discovery probes for this device (docs/protocol.md): probes arrive on
 * {@code probe_port} (bound to the wildcard address, so broadcasts reach it) and on the session
 * port itself; answers always leave from the session port, authenticated with the access key.
 * Answers are rate-limited, so a flood of probes (spoofed or not) cannot turn the device into a
 * traffic source.
 */
final class LanResponder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LanResponder.class);
    /** Answers per second at most: apps re-probe every 200 ms; a LAN has a few of them. */
    static final int MAX_ANSWERS_PER_SECOND = 50;

    private final String deviceId;
    private final byte[] accessKey;
    private final SessionEndpoint endpoint;
    private final BooleanSupplier full;
    private UdpSocket probeSocket;
    private long windowStart;
    private int answersInWindow;
    private long answered;
    private long ignored;

    LanResponder(String deviceId, byte[] accessKey, SessionEndpoint endpoint, BooleanSupplier full) {
        this.deviceId = deviceId;
        this.accessKey = accessKey.clone();
        this.endpoint = endpoint;
        this.full = full;
        endpoint.onOtherDatagram(this::onDatagram);
    }

    /** Also listens on {@code probePort} (the wildcard address). */
    void listen(int probePort) throws IOException {
        probeSocket = new UdpSocket(new InetSocketAddress(probePort), batch -> {
            for (UdpSocket.Datagram d : batch) {
                onDatagram(d.from(), d.data());
            }
        });
    }

    private void onDatagram(InetSocketAddress from, ByteBuffer datagram) {
        LanMessage.Probe p = LanMessage.parseProbe(datagram);
        if (p == null || !MessageDigest.isEqual(p.deviceId().getBytes(), deviceId.getBytes())) {
            // Other devices' probes are normal on a shared LAN.
            count(false);
            return;
        }
        if (!admit()) {
            count(false);
            log.debug("probe from {} not answered: over {} answers/s", from, MAX_ANSWERS_PER_SECOND);
            return;
        }
        boolean isFull = full.getAsBoolean();
        byte[] answer = LanMessage.answer(p.nonce(), isFull ? LanMessage.FLAG_FULL : 0,
                endpoint.localAddress().getPort(), deviceId, accessKey);
        endpoint.sendDatagram(from, ByteBuffer.wrap(answer));
        count(true);
        log.debug("answered probe from {}{}", from, isFull ? " (at connection limit)" : "");
    }

    private synchronized boolean admit() {
        long now = System.nanoTime();
        if (now - windowStart >= 1_000_000_000L) {
            windowStart = now;
            answersInWindow = 0;
        }
        return ++answersInWindow <= MAX_ANSWERS_PER_SECOND;
    }

    private synchronized void count(boolean answer) {
        if (answer) {
            answered++;
        } else {
            ignored++;
        }
    }

    synchronized String summary() {
        return answered + " probes answered, " + ignored + " ignored";
    }

    @Override
    public void close() {
        endpoint.onOtherDatagram(null);
        if (probeSocket != null) {
            probeSocket.close();
        }
    }
}
