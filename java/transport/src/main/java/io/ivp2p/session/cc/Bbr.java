package io.ivp2p.session.cc;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import io.ivp2p.session.recovery.RttEstimator;
import io.ivp2p.session.recovery.SentPacket;

/**
 * A BBR (version 1) congestion controller, after draft-cardwell-iccrg-bbr-congestion-control-00
 * ("the draft" below; section numbers are its).
 *
 * <p><b>Why BBR.</b> A camera streams a few Mbit/s over home Wi-Fi and mobile links, where a few
 * percent of packets are lost for reasons that have nothing to do with congestion. Loss-based
 * controllers read every loss as a full queue. NewReno's steady-state rate follows the Mathis
 * formula, rate ≈ (MSS / RTT) · 1.22 / √p: with 1200-byte packets, a 40 ms RTT and 3 % random
 * loss that is 30 kB/s · 1.22 / 0.173 ≈ 211 kB/s ≈ 1.7 Mbit/s, whatever the link's capacity —
 * less than one HD stream. CUBIC's window grows faster between losses but at such loss rates and
 * small windows it runs in its Reno-friendly region and is bounded the same way. BBR instead
 * builds a model of the path — the bottleneck bandwidth (BtlBw, the largest recent delivery
 * rate) and the round-trip propagation time (RTprop, the smallest recent RTT) — and paces at
 * BtlBw with a window of about two BDPs, so random loss lowers throughput only by the packets
 * actually lost.
 *
 * <p><b>What is kept from BBRv1, and what is added.</b> The state machine (STARTUP, DRAIN,
 * PROBE_BW with its eight-phase gain cycle, PROBE_RTT), the BtlBw max filter over 10 round trips,
 * the RTprop min filter over 10 s, full-pipe detection and packet conservation during loss
 * recovery are the draft's; a loss episode lasts, as in Chromium's QUIC BBR, until a round trip
 * passes without loss (onLost says why). Loss does not lower the pacing rate. PROBE_RTT holds
 * half a BDP in flight, as BBRv2 does, instead of 4 packets ({@link #PROBE_RTT_CWND_GAIN}). Two
 * things are added:
 * <ul>
 * <li>Persistent congestion (RFC 9002 §7.6.2: "the sender's congestion window MUST be reduced to
 *     the minimum congestion window") collapses the window to {@link #MIN_PIPE_CWND_PACKETS}
 *     packets; it then regrows by the bytes each ACK delivers.</li>
 * <li>A loss safeguard, in the spirit of BBRv2's inflight_hi. BBRv1 keeps sending at its
 *     estimate for up to ten round trips after the path's capacity drops (a mobile handover,
 *     Wi-Fi rate adaptation, a competing download), overflowing the bottleneck's queue every
 *     round. So when more than 20 % of a window of at least {@value #LOSS_WINDOW_PACKETS} packets
 *     is lost <em>and</em> a queue stood through that whole window (its smallest RTT at least
 *     {@value #QUEUE_FACTOR} × RTprop), bytes in flight are capped at 0.7 of the most that was in
 *     flight; the cap grows back by a quarter per window that does not meet both conditions, and
 *     is dropped once above the cwnd target. BBRv2 reacts at 2 % loss; we must carry video
 *     through 10 % random loss, hence 20 %, and random loss comes without a queue, so the RTT
 *     condition keeps even heavier random loss from tripping it (a threshold on loss alone
 *     made 20 % random loss spiral down to 7 % of the pipe in simulation).</li>
 * </ul>
 *
 * <p><b>Measured</b> on the tests' simulated 20 Mbit/s, 40 ms path with a one-BDP queue, goodput
 * from 2 s to 20 s: 96.7 % of the pipe at 3 % random loss (NewReno: 8.5 %), 90 % at 10 % (all
 * that survives the loss; NewReno: 4 %), 85 % at 15 %, 72–77 % at 20 %. When the pipe drops to
 * 4 Mbit/s under a 30 kB queue, the safeguard holds what is in flight near the new pipe plus
 * queue and loses 2.4 times fewer packets while the old estimate lasts.
 *
 * <p><b>Units.</b> Windows and amounts are bytes on the wire; rates are bytes per second; times
 * are nanoseconds of the session's clock. The draft counts packets; "one packet" here is the
 * maximum datagram size.
 *
 * <p><b>Calls.</b> From the session's single thread, as {@link CongestionController} says; an
 * ACK's {@code onAcked} and {@code onLost} may come in either order. The {@link RateSample}
 * passed to {@code onAcked} must come from the session's {@link DeliveryRateEstimator}, which sees
 * the same packets: this controller counts round trips with its delivered counts. Not
 * thread-safe.
 */
