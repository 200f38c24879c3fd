package io.ivp2p.session;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.session.cc.CongestionController;
import io.ivp2p.session.cc.DeliveryRateEstimator;
import io.ivp2p.session.cc.Pacer;
import io.ivp2p.session.cc.RateSample;
import io.ivp2p.session.recovery.LossRecovery;
import io.ivp2p.session.recovery.RttEstimator;
import io.ivp2p.session.recovery.SentPacket;
import io.ivp2p.session.wire.AckFrame;
import io.ivp2p.session.wire.CloseFrame;
import io.ivp2p.session.wire.Frame;
import io.ivp2p.session.wire.MaxStreamDataFrame;
import io.ivp2p.session.wire.Packet;
import io.ivp2p.session.wire.PingFrame;
import io.ivp2p.session.wire.StreamFrame;
import io.ivp2p.session.wire.WireFormatException;

/**
 * One session: 8 reliable, ordered byte-stream channels in both directions over one path, as a
 * state machine. It does no I/O and reads no clock: the owner feeds it
 * {@link #onPacket(long, ByteBuffer) "a packet arrived at t"} and
 * {@link #onTimer(long) "the deadline passed at t"}, then calls {@link #flush(long)} to let it
 * emit packets through its {@link PacketSink} and asks {@link #nextDeadline()} when to call again.
 * All methods must be called from one thread (the owner's scheduler).
 *
 * <p>Channels are byte streams: message boundaries are not preserved; layers above frame their
 * messages (the control channel does). Each direction of a channel ends with a FIN.
 *
 * <p>Loss recovery follows RFC 9002 ({@link LossRecovery}); lost data is sent again from the
 * channel's buffer, never whole packets. Congestion control and pacing are pluggable
 * ({@link CongestionController}, {@link Pacer}). Retransmissions go before new data; among new
 * data, channel 0 (control) goes first and the others share round-robin, so a small message on
 * one channel does not wait behind another channel's bulk data in our own buffers.
 */
public final class Session {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    /** Channels per session (ARCHITECTURE.md: 0 control, 1 video, 2 audio, 3 playback, ...). */
    public static final int CHANNELS = Frame.CHANNELS;
    /** RFC 9002 §6.2.4: "When a PTO timer expires, a sender MUST send at least one ack-eliciting packet". We send up to two. */
    static final int PROBES_PER_PTO = 2;
    /** With keep-alive off, this many probe timeouts in a row with nothing heard declare the peer dead. */
    static final int MAX_PTO_WITHOUT_KEEPALIVE = 10;
    /** Smallest room worth a stream frame. */
    private static final int MIN_FRAME_ROOM = 16;

    /** Where packets go: the security layer, which encrypts each into one datagram. */
    @FunctionalInterface
    public interface PacketSink {
        void send(ByteBuffer packet);
    }

    /** What the session tells its owner. Called on the session's thread. */
    public interface Listener {
        /** Channel {@code channel} has bytes to read, or its end was reached. */
        default void onReadable(int channel) {}

        /** Channel {@code channel} has room to write again. */
        default void onWritable(int channel) {}

        /** The session ended; nothing is sent or delivered after this. */
        default void onClosed(CloseReason reason) {}
    }

    public enum State { OPEN, CLOSING, CLOSED }

    private final SessionConfig config;
    private final PacketSink sink;
    private final Listener listener;
    private final CongestionController cc;
    private final DeliveryRateEstimator rateEstimator = new DeliveryRateEstimator();
    private final Pacer pacer;
    private final RttEstimator rtt = new RttEstimator();
    private final LossRecovery recovery;
    private final AckTracker acks;
    private final SendChannel[] send = new SendChannel[CHANNELS];
    private final ReceiveChannel[] receive = new ReceiveChannel[CHANNELS];
    private final RateMeter[] ackedMeter = new RateMeter[CHANNELS];
    private final RateMeter[] sentMeter = new RateMeter[CHANNELS];
    private final boolean[] maxDataPending = new boolean[CHANNELS];
    /** Per channel: room a blocked writer waits for (0: no writer waiting). */
    private final long[] writeWanted = new long[CHANNELS];
    private final SessionStats stats = new SessionStats();

