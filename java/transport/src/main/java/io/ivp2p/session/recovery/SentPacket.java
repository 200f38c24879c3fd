package io.ivp2p.session.recovery;

import java.util.List;

import io.ivp2p.session.wire.Frame;

/**
 * A packet the session sent and has not yet seen acknowledged or declared lost (RFC 9002
 * §A.1.1), with the frames it carried so that lost data can be sent again, and the delivery
 * state at send time that delivery-rate estimation needs
 * (draft-cheng-iccrg-delivery-rate-estimation-02 §3.2: P.delivered, P.delivered_time,
 * P.first_sent_time, P.is_app_limited).
 */
public final class SentPacket {
    private final long number;
    private final long timeSent;
    private final int size;
    private final boolean ackEliciting;
    private final List<Frame> frames;

    private long delivered;
    private long deliveredTime;
    private long firstSentTime;
    private boolean appLimited;

    /**
     * @param size bytes on the wire (the whole datagram, record overhead included): what
     *             congestion control and bytes-in-flight count
     */
    public SentPacket(long number, long timeSent, int size, boolean ackEliciting, List<Frame> frames) {
        this.number = number;
        this.timeSent = timeSent;
        this.size = size;
        this.ackEliciting = ackEliciting;
        this.frames = List.copyOf(frames);
    }

    public long number() {
        return number;
    }

    public long timeSent() {
        return timeSent;
    }

    public int size() {
        return size;
    }

    public boolean ackEliciting() {
        return ackEliciting;
    }

    /** RFC 9002 §2: in flight = ack-eliciting (our only non-eliciting frames are ACK/CLOSE/PADDING). */
    public boolean inFlight() {
        return ackEliciting;
    }

    public List<Frame> frames() {
        return frames;
    }

    /** Records the connection's delivery state at send time (set by the rate estimator). */
    public void setRateState(long delivered, long deliveredTime, long firstSentTime, boolean appLimited) {
        this.delivered = delivered;
        this.deliveredTime = deliveredTime;
        this.firstSentTime = firstSentTime;
        this.appLimited = appLimited;
    }

    public long delivered() {
        return delivered;
    }

    public long deliveredTime() {
        return deliveredTime;
    }

    public long firstSentTime() {
        return firstSentTime;
    }

    public boolean appLimited() {
        return appLimited;
    }

    @Override
    public String toString() {
        return "SentPacket{pn=" + number + ", size=" + size + ", sent=" + timeSent + "}";
    }
}