public final class Bbr implements CongestionController {
    /** The draft's §4.3 states. */
    public enum State { STARTUP, DRAIN, PROBE_BW, PROBE_RTT }

    /**
     * §4.3.2.1: "BBRHighGain = 2/ln(2)", "the smallest pacing_gain ... that will allow the
     * sending rate to double each round trip"; Startup's pacing gain, and Drain's inverted.
     */
    static final double HIGH_GAIN = 2 / Math.log(2);
    /**
     * Startup's and Drain's cwnd gain. The -00 draft uses BBRHighGain here too; later BBR drafts
     * (BBRStartupCwndGain) use 2, which already covers the doubling and queues less.
     */
    static final double STARTUP_CWND_GAIN = 2;
    /** §4.3.4: "BBR.cwnd_gain = 2" in ProbeBW, to tolerate delayed and stretched ACKs. */
    static final double PROBE_BW_CWND_GAIN = 2;
    /** §4.3.4.3: "pacing_gain_cycle = [5/4, 3/4, 1, 1, 1, 1, 1, 1]". */
    static final double[] PACING_GAIN_CYCLE = {1.25, 0.75, 1, 1, 1, 1, 1, 1};
    /** §4.1.1.2: "BtlBwFilterLen ... 10 packet-timed round trips". */
    static final int BTLBW_FILTER_ROUNDS = 10;
    /** §4.1.2.2: "RTpropFilterLen ... 10 secs". */
    static final long RTPROP_FILTER_LEN = 10_000_000_000L;
    /** §4.3.5: "ProbeRTTDuration ... 200 ms". */
    static final long PROBE_RTT_DURATION = 200_000_000L;
    /** §4.2.3.3: "BBRMinPipeCwnd ... 4 packets", enough to keep ACKs flowing with delayed ACKs. */
    static final int MIN_PIPE_CWND_PACKETS = 4;
    /**
     * PROBE_RTT's window as a share of the BDP, BBRv2's instead of BBRv1's 4 packets
     * (draft-cardwell-iccrg-bbr-congestion-control-02 §4.6.4.1: "BBR.ProbeRTTCwndGain = 0.5";
     * Linux tcp_bbr2 the same). Half a BDP still drains any queue, so RTprop is re-measured, but a
     * channel carrying audio or commands is no longer held to 4 packets per round trip for 200 ms:
     * with 4 packets, PROBE_RTT was the 99th-percentile latency of the benchmark's 1 KB messages
     * at 0 % loss (3.2 RTT, bench/RESULTS-transport.md of 2026-11-21).
     */
    static final double PROBE_RTT_CWND_GAIN = 0.5;
    /** §4.3.2.2: BtlBw must grow by 25 % ... */
    static final double FULL_BW_GROWTH = 1.25;
    /** §4.3.2.2: ... within three non-app-limited round trips, or the pipe is full. */
    static final int FULL_BW_ROUNDS = 3;

    /** Safeguard: fraction of a loss window's outcomes that, lost, counts as congestion. */
    static final double LOSS_THRESHOLD = 0.2;
    /** Safeguard: least packets a loss window must resolve (lost or delivered) before it is judged. */
    static final int LOSS_WINDOW_PACKETS = 64;
    /** Safeguard: the cap is this fraction of the most that was in flight (BBRv2's beta). */
    static final double LOSS_BETA = 0.7;
    /**
     * Safeguard: the loss counts as congestion only if even the window's smallest RTT was this
     * multiple of RTprop, i.e. a queue stood through the whole window. Random loss comes with no
     * queue; BBR's own probing queues at most a quarter BDP, and only in one phase of eight, so a
     * window's minimum stays near RTprop.
     */
    static final double QUEUE_FACTOR = 1.25;
    /** Safeguard: growth of the cap per loss window not judged congested. */
    static final double CAP_GROWTH = 1.25;

    /** RFC 9002 §6.2.2: "kInitialRtt" of 333 ms, for the pacing rate before any RTT sample. */
    static final long INITIAL_RTT = RttEstimator.INITIAL_RTT;

    private static final double NANOS_PER_SECOND = 1e9;
    private static final long NO_CAP = Long.MAX_VALUE;

    private final int mss;
    private final RandomGenerator random;
    private final boolean lossSafeguard;
    private final long initialCwnd;
    private final long minCwnd;

    private State state;
    private double pacingGain;
    private double cwndGain;
    private long cwnd;
    private long pacingRate;
    private boolean pacingFromRtt;

    // §4.1.1 bottleneck bandwidth model and §4.1.1.3 round counting
    private final RoundMaxFilter btlBwFilter = new RoundMaxFilter(BTLBW_FILTER_ROUNDS);
    private long btlBw;
    private long delivered;
    private long nextRoundDelivered;
    private long roundCount;
    private boolean roundStart;