    private State state = State.OPEN;
    private CloseReason closeReason;
    private long nextPacketNumber;
    private long lastReceived;
    private int keepAliveProbes;
    private boolean pingPending;
    private int probesPending;
    private long closeDeadline = Long.MAX_VALUE;
    private CloseFrame closePending;
    private int roundRobin = 1;
    private long pacerDeadline = Long.MAX_VALUE;

    public Session(SessionConfig config, long now, CongestionController cc, Pacer pacer,
            PacketSink sink, Listener listener) {
        this.config = config;
        this.cc = cc;
        this.pacer = pacer;
        this.sink = sink;
        this.listener = listener;
        this.recovery = new LossRecovery(rtt, config.maxAckDelay());
        this.acks = new AckTracker(config.maxAckDelay());
        for (int c = 0; c < CHANNELS; c++) {
            // Until the peer's MAX_STREAM_DATA arrives, assume only the protocol's initial window,
            // which every receiver grants: the two ends may configure different windows.
            send[c] = new SendChannel(c, config.sendBufferPerChannel(), SessionConfig.INITIAL_STREAM_WINDOW);
            receive[c] = new ReceiveChannel(c, config.receiveWindowPerChannel());
            ackedMeter[c] = new RateMeter(SessionConfig.SECOND);
            sentMeter[c] = new RateMeter(200 * SessionConfig.MS);
        }
        this.lastReceived = now;
        pacer.setRate(cc.pacingRate());
    }

    // ---------------------------------------------------------------- application side

    /**
     * Writes what fits of {@code data} to {@code channel}; returns the bytes taken (0 when full).
     * If some of {@code data} did not fit, {@link Listener#onWritable} tells when room frees.
     */
    public int write(int channel, ByteBuffer data) {
        checkOpen();
        int n = send[checkChannel(channel)].write(data);
        if (data.hasRemaining()) {
            // A partial write is as blocked as an empty one: the writer waits for room either way.
            // It is told when what it still has fits, or an eighth of the buffer is free, not at
            // every acknowledgement: waking a bulk writer per ACK to add one packet's worth cost
            // a context switch per packet (bench/RESULTS-transport.md).
            writeWanted[channel] = Math.max(1, Math.min(data.remaining(), config.sendBufferPerChannel() / 8));
        }
        return n;
    }

    /** Ends the sending direction of {@code channel} after the bytes written so far. */
    public void finish(int channel) {
        checkOpen();
        send[checkChannel(channel)].finish();
    }

    /** Reads in-order bytes of {@code channel}; returns the count, or -1 once its end was read. */
    public int read(int channel, ByteBuffer dst) {
        ReceiveChannel r = receive[checkChannel(channel)];
        int n = r.read(dst);
        if (n > 0 && r.maxDataUpdate() >= 0) {
            maxDataPending[channel] = true;
        }
        return n;
    }

    /** Bytes {@link #read} would return now. */
    public long readable(int channel) {
        return receive[checkChannel(channel)].readable();
    }

    /** Bytes {@link #write} would accept now. */
    public long writable(int channel) {
        return state == State.OPEN ? send[checkChannel(channel)].writable() : 0;
    }

    /** Written to {@code channel} and not yet acknowledged by the peer. */
    public long unacked(int channel) {
        return send[checkChannel(channel)].unacked();
    }

    /** Per-channel send statistics (the vendor's iv_p2p_send_stats_s, minus link mode). */
    public ChannelStats channelStats(int channel, long now) {
        checkChannel(channel);
        return new ChannelStats(send[channel].unacked(), sentMeter[channel].sum(now) * 5,
                ackedMeter[channel].sum(now), send[channel].ackedTotal());
    }

