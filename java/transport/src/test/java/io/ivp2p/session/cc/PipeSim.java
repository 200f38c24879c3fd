package io.ivp2p.session.cc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.ivp2p.session.recovery.RttEstimator;
import io.ivp2p.session.recovery.SentPacket;
import io.ivp2p.time.ManualClock;
import io.ivp2p.time.Scheduler;

/**
 * A greedy sender over a one-bottleneck path, all on a {@link ManualClock}. The sender wires a
 * congestion controller, the {@link DeliveryRateEstimator} and a {@link Pacer} the way the
 * session does, and detects loss as RFC 9002 §6.1 does (3 packets or 9/8 RTT later than an
 * acknowledged one), plus a coarse timeout for a silent tail.
 *
 * <p>The path, netem-like: a packet is first dropped at random with probability {@code loss},
 * then joins a FIFO drained at {@code rate} bytes per second, tail-dropped if the queue would
 * exceed {@code queueLimit} bytes; it reaches the receiver, whose ACK for it arrives back
 * {@code baseRtt} after it left the queue. Every packet is acknowledged, immediately; ACKs are
 * never lost. All randomness comes from the seed.
 */
final class PipeSim {
    private static final int PACKET_THRESHOLD = 3;
    private static final long TICK = 5_000_000L;

    final ManualClock clock = new ManualClock();
    final CongestionController cc;
    final DeliveryRateEstimator rates = new DeliveryRateEstimator();
    final Pacer pacer;
    final RttEstimator rtt = new RttEstimator();
    final int mss;
    private final Random random;
    private final long baseRtt;
    private final long queueLimit;
    private long rate;
    private double loss;

    private final TreeMap<Long, SentPacket> outstanding = new TreeMap<>();
    private long nextPn;
    private long bytesInFlight;
    private long largestAcked = -1;
    private long linkFreeAt = Long.MIN_VALUE;
    private Scheduler.Cancellable wake;
    private long wakeAt = Long.MAX_VALUE;
    private boolean started;
    private long appRate;
    private double appBacklog;
    private long appAccruedAt;
    private int dropNext;

    long sentPackets;
    long ackedBytes;
    long lostPackets;
    long randomDrops;
    long queueDrops;
    /** Largest queueing delay any packet met, nanoseconds. */
    long maxQueueDelay;

    PipeSim(CongestionController cc, int mss, long rateBytesPerSecond, long baseRtt, long queueLimit,
            double loss, long seed) {
        this.cc = cc;
        this.mss = mss;
        this.pacer = new Pacer(mss);
        this.rate = rateBytesPerSecond;
        this.baseRtt = baseRtt;
        this.queueLimit = queueLimit;
        this.loss = loss;
        this.random = new Random(seed);
    }

    /** Runs the simulation until {@code time} (nanoseconds from the start). */
    void runUntil(long time) {
        if (!started) {
            started = true;
            pacer.setRate(cc.pacingRate());
            clock.schedule(Long.MIN_VALUE, this::trySend);
            tick();
        }
        clock.advanceTo(time);
    }

    /** Runs {@code task} every {@code period} from now on. */
    void every(long period, Runnable task) {
        clock.schedule(clock.nanos() + period, () -> {
            task.run();
            every(period, task);
        });
    }

    void setBottleneckRate(long bytesPerSecond) {
        this.rate = bytesPerSecond;
    }

    void setLoss(double loss) {
        this.loss = loss;
    }

    /** Drops the next {@code n} packets sent, as a burst of loss. */
    void dropNext(int n) {
        this.dropNext = n;
    }

    /**
     * Makes the source produce {@code bytesPerSecond} (a video encoder, say) instead of always
     * having data; 0 makes it greedy again. When it runs dry the sender reports app-limited to
     * the estimator and the controller, as the session does.
     */
    void setAppRate(long bytesPerSecond) {
        this.appRate = bytesPerSecond;
        this.appBacklog = 0;
        this.appAccruedAt = clock.nanos();
    }

    long now() {
        return clock.nanos();
    }

    long bytesInFlight() {
        return bytesInFlight;
    }

    // ------------------------------------------------------------------ sender