    // §4.1.2 round-trip propagation time model
    private long rtProp = Long.MAX_VALUE;
    private long rtPropStamp;
    private boolean rtPropExpired;

    // §4.3.2.2 full pipe
    private boolean filledPipe;
    private long fullBw;
    private int fullBwCount;

    // §4.3.4 gain cycling
    private int cycleIndex;
    private long cycleStamp;

    // §4.3.5 ProbeRTT
    private boolean probeRttDoneStampSet;
    private long probeRttDoneStamp;
    private boolean probeRttRoundDone;
    /** ProbeRTT's own C.app_limited (§4.3.5), kept here because the estimator is the session's. */
    private long probeRttAppLimitedUntil;
    private long probeRttFirstPn = -1;
    private long probeRttLastPn = -1;

    // §4.2.3.4 loss recovery, with RFC 9002 §7.3.2 recovery periods
    private long priorCwnd;
    private boolean packetConservation;
    private boolean inRecovery;
    private long recoveryStartTime = Long.MIN_VALUE;
    private long lostSinceLastAck;

    /** The session's C.app_limited as reported by {@link #onAppLimited}, for restarts from idle. */
    private long appLimitedUntil;
    private boolean idleRestart;

    // loss safeguard
    private long lossWindowLost;
    private long lossWindowDelivered;
    private long lossWindowMaxInflight;
    private long lossWindowMinRtt = Long.MAX_VALUE;
    private long inflightCap = NO_CAP;

    /**
     * @param maxDatagramSize the largest datagram the session sends, bytes on the wire
     * @param random          picks ProbeBW's starting phase (§4.3.4.2); seed it in tests
     */
    public Bbr(int maxDatagramSize, RandomGenerator random) {
        this(maxDatagramSize, random, true);
    }

    /** As {@link #Bbr(int, RandomGenerator)}; tests turn the loss safeguard off to compare. */
    Bbr(int maxDatagramSize, RandomGenerator random, boolean lossSafeguard) {
        if (maxDatagramSize <= 0) {
            throw new IllegalArgumentException("maxDatagramSize " + maxDatagramSize);
        }
        this.mss = maxDatagramSize;
        this.random = random;
        this.lossSafeguard = lossSafeguard;
        // RFC 9002 §7.2: "the initial congestion window ... min(10 * max_datagram_size,
        // max(14720, 2 * max_datagram_size))".
        this.initialCwnd = Math.min(10L * mss, Math.max(14_720L, 2L * mss));
        this.minCwnd = (long) MIN_PIPE_CWND_PACKETS * mss;
        this.cwnd = initialCwnd;
        // §4.2.1 BBRInitPacingRate: "nominal_bandwidth = InitialCwnd / (SRTT ? SRTT : 1ms);
        // BBR.pacing_rate = BBR.pacing_gain * nominal_bandwidth". With no RTT sample yet we
        // use RFC 9002's kInitialRtt rather than 1 ms: 1 ms would let the whole initial window
        // out as one burst onto a path we know nothing about (a congested cellular uplink,
        // a camera's 2.4 GHz Wi-Fi), while 333 ms spreads it over ~115 ms, which costs at
        // most one round trip at start. The first RTT sample recomputes it from SRTT
        // (setPacingRate), as the draft's formula intends.
        enterStartup();
        this.pacingRate = (long) (HIGH_GAIN * initialCwnd * NANOS_PER_SECOND / INITIAL_RTT);
    }

    // ------------------------------------------------------------------ events

    @Override
    public void onPacketSent(long now, SentPacket packet, long bytesInFlight) {
        if (!packet.inFlight()) {
            return;
        }
        // §4.3.4.4 BBRHandleRestartFromIdle: "if (packets_in_flight == 0 and C.app_limited)
        //   BBR.idle_restart = true; if (BBR.state == ProbeBW) BBRSetPacingRateWithGain(1)"
        // After idle, send at the estimated rate rather than a probing or draining gain.
        if (bytesInFlight - packet.size() <= 0 && appLimitedUntil != 0) {
            idleRestart = true;
            if (state == State.PROBE_BW) {
                setPacingRateWithGain(1);
            }
        }
        if (probeRttAppLimitedUntil != 0) {
            if (probeRttFirstPn < 0) {
                probeRttFirstPn = packet.number();
            }
            probeRttLastPn = packet.number();
        }
        lossWindowMaxInflight = Math.max(lossWindowMaxInflight, bytesInFlight);
    }