    public record ChannelStats(long unacked, long instantRate, long ackedLastSecond, long ackedTotal) {}

    /**
     * Graceful close: finishes every channel, waits (at most {@code closeTimeout}) until all
     * written data is acknowledged, then sends CLOSE.
     */
    public void close(long now) {
        if (state != State.OPEN) {
            return;
        }
        for (SendChannel s : send) {
            s.finish();
        }
        state = State.CLOSING;
        closeDeadline = now + config.closeTimeout();
    }

    /** Ends the session now: sends CLOSE with {@code code} and drops everything. */
    public void abort(long now, long code, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        closePending = new CloseFrame(code, reason);
        sendClose(now);
        terminate(new CloseReason(CloseReason.Kind.LOCAL, code, reason));
    }

    public State state() {
        return state;
    }

    public CloseReason closeReason() {
        return closeReason;
    }

    public RttEstimator rtt() {
        return rtt;
    }

    public CongestionController congestionController() {
        return cc;
    }

    public SessionStats stats() {
        return stats;
    }

    public SessionConfig config() {
        return config;
    }

    /** Memory the channel buffers hold now (bounded by {@link SessionConfig#memoryBound()}). */
    public long bufferedBytes() {
        long n = 0;
        for (int c = 0; c < CHANNELS; c++) {
            n += send[c].bufferedBytes() + receive[c].bufferedBytes();
        }
        return n;
    }

    // ---------------------------------------------------------------- events

    /** A decrypted packet arrived. Malformed and duplicate packets are dropped and counted. */
    public void onPacket(long now, ByteBuffer plaintext) {
        if (state == State.CLOSED) {
            return;
        }
        Packet packet;
        try {
            packet = Packet.parse(plaintext);
        } catch (WireFormatException | IllegalArgumentException e) {
            stats.malformed++;
            log.debug("dropped a malformed packet: {}", e.getMessage());
            return;
        }
        if (!acks.onPacket(now, packet.number(), packet.ackEliciting())) {
            stats.duplicates++;
            return;
        }
        stats.packetsReceived++;
        lastReceived = now;
        keepAliveProbes = 0;
        try {
            for (Frame f : packet.frames()) {
                handle(now, f);
                if (state == State.CLOSED) {
                    return;
                }
            }
        } catch (FlowControlException e) {
            log.warn("peer broke the protocol: {}", e.getMessage());
            closePending = new CloseFrame(CloseReason.PROTOCOL_VIOLATION, e.getMessage());
            sendClose(now);
            terminate(new CloseReason(CloseReason.Kind.PROTOCOL_ERROR, CloseReason.PROTOCOL_VIOLATION,
                    e.getMessage()));
        }
    }

    private void handle(long now, Frame f) {
        if (f instanceof AckFrame ack) {
            onAck(now, ack);
        } else if (f instanceof StreamFrame s) {
            ReceiveChannel r = receive[s.channel()];
            long before = r.readable();
            boolean finBefore = r.finReceived();
            r.onFrame(s);
            stats.bytesReceived += s.length();
            if (r.readable() > before || r.finReceived() != finBefore) {
                listener.onReadable(s.channel());
            }
        } else if (f instanceof MaxStreamDataFrame m) {
            send[m.channel()].onMaxStreamData(m.maximum());
        } else if (f instanceof CloseFrame c) {
            terminate(new CloseReason(CloseReason.Kind.REMOTE, c.code(), c.reason()));
        }
        // PING and PADDING need nothing beyond the acknowledgement.
    }

