package io.ivp2p.session.cc;

/**
 * One delivery-rate sample, taken when an ACK arrives
 * (draft-cheng-iccrg-delivery-rate-estimation-02 §3.3).
 *
 * @param deliveryRate  bytes per second delivered over the sample's interval; 0 when the ACK
 *                      gave no valid sample
 * @param delivered     bytes delivered during the interval
 * @param interval      nanoseconds: max(send elapsed, ack elapsed) of the sample
 * @param priorDelivered the connection's delivered count when the sampled packet was sent
 * @param appLimited    the sampled packet was sent while the sender was application-limited, so
 *                      the rate is a lower bound of the path's, not an estimate of it
 * @param rtt           RTT of the most recently sent packet this ACK acknowledged, nanoseconds
 * @param newlyAcked    bytes this ACK newly acknowledged
 */
public record RateSample(long deliveryRate, long delivered, long interval, long priorDelivered,
        boolean appLimited, long rtt, long newlyAcked) {
    public static final RateSample NONE = new RateSample(0, 0, 0, 0, true, 0, 0);

    public boolean valid() {
        return deliveryRate > 0;
    }
}
