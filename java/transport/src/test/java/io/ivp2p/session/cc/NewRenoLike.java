package io.ivp2p.session.cc;

import java.util.List;

import io.ivp2p.session.recovery.RttEstimator;
import io.ivp2p.session.recovery.SentPacket;

/**
 * The loss-based baseline BBR is compared with: RFC 9002 §7.3's NewReno (slow start, congestion
 * avoidance, halving once per recovery period), unpaced. Test-only.
 */
final class NewRenoLike implements CongestionController {
    private final int mss;
    private long cwnd;
    private long ssthresh = Long.MAX_VALUE;
    private long recoveryStart = Long.MIN_VALUE;
    private long avoidanceCredit;

    NewRenoLike(int mss) {
        this.mss = mss;
        this.cwnd = 10L * mss;
    }

    @Override
    public void onPacketSent(long now, SentPacket packet, long bytesInFlight) {
    }

    @Override
    public void onAcked(long now, List<SentPacket> acked, RateSample sample, RttEstimator rtt,
            long bytesInFlight) {
        for (SentPacket p : acked) {
            if (p.timeSent() <= recoveryStart) {
                continue;
            }
            if (cwnd < ssthresh) {
                cwnd += p.size();
            } else {
                avoidanceCredit += p.size();
                if (avoidanceCredit >= cwnd) {
                    avoidanceCredit -= cwnd;
                    cwnd += mss;
                }
            }
        }
    }

    @Override
    public void onLost(long now, List<SentPacket> lost, long bytesInFlight) {
        long last = Long.MIN_VALUE;
        for (SentPacket p : lost) {
            last = Math.max(last, p.timeSent());
        }
        if (last > recoveryStart) {
            recoveryStart = now;
            ssthresh = Math.max(cwnd / 2, 2L * mss);
            cwnd = ssthresh;
        }
    }

    @Override
    public void onPersistentCongestion(long now) {
        cwnd = 2L * mss;
    }

    @Override
    public void onAppLimited(long now, long bytesInFlight) {
    }

    @Override
    public long congestionWindow() {
        return cwnd;
    }

    @Override
    public long pacingRate() {
        return 0;
    }
}