    private void onAck(long now, AckFrame ack) {
        LossRecovery.AckOutcome outcome = recovery.onAck(now, ack);
        if (outcome.acked().isEmpty()) {
            return;
        }
        long newlyAcked = 0;
        for (SentPacket p : outcome.acked()) {
            for (Frame f : p.frames()) {
                if (f instanceof StreamFrame s) {
                    long before = send[s.channel()].ackedTotal();
                    send[s.channel()].onAcked(s);
                    long gained = send[s.channel()].ackedTotal() - before;
                    ackedMeter[s.channel()].add(now, gained);
                    stats.bytesAcked += gained;
                }
            }
            newlyAcked += p.size();
        }
        RateSample sample = rateEstimator.onAck(now, outcome.acked());
        cc.onAcked(now, outcome.acked(), sample, rtt, recovery.bytesInFlight());
        onLost(now, outcome.lost());
        if (outcome.persistentCongestion()) {
            cc.onPersistentCongestion(now);
        }
        pacer.setRate(cc.pacingRate());
        stats.packetsAcked += outcome.acked().size();
        if (log.isTraceEnabled()) {
            log.trace("ack {}: +{} B acked, rtt {} us, cwnd {}", ack.largest(), newlyAcked,
                    rtt.smoothedRtt() / 1000, cc.congestionWindow());
        }
        notifyWritable();
    }

    private void onLost(long now, List<SentPacket> lost) {
        if (lost.isEmpty()) {
            return;
        }
        for (SentPacket p : lost) {
            requeue(p);
        }
        stats.packetsLost += lost.size();
        cc.onLost(now, lost, recovery.bytesInFlight());
        pacer.setRate(cc.pacingRate());
    }

    /** Puts a packet's retransmittable content back in the queues. */
    private void requeue(SentPacket p) {
        for (Frame f : p.frames()) {
            if (f instanceof StreamFrame s) {
                send[s.channel()].onLost(s);
            } else if (f instanceof MaxStreamDataFrame m) {
                maxDataPending[m.channel()] = true;
            }
            // ACKs are rebuilt fresh; PINGs need not be repeated.
        }
    }

    /** The deadline from {@link #nextDeadline()} passed. */
    public void onTimer(long now) {
        if (state == State.CLOSED) {
            return;
        }
        if (now >= recovery.lossDetectionDeadline()) {
            List<SentPacket> lost = recovery.onLossDetectionTimeout(now);
            if (lost.isEmpty()) {
                stats.probeTimeouts++;
                probesPending = PROBES_PER_PTO;
                if (!config.keepAliveEnabled() && recovery.ptoCount() >= MAX_PTO_WITHOUT_KEEPALIVE) {
                    terminate(new CloseReason(CloseReason.Kind.TIMEOUT, 0,
                            recovery.ptoCount() + " probe timeouts without an answer"));
                    return;
                }
            } else {
                onLost(now, lost);
            }
        }
        if (config.keepAliveEnabled()) {
            long silence = now - lastReceived;
            if (silence >= config.keepAliveInterval() * config.keepAliveAttempts()) {
                terminate(new CloseReason(CloseReason.Kind.TIMEOUT, 0, "nothing heard for "
                        + silence / SessionConfig.MS + " ms (keep-alive " + config.keepAliveInterval()
                        / SessionConfig.MS + " ms x " + config.keepAliveAttempts() + ")"));
                return;
            }
            if (silence >= config.keepAliveInterval() * (keepAliveProbes + 1)) {
                keepAliveProbes++;
                pingPending = true;
                stats.keepAliveProbes++;
            }
        }
        if (state == State.CLOSING && now >= closeDeadline) {
            abort(now, CloseReason.NORMAL, "close timed out with unacknowledged data");
        }
    }

    /** When {@link #onTimer} must run next; MAX_VALUE when nothing is scheduled. */
    public long nextDeadline() {
        if (state == State.CLOSED) {
            return Long.MAX_VALUE;
        }
        long d = recovery.lossDetectionDeadline();
        if (acks.hasNewAcks()) {
            d = Math.min(d, acks.ackDeadline());
        }
        d = Math.min(d, pacerDeadline);
        if (config.keepAliveEnabled()) {
            long probeAt = lastReceived + config.keepAliveInterval() * (keepAliveProbes + 1);
            long deadAt = lastReceived + config.keepAliveInterval() * config.keepAliveAttempts();
            d = Math.min(d, Math.min(probeAt, deadAt));
        }
        if (state == State.CLOSING) {
            d = Math.min(d, closeDeadline);
        }
        return d;
    }