    @Override
    public void onAcked(long now, List<SentPacket> acked, RateSample sample, RttEstimator rtt,
            long bytesInFlight) {
        long newlyAcked = 0;
        long newestPn = -1;
        boolean recoveryOver = false;
        for (SentPacket p : acked) {
            if (!p.inFlight()) {
                continue;
            }
            newlyAcked += p.size();
            newestPn = Math.max(newestPn, p.number());
            // RFC 9002 §7.3.2: "A recovery period ends and the sender enters congestion
            // avoidance when a packet sent during the recovery period is acknowledged" — here
            // the period restarts at each loss (onLost), so this takes a loss-free round trip.
            if (inRecovery && p.timeSent() > recoveryStartTime) {
                recoveryOver = true;
            }
        }
        if (newlyAcked == 0) {
            return;
        }
        // The estimator's C.delivered after this ACK, the unit of P.delivered and of rounds.
        delivered = sample.newlyAcked() > 0
                ? sample.priorDelivered() + sample.delivered()
                : delivered + newlyAcked;
        long priorInflight = bytesInFlight + newlyAcked;
        long lost = lostSinceLastAck;
        lostSinceLastAck = 0;
        lossWindowDelivered += newlyAcked;
        lossWindowMaxInflight = Math.max(lossWindowMaxInflight, priorInflight);
        if (sample.rtt() > 0) {
            lossWindowMinRtt = Math.min(lossWindowMinRtt, sample.rtt());
        }

        if (appLimitedUntil != 0 && delivered > appLimitedUntil) {
            appLimitedUntil = 0;
        }
        if (probeRttAppLimitedUntil != 0 && delivered > probeRttAppLimitedUntil) {
            probeRttAppLimitedUntil = 0;
        }
        boolean appLimited = sample.appLimited()
                || (probeRttFirstPn >= 0 && newestPn >= probeRttFirstPn && newestPn <= probeRttLastPn);

        if (recoveryOver) {
            // §4.2.3.4: "Upon exiting loss recovery ... BBR restores the best-known cwnd value we
            // had upon entering loss recovery: BBR.packet_conservation = false; BBRRestoreCwnd()"
            inRecovery = false;
            packetConservation = false;
            restoreCwnd();
        }

        // §4.4 BBRUpdateModelAndState
        updateRound(sample);
        if (roundStart) {
            // §4.2.3.4: "After one round-trip in Fast Recovery: BBR.packet_conservation = false"
            packetConservation = false;
        }
        updateBtlBw(sample, appLimited);
        checkCyclePhase(now, priorInflight, lost);
        checkFullPipe(appLimited);
        checkDrain(now, bytesInFlight);
        updateRtProp(now, sample.rtt());
        checkProbeRtt(now, bytesInFlight);
        if (roundStart && lossSafeguard) {
            judgeLossWindow();
        }
        // §4.4 BBRUpdateControlParameters
        setPacingRate(rtt);
        setCwnd(newlyAcked, bytesInFlight);
    }

    @Override
    public void onLost(long now, List<SentPacket> lost, long bytesInFlight) {
        long lostBytes = 0;
        long lastSent = Long.MIN_VALUE;
        for (SentPacket p : lost) {
            if (p.inFlight()) {
                lostBytes += p.size();
                lastSent = Math.max(lastSent, p.timeSent());
            }
        }
        if (lostBytes == 0) {
            return;
        }
        lostSinceLastAck += lostBytes;
        lossWindowLost += lostBytes;
        // Loss episodes. RFC 9002 §7.3.2 ends a recovery period one round trip after it began,
        // at the first ACK of a packet sent after its start. TCP's recovery, for which BBRv1 was
        // written, lasts until all data outstanding at its start is repaired, and BBR conserves
        // packets only in its first round. With QUIC's short periods, steady random loss would
        // open a new episode, and so a conservation round, every round trip, each shrinking
        // what is in flight by the loss rate: on the simulated 20 Mbit/s pipe at 10 % random
        // loss that left 40 % of the pipe. So, as Chromium's QUIC BBR does, every loss moves the
        // recovery start time to now: recovery ends only after a round trip without loss, and
        // within it conservation covers just the first round (the same pipe then carries 90 %,
        // all that survives the loss). A new episode needs a loss of a packet sent after the
        // last one's start (RFC 9002 §7.3.2).
        if (!inRecovery && lastSent > recoveryStartTime) {
            // §4.2.3.4 BBROnEnterFastRecovery: "BBR.prior_cwnd = BBRSaveCwnd();
            //   cwnd = packets_in_flight + max(packets_delivered, 1);
            //   BBR.packet_conservation = true"
            // For one round trip, one packet is sent per packet delivered; the pacing rate, and
            // so the model, is untouched. The round restarts now, as Linux's BBR does, so that
            // conservation lasts a whole round.
            priorCwnd = saveCwnd();
            inRecovery = true;
            packetConservation = true;
            nextRoundDelivered = delivered;
            cwnd = Math.max(bytesInFlight + mss, minCwnd);
        } else {
            // §4.2.3.4 BBRModulateCwndForRecovery: "if (packets_lost > 0)
            //   cwnd = max(cwnd - packets_lost, 1)" (our floor is the pipelining minimum).
            cwnd = Math.max(cwnd - lostBytes, minCwnd);
        }
        recoveryStartTime = now;
        boundCwnd();
    }

