package io.ivp2p.app;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.discovery.LanMessage;

/**
 * One LAN search (docs/protocol.md, "LAN discovery"): PROBE with a fresh nonce to every target,
 * re-sent every probe interval, until an ANSWER for the device arrives whose MAC verifies under its
 * access key and echoes the nonce. Anything else (other devices, forged or stale answers, junk) is
 * ignored. Runs on the connecting thread; {@link #close} from another thread ends it.
 */
final class LanDiscovery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LanDiscovery.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DatagramSocket socket;
    private volatile boolean closed;

    /** @throws P2pException UDP_PORT_BIND_FAILED */
    LanDiscovery(InetSocketAddress bindAddress) throws P2pException {
        try {
            socket = new DatagramSocket(new InetSocketAddress(bindAddress.getAddress(), 0));
            socket.setBroadcast(true);
        } catch (SocketException e) {
            throw new P2pException(P2pError.UDP_PORT_BIND_FAILED, "discovery socket on " + bindAddress + ": " + e);
        }
    }

    /**
     * Searches until {@code deadlineNanos}; returns the address the device answered from (its
     * session port).
     *
     * @throws P2pException DEVICE_NOT_ONLINE (no verified answer in time), MAX_SESSION (the answer's
     *                      FULL flag), USER_CONNECT_BREAK (closed meanwhile)
     */
    InetSocketAddress find(String deviceId, byte[] accessKey, List<InetSocketAddress> targets, long intervalMs,
            long deadlineNanos) throws P2pException {
        byte[] nonce = new byte[LanMessage.NONCE];
        RANDOM.nextBytes(nonce);
        byte[] probe = LanMessage.probe(nonce, deviceId);
        byte[] buf = new byte[2048];
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        long nextProbe = System.nanoTime();
        int probes = 0;
        int rejected = 0;
        boolean sendFailureLogged = false;
        while (true) {
            if (closed) {
                throw new P2pException(P2pError.USER_CONNECT_BREAK, "during LAN discovery");
            }
            long now = System.nanoTime();
            if (now - deadlineNanos >= 0) {
                throw new P2pException(P2pError.DEVICE_NOT_ONLINE, probes + " probes to " + targets
                        + (rejected > 0 ? ", " + rejected + " answers failed authentication (wrong key?)" : ""));
            }
            if (now - nextProbe >= 0) {
                for (InetSocketAddress t : targets) {
                    try {
                        socket.send(new DatagramPacket(probe, probe.length, t));
                    } catch (IOException e) {
                        if (closed) {
                            throw new P2pException(P2pError.USER_CONNECT_BREAK, "during LAN discovery");
                        }
                        // E.g. broadcast without a route: the other targets may still work.
                        if (!sendFailureLogged) {
                            log.warn("probe for {} to {} not sent: {}", deviceId, t, e.toString());
                            sendFailureLogged = true;
                        }
                    }
                }
                probes++;
                nextProbe = now + TimeUnit.MILLISECONDS.toNanos(intervalMs);
            }
            long waitNanos = Math.min(nextProbe, deadlineNanos) - now;
            try {
                socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
                in.setLength(buf.length);
                socket.receive(in);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                if (closed) {
                    throw new P2pException(P2pError.USER_CONNECT_BREAK, "during LAN discovery");
                }
                throw new P2pException(P2pError.DEVICE_NOT_ONLINE, "discovery socket failed: " + e);
            }
            InetSocketAddress from = (InetSocketAddress) in.getSocketAddress();
            LanMessage.Answer a = LanMessage.parseAnswer(ByteBuffer.wrap(buf, 0, in.getLength()));
            if (a == null) {
                log.debug("ignored {} bytes from {}: not a LAN answer", in.getLength(), from);
                continue;
            }
            if (!a.deviceId().equals(deviceId)) {
                log.debug("ignored the answer of device {} from {}: looking for {}", a.deviceId(), from, deviceId);
                continue;
            }
            if (!a.verify(accessKey, nonce)) {
                // Forged, replayed from an older probe, or the device has another key.
                rejected++;
                // Once per search at WARN (a misconfigured key is worth seeing); the count ends up
                // in DEVICE_NOT_ONLINE's detail.
                String what = "ignored an answer claiming to be {} from {}: its MAC does not verify with our "
                        + "key and nonce (forged, stale, or the device has another access key)";
                if (rejected == 1) {
                    log.warn(what, deviceId, from);
                } else {
                    log.debug(what, deviceId, from);
                }
                continue;
            }
            if (a.full()) {
                throw new P2pException(P2pError.MAX_SESSION, deviceId + " at " + from + " answered FULL");
            }
            if (a.sessionPort() != from.getPort()) {
                log.debug("{} answered from port {} announcing session port {}: using the source address",
                        deviceId, from.getPort(), a.sessionPort());
            }
            log.info("found {} at {} after {} probes", deviceId, from, probes);
            return from;
        }
    }

    /** Ends a search in progress (it fails with USER_CONNECT_BREAK) and frees the socket. */
    @Override
    public void close() {
        closed = true;
        socket.close();
    }
}