    // ---------------------------------------------------------------- sending

    /** Sends every packet that acknowledgements, congestion control and pacing allow now. */
    public void flush(long now) {
        pacerDeadline = Long.MAX_VALUE;
        if (state == State.CLOSED) {
            return;
        }
        queueFlowControlUpdates();
        while (true) {
            boolean ackDue = acks.hasNewAcks() && acks.ackDue(now);
            boolean probe = probesPending > 0;
            boolean elicitingWaiting = probe || pingPending || hasControlFrames() || hasStreamData();
            boolean cwndOpen = probe
                    || recovery.bytesInFlight() + config.maxDatagramSize() <= cc.congestionWindow();
            boolean mayElicit = elicitingWaiting && cwndOpen;
            if (mayElicit && !probe) {
                long at = pacer.nextSendTime(now, config.maxDatagramSize());
                if (at > now) {
                    pacerDeadline = at;
                    mayElicit = false;
                }
            }
            if (!mayElicit && !ackDue) {
                if (elicitingWaiting && !cwndOpen) {
                    stats.cwndLimited++;
                } else if (!elicitingWaiting && !flowBlocked()) {
                    // Held back by the peer's window is not app-limited (Linux TCP agrees):
                    // marking it so would keep BBR from ever judging the pipe full.
                    cc.onAppLimited(now, recovery.bytesInFlight());
                    rateEstimator.onAppLimited(recovery.bytesInFlight());
                }
                break;
            }
            sendPacket(now, mayElicit);
        }
        maybeFinishClose(now);
    }