    @Override
    public void onPersistentCongestion(long now) {
        // RFC 9002 §7.6.2: "When persistent congestion is declared, the sender's congestion
        // window MUST be reduced to the minimum congestion window". The draft's RTO handling
        // (§4.2.3.4) would restore prior_cwnd when recovery ends; RFC 9002 wants the window to
        // regrow instead, so nothing is saved to restore. RFC 9002's pseudocode clears the
        // recovery start time; we date it now, so that stragglers of the same collapse declared
        // lost later do not open a conservation episode that resizes the window from bytes in
        // flight.
        priorCwnd = 0;
        inRecovery = false;
        packetConservation = false;
        recoveryStartTime = now;
        cwnd = minCwnd;
    }

    @Override
    public void onAppLimited(long now, long bytesInFlight) {
        // draft-cheng-iccrg-delivery-rate-estimation-02 §3.4: "C.app_limited =
        // (C.delivered + C.pipe) ? : 1", mirrored here for §4.3.4.4's restart from idle.
        long mark = delivered + bytesInFlight;
        appLimitedUntil = mark > 0 ? mark : 1;
    }

    @Override
    public long congestionWindow() {
        return cwnd;
    }

    @Override
    public long pacingRate() {
        return pacingRate;
    }

    // ------------------------------------------------------------------ stats

    public State state() {
        return state;
    }

    /** Bottleneck bandwidth estimate, bytes per second; 0 before the first rate sample. */
    public long btlBw() {
        return btlBw;
    }

    /** Round-trip propagation time estimate, nanoseconds; MAX_VALUE before the first RTT sample. */
    public long rtProp() {
        return rtProp;
    }

    /** The current pacing gain: the state's, or ProbeBW's current phase. */
    public double pacingGain() {
        return pacingGain;
    }

    /** The current cwnd gain. */
    public double cwndGain() {
        return cwndGain;
    }

    int cycleIndex() {
        return cycleIndex;
    }

    long roundCount() {
        return roundCount;
    }

    boolean filledPipe() {
        return filledPipe;
    }

    long rtPropStamp() {
        return rtPropStamp;
    }

    /** The loss safeguard's cap on bytes in flight; MAX_VALUE when none. */
    long inflightCap() {
        return inflightCap;
    }

    long minCwnd() {
        return minCwnd;
    }

    long initialCwnd() {
        return initialCwnd;
    }

    @Override
    public String toString() {
        return "Bbr{" + state + ", btlBw=" + btlBw + " B/s, rtProp=" + rtProp / 1000 + " us, cwnd="
                + cwnd + ", pacing=" + pacingRate + " B/s, gain=" + pacingGain + "}";
    }

    // ------------------------------------------------------------------ model

    /** §4.1.1.3 BBRUpdateRound: a round ends when a packet sent after the last round began is acked. */
    private void updateRound(RateSample sample) {
        // "if (packet.delivered >= BBR.next_round_delivered)
        //    BBR.next_round_delivered = BBR.delivered; BBR.round_count++; BBR.round_start = true"
        if (sample.newlyAcked() > 0 && sample.priorDelivered() >= nextRoundDelivered) {
            nextRoundDelivered = delivered;
            roundCount++;
            roundStart = true;
        } else {
            roundStart = false;
        }
    }

    /** §4.1.1.5 BBRUpdateBtlBw. */
    private void updateBtlBw(RateSample sample, boolean appLimited) {
        if (!sample.valid()) {
            return;
        }
        // §4.1.1.4: "if (rs.delivery_rate >= BBR.BtlBw || ! rs.is_app_limited)" — an
        // app-limited sample shows what the application sent, not what the path can carry, so
        // it may raise the estimate but never hold it down.
        if (sample.deliveryRate() >= btlBw || !appLimited) {
            btlBw = btlBwFilter.update(roundCount, sample.deliveryRate());
        }
    }

    /** §4.1.2.3 BBRUpdateRTprop. */
    private void updateRtProp(long now, long rtt) {
        // "BBR.rtprop_expired = Now() > BBR.rtprop_stamp + RTpropFilterLen"
        rtPropExpired = rtProp != Long.MAX_VALUE && now - rtPropStamp > RTPROP_FILTER_LEN;
        // "if (packet.rtt >= 0 and (packet.rtt <= BBR.RTprop or BBR.rtprop_expired))"
        // We refresh on a strictly lower RTT, as Linux does: an equal one would keep the stamp
        // fresh forever on a quiet path, and PROBE_RTT would then never re-measure a queue-free
        // RTT when cross traffic later builds a standing queue.
        if (rtt > 0 && (rtt < rtProp || rtPropExpired)) {
            rtProp = rtt;
            rtPropStamp = now;
        }
    }