    private void trySend() {
        long now = clock.nanos();
        if (appRate > 0) {
            appBacklog = Math.min(4.0 * mss, appBacklog + (now - appAccruedAt) * (appRate / 1e9));
            appAccruedAt = now;
        }
        while (bytesInFlight + mss <= cc.congestionWindow()) {
            if (appRate > 0 && appBacklog < mss) {
                rates.onAppLimited(bytesInFlight);
                cc.onAppLimited(now, bytesInFlight);
                scheduleWake(now + (long) Math.ceil((mss - appBacklog) * 1e9 / appRate));
                return;
            }
            long at = pacer.nextSendTime(now, mss);
            if (at > now) {
                scheduleWake(at);
                return;
            }
            SentPacket p = new SentPacket(nextPn++, now, mss, true, List.of());
            rates.onPacketSent(now, p, bytesInFlight);
            outstanding.put(p.number(), p);
            bytesInFlight += p.size();
            cc.onPacketSent(now, p, bytesInFlight);
            pacer.onSent(now, p.size());
            sentPackets++;
            if (appRate > 0) {
                appBacklog -= mss;
            }
            transmit(p);
        }
    }

    private void scheduleWake(long at) {
        if (wake != null && wakeAt <= at && wakeAt >= clock.nanos()) {
            return;
        }
        if (wake != null) {
            wake.cancel();
        }
        wakeAt = at;
        wake = clock.schedule(at, () -> {
            wake = null;
            wakeAt = Long.MAX_VALUE;
            trySend();
        });
    }

    private void onAck(long pn) {
        long now = clock.nanos();
        SentPacket p = outstanding.remove(pn);
        if (p == null) {
            return; // declared lost already; the late ACK is not news to the controller
        }
        bytesInFlight -= p.size();
        ackedBytes += p.size();
        if (pn > largestAcked) {
            largestAcked = pn;
            rtt.update(now - p.timeSent(), 0);
        }
        List<SentPacket> acked = List.of(p);
        List<SentPacket> lost = detectLosses(now);
        RateSample sample = rates.onAck(now, acked);
        cc.onAcked(now, acked, sample, rtt, bytesInFlight);
        if (!lost.isEmpty()) {
            cc.onLost(now, lost, bytesInFlight);
        }
        pacer.setRate(cc.pacingRate());
        trySend();
    }

    /** RFC 9002 §6.1 packet and time thresholds, and a 2 × PTO silence for the tail. */
    private List<SentPacket> detectLosses(long now) {
        List<SentPacket> lost = new ArrayList<>();
        long lossDelay = Math.max(RttEstimator.GRANULARITY,
                9 * Math.max(rtt.smoothedRtt(), rtt.latestRtt()) / 8);
        long tail = 2 * rtt.probeTimeout(0);
        Iterator<Map.Entry<Long, SentPacket>> it = outstanding.entrySet().iterator();
        while (it.hasNext()) {
            SentPacket p = it.next().getValue();
            boolean byAck = p.number() < largestAcked
                    && (p.number() <= largestAcked - PACKET_THRESHOLD || p.timeSent() <= now - lossDelay);
            boolean byTimeout = p.timeSent() <= now - tail;
            if (!byAck && !byTimeout) {
                if (p.number() >= largestAcked) {
                    break;
                }
                continue;
            }
            it.remove();
            bytesInFlight -= p.size();
            lostPackets++;
            lost.add(p);
        }
        return lost;
    }

    private void tick() {
        clock.schedule(clock.nanos() + TICK, () -> {
            long now = clock.nanos();
            List<SentPacket> lost = detectLosses(now);
            if (!lost.isEmpty()) {
                cc.onLost(now, lost, bytesInFlight);
                pacer.setRate(cc.pacingRate());
                trySend();
            }
            tick();
        });
    }

    // ------------------------------------------------------------------ path

    private void transmit(SentPacket p) {
        long now = clock.nanos();
        if (dropNext > 0) {
            dropNext--;
            randomDrops++;
            return;
        }
        if (random.nextDouble() < loss) {
            randomDrops++;
            return;
        }
        long backlog = Math.max(0, linkFreeAt - now);
        long backlogBytes = (long) (backlog * (rate / 1e9));
        if (backlogBytes + p.size() > queueLimit) {
            queueDrops++;
            return;
        }
        long start = Math.max(now, linkFreeAt);
        maxQueueDelay = Math.max(maxQueueDelay, start - now);
        linkFreeAt = start + (long) Math.ceil(p.size() * 1e9 / rate);
        long pn = p.number();
        clock.schedule(linkFreeAt + baseRtt, () -> onAck(pn));
    }
}