    private boolean hasControlFrames() {
        for (boolean b : maxDataPending) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    private boolean flowBlocked() {
        for (SendChannel s : send) {
            if (s.flowBlocked()) {
                return true;
            }
        }
        return false;
    }

    private boolean hasStreamData() {
        for (SendChannel s : send) {
            if (s.hasSomethingToSend()) {
                return true;
            }
        }
        return false;
    }

    private void queueFlowControlUpdates() {
        for (int c = 0; c < CHANNELS; c++) {
            if (receive[c].maxDataUpdate() >= 0) {
                maxDataPending[c] = true;
            }
        }
    }

    private void sendPacket(long now, boolean elicit) {
        int budget = config.maxPacketSize();
        long pn = nextPacketNumber++;
        List<Frame> frames = new ArrayList<>();
        int used = Packet.headerSize(pn);
        if (acks.hasNewAcks()) {
            AckFrame ack = acks.buildAck(now);
            frames.add(ack);
            used += ack.encodedSize();
            acks.onAckSent();
        }
        if (elicit) {
            for (int c = 0; c < CHANNELS && used + 12 <= budget; c++) {
                if (maxDataPending[c]) {
                    MaxStreamDataFrame m = new MaxStreamDataFrame(c, receive[c].advertised());
                    frames.add(m);
                    used += m.encodedSize();
                    maxDataPending[c] = false;
                }
            }
            used = addStreamFrames(frames, used, budget);
            boolean eliciting = frames.stream().anyMatch(Frame::ackEliciting);
            if (!eliciting) {
                frames.add(PingFrame.INSTANCE);
                used += 1;
            }
            pingPending = false;
            if (probesPending > 0) {
                probesPending--;
                if (!eliciting && probesPending == PROBES_PER_PTO - 1) {
                    resendOldestForProbe();
                }
            }
        }
        Packet packet = new Packet(pn, frames);
        ByteBuffer bytes = ByteBuffer.allocate(packet.encodedSize());
        packet.serialize(bytes);
        bytes.flip();
        int wireSize = bytes.remaining() + config.recordOverhead();
        sink.send(bytes);
        stats.packetsSent++;
        SentPacket sent = new SentPacket(pn, now, wireSize, packet.ackEliciting(), frames);
        if (sent.inFlight()) {
            rateEstimator.onPacketSent(now, sent, recovery.bytesInFlight());
            recovery.onPacketSent(sent);
            cc.onPacketSent(now, sent, recovery.bytesInFlight());
            pacer.onSent(now, wireSize);
        } else {
            recovery.onPacketSent(sent);
        }
        for (Frame f : frames) {
            if (f instanceof StreamFrame s) {
                sentMeter[s.channel()].add(now, s.length());
                stats.bytesSent += s.length();
            }
        }
    }

    /**
     * A probe with no new data to carry: the oldest outstanding packet's data is queued again,
     * so the next probe carries it (RFC 9002 §6.2.4: probes "SHOULD carry data when possible").
     */
    private void resendOldestForProbe() {
        SentPacket oldest = recovery.oldestOutstanding();
        if (oldest != null) {
            requeue(oldest);
        }
    }

    /** Retransmissions first (lowest channel first), then channel 0, then round-robin 1..7. */
    private int addStreamFrames(List<Frame> frames, int used, int budget) {
        for (int c = 0; c < CHANNELS; c++) {
            while (send[c].hasRetransmission() && budget - used >= MIN_FRAME_ROOM) {
                StreamFrame f = send[c].nextFrame(budget - used);
                if (f == null) {
                    break;
                }
                frames.add(f);
                used += f.encodedSize();
            }
        }
        used = drain(0, Integer.MAX_VALUE, frames, used, budget);
        for (int i = 0; i < CHANNELS - 1 && budget - used >= MIN_FRAME_ROOM; i++) {
            int c = 1 + (roundRobin - 1 + i) % (CHANNELS - 1);
            int before = used;
            used = drain(c, 1, frames, used, budget);
            if (used != before) {
                roundRobin = 1 + c % (CHANNELS - 1);
            }
        }
        return used;
    }

    /** Adds up to {@code maxFrames} new-data frames of channel {@code c}; returns the bytes used. */
    private int drain(int c, int maxFrames, List<Frame> frames, int used, int budget) {
        for (int n = 0; n < maxFrames && send[c].hasNewData() && budget - used >= MIN_FRAME_ROOM; n++) {
            StreamFrame f = send[c].nextFrame(budget - used);
            if (f == null) {
                break;
            }
            frames.add(f);
            used += f.encodedSize();
        }
        return used;
    }

    private void notifyWritable() {
        for (int c = 0; c < CHANNELS; c++) {
            if (writeWanted[c] > 0 && send[c].writable() >= writeWanted[c]) {
                writeWanted[c] = 0;
                listener.onWritable(c);
            }
        }
    }

    private void maybeFinishClose(long now) {
        if (state != State.CLOSING) {
            return;
        }
        for (SendChannel s : send) {
            if (!s.allAcked()) {
                return;
            }
        }
        closePending = new CloseFrame(CloseReason.NORMAL, "closed");
        sendClose(now);
        terminate(new CloseReason(CloseReason.Kind.LOCAL, CloseReason.NORMAL, "closed"));
    }

    /** CLOSE goes in a packet of its own, not in flight and never retransmitted. */
    private void sendClose(long now) {
        if (closePending == null) {
            return;
        }
        Packet p = new Packet(nextPacketNumber++, List.of(closePending));
        ByteBuffer bytes = ByteBuffer.allocate(p.encodedSize());
        p.serialize(bytes);
        bytes.flip();
        sink.send(bytes);
        stats.packetsSent++;
        closePending = null;
    }

    private void terminate(CloseReason reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closeReason = reason;
        recovery.clear();
        log.debug("session closed: {}", reason);
        listener.onClosed(reason);
    }

    private void checkOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("session is " + state);
        }
    }

    private static int checkChannel(int channel) {
        if (channel < 0 || channel >= CHANNELS) {
            throw new IllegalArgumentException("channel " + channel + " not in 0.." + (CHANNELS - 1));
        }
        return channel;
    }
}