    /** §4.3.2.2 BBRCheckFullPipe. */
    private void checkFullPipe(boolean appLimited) {
        // "if BBR.filled_pipe or not BBR.round_start or rs.is_app_limited return"
        if (filledPipe || !roundStart || appLimited) {
            return;
        }
        // "if (BBR.BtlBw >= BBR.full_bw * 1.25)  // BBR.BtlBw still growing?"
        if (btlBw >= fullBw * FULL_BW_GROWTH) {
            fullBw = btlBw;
            fullBwCount = 0;
            return;
        }
        // "BBR.full_bw_count++ ... if (BBR.full_bw_count >= 3) BBR.filled_pipe = true"
        fullBwCount++;
        if (fullBwCount >= FULL_BW_ROUNDS) {
            filledPipe = true;
        }
    }

    // ------------------------------------------------------------------ state machine

    /** §4.3.2 BBREnterStartup. */
    private void enterStartup() {
        state = State.STARTUP;
        pacingGain = HIGH_GAIN;
        cwndGain = STARTUP_CWND_GAIN;
    }

    /** §4.3.3 BBRCheckDrain. */
    private void checkDrain(long now, long bytesInFlight) {
        // "if (BBR.state == Startup and BBR.filled_pipe) BBREnterDrain()"
        if (state == State.STARTUP && filledPipe) {
            state = State.DRAIN;
            pacingGain = 1 / HIGH_GAIN; // "pace slowly"
            cwndGain = STARTUP_CWND_GAIN; // "maintain cwnd"
        }
        // "if (BBR.state == Drain and packets_in_flight <= BBRInflight(1.0))
        //    BBREnterProbeBW()  // we estimate queue is drained"
        if (state == State.DRAIN && bytesInFlight <= inflight(1.0)) {
            enterProbeBw(now);
        }
    }

    /** §4.3.4.3 BBREnterProbeBW. */
    private void enterProbeBw(long now) {
        state = State.PROBE_BW;
        pacingGain = 1;
        cwndGain = PROBE_BW_CWND_GAIN;
        // §4.3.4.2: "BBR.cycle_index = BBRGainCycleLen - 1 - random_int_between(0, 6)" and then
        // one advance: the first phase is any but the 3/4 one, which would drain a queue that
        // is not there; random so that flows sharing a bottleneck do not probe in step.
        cycleIndex = PACING_GAIN_CYCLE.length - 1 - random.nextInt(PACING_GAIN_CYCLE.length - 1);
        advanceCyclePhase(now);
    }

    /** §4.3.4.3 BBRCheckCyclePhase. */
    private void checkCyclePhase(long now, long priorInflight, long lost) {
        if (state == State.PROBE_BW && isNextCyclePhase(now, priorInflight, lost)) {
            advanceCyclePhase(now);
        }
    }

    private void advanceCyclePhase(long now) {
        cycleStamp = now;
        cycleIndex = (cycleIndex + 1) % PACING_GAIN_CYCLE.length;
        pacingGain = PACING_GAIN_CYCLE[cycleIndex];
    }

    /** §4.3.4.3 BBRIsNextCyclePhase. */
    private boolean isNextCyclePhase(long now, long priorInflight, long lost) {
        // "is_full_length = (Now() - BBR.cycle_stamp) > BBR.RTprop"
        boolean fullLength = now - cycleStamp > rtProp;
        if (pacingGain == 1) {
            return fullLength;
        }
        if (pacingGain > 1) {
            // Probing: stay until the extra data has reached the bottleneck, or loss says it has.
            return fullLength && (lost > 0 || priorInflight >= inflight(pacingGain));
        }
        // Draining: leave early once the queue the probe built is gone.
        return fullLength || priorInflight <= inflight(1.0);
    }

    /** §4.3.5 BBRCheckProbeRTT. */
    private void checkProbeRtt(long now, long bytesInFlight) {
        // "if (BBR.state != ProbeRTT and BBR.rtprop_expired and not BBR.idle_restart)"
        if (state != State.PROBE_RTT && rtPropExpired && !idleRestart) {
            // Saved before the state changes, so that BBRSaveCwnd takes this window and not a
            // stale prior_cwnd (the draft calls it after BBREnterProbeRTT).
            priorCwnd = saveCwnd();
            state = State.PROBE_RTT;
            pacingGain = 1;
            cwndGain = 1;
            probeRttDoneStampSet = false;
            probeRttFirstPn = -1;
            probeRttLastPn = -1;
        }
        if (state == State.PROBE_RTT) {
            handleProbeRtt(now, bytesInFlight);
        }
        idleRestart = false;
    }

    /** §4.3.5 BBRHandleProbeRTT. */
    private void handleProbeRtt(long now, long bytesInFlight) {
        // "/* Ignore low rate samples during ProbeRTT: */
        //  C.app_limited = (BW.delivered + packets_in_flight) ? : 1"
        // The session's estimator cannot see this state, so samples of packets sent from here
        // until that mark is delivered are treated as app-limited by onAcked.
        long mark = delivered + bytesInFlight;
        probeRttAppLimitedUntil = mark > 0 ? mark : 1;
        // "if (BBR.probe_rtt_done_stamp == 0 and packets_in_flight <= BBRMinPipeCwnd)
        //    BBR.probe_rtt_done_stamp = Now() + ProbeRTTDuration; BBR.probe_rtt_round_done = false;
        //    BBR.next_round_delivered = BBR.delivered"
        if (!probeRttDoneStampSet && bytesInFlight <= probeRttCwnd()) {
            probeRttDoneStamp = now + PROBE_RTT_DURATION;
            probeRttDoneStampSet = true;
            probeRttRoundDone = false;
            nextRoundDelivered = delivered;
        } else if (probeRttDoneStampSet) {
            // "if (BBR.round_start) BBR.probe_rtt_round_done = true
            //  if (BBR.probe_rtt_round_done and Now() > BBR.probe_rtt_done_stamp)
            //    BBR.rtprop_stamp = Now(); BBRRestoreCwnd(); BBRExitProbeRTT()"
            // At least 200 ms and one round trip at half a BDP in flight (PROBE_RTT_CWND_GAIN).
            if (roundStart) {
                probeRttRoundDone = true;
            }
            if (probeRttRoundDone && now > probeRttDoneStamp) {
                rtPropStamp = now;
                restoreCwnd();
                // "BBRExitProbeRTT(): if (BBR.filled_pipe) BBREnterProbeBW() else BBREnterStartup()"
                if (filledPipe) {
                    enterProbeBw(now);
                } else {
                    enterStartup();
                }
            }
        }
    }

    // ------------------------------------------------------------------ control parameters

    /** §4.2.1 BBRSetPacingRate. */
    private void setPacingRate(RttEstimator rtt) {
        // BBRInitPacingRate again once SRTT exists (see the constructor); only raises the rate.
        if (!pacingFromRtt && rtt != null && rtt.hasSample()) {
            pacingFromRtt = true;
            long nominal = (long) (HIGH_GAIN * initialCwnd * NANOS_PER_SECOND
                    / Math.max(1, rtt.smoothedRtt()));
            pacingRate = Math.max(pacingRate, nominal);
        }
        setPacingRateWithGain(pacingGain);
    }

    /** §4.2.1 BBRSetPacingRateWithGain. */
    private void setPacingRateWithGain(double gain) {
        // "rate = pacing_gain * BBR.BtlBw
        //  if (BBR.filled_pipe || rate > BBR.pacing_rate) BBR.pacing_rate = rate"
        // Until the pipe is full the rate only rises, so one low early sample cannot stall startup.
        long rate = (long) (gain * btlBw);
        if (filledPipe || rate > pacingRate) {
            pacingRate = rate;
        }
    }

    /** §4.2.2 BBRSetSendQuantum, in bytes. */
    private long sendQuantum() {
        // "if (BBR.pacing_rate < 1.2 Mbps) 1 * MSS; else if (< 24 Mbps) 2 * MSS;
        //  else min(BBR.pacing_rate * 1ms, 64KBytes)"
        if (pacingRate < 150_000) { // 1.2 Mbit/s
            return mss;
        }
        if (pacingRate < 3_000_000) { // 24 Mbit/s
            return 2L * mss;
        }
        return Math.min(pacingRate / 1000, 64 * 1024);
    }

    /** The window in PROBE_RTT: half a BDP (see {@link #PROBE_RTT_CWND_GAIN}), at least 4 packets. */
    long probeRttCwnd() {
        if (rtProp == Long.MAX_VALUE) {
            return minCwnd;
        }
        return Math.max(minCwnd, (long) (PROBE_RTT_CWND_GAIN * btlBw * (rtProp / NANOS_PER_SECOND)));
    }

    /** §4.2.3.2 BBRInflight: gain × BDP plus three send quanta for the end hosts' batching. */
    long inflight(double gain) {
        // "if (BBR.RTprop == Inf) return InitialCwnd /* no valid RTT samples yet */"
        if (rtProp == Long.MAX_VALUE) {
            return initialCwnd;
        }
        // "quanta = 3*BBR.send_quantum; estimated_bdp = BBR.BtlBw * BBR.RTprop;
        //  return gain * estimated_bdp + quanta"
        double bdp = btlBw * (rtProp / NANOS_PER_SECOND);
        return (long) (gain * bdp) + 3 * sendQuantum();
    }

    /** §4.2.3.6 BBRSetCwnd. */
    private void setCwnd(long newlyAcked, long bytesInFlight) {
        long target = inflight(cwndGain);
        // §4.2.3.4: "if (BBR.packet_conservation) cwnd = max(cwnd, packets_in_flight +
        // packets_delivered)" (the loss term was applied in onLost).
        if (packetConservation) {
            cwnd = Math.max(cwnd, bytesInFlight + newlyAcked);
        } else {
            // "if (BBR.filled_pipe) cwnd = min(cwnd + packets_delivered, BBR.target_cwnd)
            //  else if (cwnd < BBR.target_cwnd || BBR.delivered < InitialCwnd)
            //    cwnd = cwnd + packets_delivered
            //  cwnd = max(cwnd, BBRMinPipeCwnd)"
            // Growing by what was delivered, not jumping to the target, keeps the window from
            // outrunning ACKs when the target moves up.
            if (filledPipe) {
                cwnd = Math.min(cwnd + newlyAcked, target);
            } else if (cwnd < target || delivered < initialCwnd) {
                cwnd += newlyAcked;
            }
            cwnd = Math.max(cwnd, minCwnd);
        }
        boundCwnd();
    }

    /** §4.2.3.5 BBRModulateCwndForProbeRTT (with BBRv2's window, see PROBE_RTT_CWND_GAIN), then the loss safeguard's cap. */
    private void boundCwnd() {
        if (state == State.PROBE_RTT) {
            cwnd = Math.min(cwnd, probeRttCwnd());
        }
        if (cwnd > inflightCap) {
            cwnd = Math.max(inflightCap, minCwnd);
        }
    }

    /** §4.2.3.4 BBRSaveCwnd. */
    private long saveCwnd() {
        // "if (not InLossRecovery() and BBR.state != ProbeRTT) return cwnd
        //  else return max(BBR.prior_cwnd, cwnd)"
        if (!inRecovery && state != State.PROBE_RTT) {
            return cwnd;
        }
        return Math.max(priorCwnd, cwnd);
    }

    /** §4.2.3.4 BBRRestoreCwnd: "cwnd = max(cwnd, BBR.prior_cwnd)". */
    private void restoreCwnd() {
        cwnd = Math.max(cwnd, priorCwnd);
    }

    /** The loss safeguard (class comment), judged at round starts. */
    private void judgeLossWindow() {
        long outcomes = lossWindowLost + lossWindowDelivered;
        if (outcomes < (long) LOSS_WINDOW_PACKETS * mss) {
            return;
        }
        // Congestion, not random loss: the whole window queued (see QUEUE_FACTOR).
        boolean queued = rtProp != Long.MAX_VALUE && lossWindowMinRtt >= rtProp * QUEUE_FACTOR;
        if (lossWindowLost > LOSS_THRESHOLD * outcomes && queued) {
            long base = Math.min(lossWindowMaxInflight, inflightCap);
            inflightCap = Math.max(minCwnd, (long) (base * LOSS_BETA));
        } else if (inflightCap != NO_CAP) {
            inflightCap = (long) (inflightCap * CAP_GROWTH);
            if (inflightCap >= inflight(cwndGain)) {
                inflightCap = NO_CAP;
            }
        }
        lossWindowLost = 0;
        lossWindowDelivered = 0;
        lossWindowMaxInflight = 0;
        lossWindowMinRtt = Long.MAX_VALUE;
    }

    /**
     * A windowed maximum over round trips (§4.1.1.2): the largest value of the last
     * {@code rounds} rounds, the current one included. One slot per round, so it is exact; ten
     * slots cost nothing next to the per-ACK work around it.
     */
    static final class RoundMaxFilter {
        private final long[] max;
        private final long[] round;

        RoundMaxFilter(int rounds) {
            max = new long[rounds];
            round = new long[rounds];
            Arrays.fill(round, -1);
        }

        /** Takes {@code value} for round {@code r} (never decreasing) and returns the window's max. */
        long update(long r, long value) {
            int slot = (int) (r % max.length);
            if (round[slot] != r) {
                round[slot] = r;
                max[slot] = value;
            } else {
                max[slot] = Math.max(max[slot], value);
            }
            long best = 0;
            for (int i = 0; i < max.length; i++) {
                if (round[i] >= 0 && r - round[i] < max.length) {
                    best = Math.max(best, max[i]);
                }
            }
            return best;
        }
    }
}
