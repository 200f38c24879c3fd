package io.ivp2p.session.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.ivp2p.session.cc.Bbr.State;
import io.ivp2p.session.recovery.RttEstimator;
import io.ivp2p.session.recovery.SentPacket;

/**
 * BBR on a simulated path ({@link PipeSim}): 20 Mbit/s, 40 ms base RTT, a one-BDP (100 kB)
 * bottleneck queue unless a test says otherwise. Every run is seeded, so figures are exact
 * repeats; the bounds below leave room for the sequence of random drops, not for flakiness.
 */
class BbrTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final int MSS = 1200;
    private static final long RATE = 2_500_000; // 20 Mbit/s
    private static final long RTT = 40 * MS;
    private static final long BDP = 100_000;

    private static Bbr bbr(long seed) {
        return new Bbr(MSS, new SplittableRandom(seed));
    }

    private static PipeSim pipe(CongestionController cc, double loss) {
        return new PipeSim(cc, MSS, RATE, RTT, BDP, loss, 42);
    }

    /** What BBR looked like at the first millisecond of each new round. */
    private record Round(long round, long time, State state, long pacingRate, long cwnd, long btlBw,
            long inFlight) {
    }

    private static List<Round> recordRounds(Bbr bbr, PipeSim sim) {
        List<Round> rounds = new ArrayList<>();
        sim.every(MS, () -> {
            if (rounds.isEmpty() || rounds.get(rounds.size() - 1).round() != bbr.roundCount()) {
                rounds.add(new Round(bbr.roundCount(), sim.now(), bbr.state(), bbr.pacingRate(),
                        bbr.congestionWindow(), bbr.btlBw(), sim.bytesInFlight()));
            }
        });
        return rounds;
    }

    /** Each change of state, with its time. */
    private record Change(long time, State state) {
    }

    private static List<Change> recordStates(Bbr bbr, PipeSim sim) {
        List<Change> changes = new ArrayList<>();
        changes.add(new Change(0, bbr.state()));
        sim.every(MS, () -> {
            if (changes.get(changes.size() - 1).state() != bbr.state()) {
                changes.add(new Change(sim.now(), bbr.state()));
            }
        });
        return changes;
    }

    @Test
    void startupGrowsEachRoundUntilTheBandwidthStopsGrowingThenDrainsIntoProbeBw() {
        Bbr bbr = bbr(1);
        long[] drainExit = {-1, -1}; // bytes in flight, one BDP (+ quanta) by the model
        CongestionController spy = new Spy(bbr) {
            @Override
            public void onAcked(long now, List<SentPacket> acked, RateSample sample, RttEstimator rtt,
                    long bytesInFlight) {
                State before = bbr.state();
                bbr.onAcked(now, acked, sample, rtt, bytesInFlight);
                if (before == State.DRAIN && bbr.state() == State.PROBE_BW) {
                    drainExit[0] = bytesInFlight;
                    drainExit[1] = bbr.inflight(1.0);
                }
            }
        };
        PipeSim sim = pipe(spy, 0);
        List<Round> rounds = recordRounds(bbr, sim);
        List<Change> states = recordStates(bbr, sim);

        sim.runUntil(2 * SECOND);

        assertEquals(List.of(State.STARTUP, State.DRAIN, State.PROBE_BW),
                states.stream().map(Change::state).limit(3).toList());
        List<Round> startup = rounds.stream().filter(r -> r.state() == State.STARTUP).toList();
        for (int i = 1; i < startup.size(); i++) {
            assertTrue(startup.get(i).pacingRate() >= startup.get(i - 1).pacingRate(),
                    "startup's pacing rate never falls: " + startup);
        }
        // While the estimate is below the pipe's rate, each round roughly doubles what is sent.
        int full = 0;
        while (startup.get(full).btlBw() < RATE * 9 / 10) {
            full++;
        }
        assertTrue(full >= 4, "a 100 kB pipe takes several doublings from a 12 kB window");
        // (From the third round: before, the SRTT-based initial rate is above the samples'.)
        for (int i = 3; i < full; i++) {
            Round before = startup.get(i - 1);
            Round after = startup.get(i);
            assertTrue(after.pacingRate() > before.pacingRate() * 3 / 2, "round " + i + ": " + startup);
            assertTrue(after.cwnd() > before.cwnd() * 3 / 2, "round " + i + ": " + startup);
        }
        // Full pipe: three rounds without 25 % growth, then Drain.
        Round lastStartup = startup.get(startup.size() - 1);
        assertEquals(startup.get(full).round() + 2, lastStartup.round());
        assertTrue(bbr.filledPipe());
        long btlBwAtFull = lastStartup.btlBw();
        assertTrue(btlBwAtFull >= RATE * 95 / 100 && btlBwAtFull <= RATE * 105 / 100, "BtlBw " + btlBwAtFull);
        // Drain ends once what is in flight fits one BDP: Probe BW starts with the queue gone.
        assertTrue(drainExit[0] >= 0 && drainExit[0] <= drainExit[1],
                drainExit[0] + " B in flight when Drain ended, BDP " + drainExit[1]);
        assertTrue(drainExit[1] <= BDP * 11 / 10);
        assertEquals(40_480_000, bbr.rtProp(), "40 ms plus one packet's time on the 20 Mbit/s link");
    }

    @Test
    void probeBwCyclesItsEightGainsOneRoundTripPerPhase() {
        Bbr bbr = bbr(3);
        PipeSim sim = pipe(bbr, 0);
        sim.runUntil(2 * SECOND);
        assertEquals(State.PROBE_BW, bbr.state());
        List<long[]> phases = new ArrayList<>(); // {cycle index, start time}
        sim.every(100_000, () -> {
            if (phases.isEmpty() || phases.get(phases.size() - 1)[0] != bbr.cycleIndex()) {
                phases.add(new long[] {bbr.cycleIndex(), sim.now()});
            }
            assertEquals(Bbr.PACING_GAIN_CYCLE[bbr.cycleIndex()], bbr.pacingGain());
        });

        sim.runUntil(5 * SECOND);

        assertTrue(phases.size() > 3 * 8, "phases seen: " + phases.size());
        Set<Long> seen = new HashSet<>();
        for (int i = 1; i < phases.size(); i++) {
            long previous = phases.get(i - 1)[0];
            long index = phases.get(i)[0];
            seen.add(index);
            assertEquals((previous + 1) % 8, index, "phases advance one at a time, in order");
            long length = phases.get(i)[1] - phases.get(i - 1)[1];
            if (i == 1 || previous == 1) {
                // The first phase seen began before we looked; the 3/4 phase may end early,
                // once the probe's queue is drained.
                continue;
            }
            assertTrue(length > bbr.rtProp() - MS / 10, "phase " + previous + " lasted " + length + " ns");
        }
        assertEquals(8, seen.size());
    }

    @Test
    void probeBwStartsAtARandomPhaseButNeverTheDrainingOne() {
        Set<Integer> firstPhases = new HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            Bbr bbr = bbr(seed);
            PipeSim sim = pipe(bbr, 0);
            int[] first = {-1};
            sim.every(100_000, () -> {
                if (first[0] < 0 && bbr.state() == State.PROBE_BW) {
                    first[0] = bbr.cycleIndex();
                }
            });
            sim.runUntil(800 * MS);
            assertTrue(first[0] >= 0, "seed " + seed + " reached Probe BW");
            assertNotEquals(1, first[0], "seed " + seed + " started in the 3/4 phase");
            firstPhases.add(first[0]);
        }
        assertTrue(firstPhases.size() >= 5, "starting phases " + firstPhases);
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        long[] cwnds = new long[2];
        for (int i = 0; i < 2; i++) {
            Bbr bbr = bbr(9);
            PipeSim sim = pipe(bbr, 0.03);
            sim.runUntil(3 * SECOND);
            cwnds[i] = bbr.congestionWindow() * 1_000_000 + sim.sentPackets;
        }
        assertEquals(cwnds[0], cwnds[1]);
    }

    @Test
    void probeRttComesTenSecondsAfterTheLastLowerRttAndLasts200Milliseconds() {
        Bbr bbr = bbr(1);
        PipeSim sim = pipe(bbr, 0);
        List<Change> states = recordStates(bbr, sim);
        long[] stampBeforeProbeRtt = {-1};
        long[] maxCwndInProbeRtt = {0};
        long[] maxOverProbeRttCwnd = {Long.MIN_VALUE};
        boolean[] probedRtt = {false};
        sim.every(MS, () -> {
            if (bbr.state() == State.PROBE_RTT) {
                probedRtt[0] = true;
                maxCwndInProbeRtt[0] = Math.max(maxCwndInProbeRtt[0], bbr.congestionWindow());
                maxOverProbeRttCwnd[0] = Math.max(maxOverProbeRttCwnd[0], bbr.congestionWindow() - bbr.probeRttCwnd());
            } else if (!probedRtt[0]) {
                stampBeforeProbeRtt[0] = bbr.rtPropStamp();
            }
        });

        sim.runUntil(12 * SECOND);

        Change enter = states.stream().filter(c -> c.state() == State.PROBE_RTT).findFirst().orElseThrow();
        Change exit = states.get(states.indexOf(enter) + 1);
        long sinceLowerRtt = enter.time() - stampBeforeProbeRtt[0];
        assertTrue(sinceLowerRtt > 10 * SECOND && sinceLowerRtt <= 10 * SECOND + 2 * RTT,
                "entered " + sinceLowerRtt / MS + " ms after RTprop was last lowered");
        // Half a BDP (BBRv2's ProbeRTT cwnd), not BBRv1's 4 packets; the BDP is the estimate of the
        // moment (RTprop then includes the queue sampled when the old one expired).
        assertTrue(maxOverProbeRttCwnd[0] <= 0, "cwnd above half a BDP by " + maxOverProbeRttCwnd[0]);
        assertTrue(maxCwndInProbeRtt[0] > 4 * MSS, "cwnd in PROBE_RTT " + maxCwndInProbeRtt[0]);
        long stay = exit.time() - enter.time();
        // 200 ms once in flight is down to half a BDP (which takes about a round trip), and at
        // least one round trip at that level.
        assertTrue(stay >= 200 * MS && stay <= 200 * MS + 3 * RTT, "stayed " + stay / MS + " ms");
        assertEquals(State.PROBE_BW, exit.state());
        assertEquals(1, states.stream().filter(c -> c.state() == State.PROBE_RTT).count(),
                "the next one is another 10 s away");
        assertTrue(bbr.btlBw() >= RATE * 95 / 100, "Probe RTT's low rate did not lower BtlBw");
    }

    @Test
    void probeRttsLowRateSamplesDoNotLowerBtlBwOnAShortPath() {
        // At 4 ms, Probe RTT's 200 ms are 50 round trips, five times the BtlBw filter's window:
        // only treating its samples as app-limited keeps the estimate.
        Bbr bbr = bbr(1);
        PipeSim sim = new PipeSim(bbr, MSS, RATE, 4 * MS, 10_000, 0, 42);
        List<Change> states = recordStates(bbr, sim);
        long[] minBtlBw = {Long.MAX_VALUE};
        sim.runUntil(2 * SECOND);
        sim.every(MS, () -> minBtlBw[0] = Math.min(minBtlBw[0], bbr.btlBw()));

        sim.runUntil(12 * SECOND);

        assertTrue(states.stream().anyMatch(c -> c.state() == State.PROBE_RTT));
        assertTrue(minBtlBw[0] >= RATE * 9 / 10, "BtlBw fell to " + minBtlBw[0]);
    }

    @Test
    void threePercentRandomLossDoesNotCollapseTheRateWhileNewRenoHalvesItAway() {
        Bbr bbr = bbr(1);
        PipeSim sim = pipe(bbr, 0.03);
        sim.runUntil(2 * SECOND);
        long acked0 = sim.ackedBytes;
        long[] minBtlBw = {Long.MAX_VALUE};
        double[] pacing = {0, 0};
        sim.every(10 * MS, () -> {
            minBtlBw[0] = Math.min(minBtlBw[0], bbr.btlBw());
            pacing[0] += bbr.pacingRate();
            pacing[1]++;
        });
        sim.runUntil(20 * SECOND);
        double bbrGoodput = (sim.ackedBytes - acked0) / 18.0;

        NewRenoLike reno = new NewRenoLike(MSS);
        PipeSim renoSim = pipe(reno, 0.03);
        renoSim.runUntil(2 * SECOND);
        long renoAcked0 = renoSim.ackedBytes;
        renoSim.runUntil(20 * SECOND);
        double renoGoodput = (renoSim.ackedBytes - renoAcked0) / 18.0;

        assertTrue(minBtlBw[0] >= RATE * 9 / 10, "BtlBw fell to " + minBtlBw[0]);
        assertTrue(pacing[0] / pacing[1] >= RATE * 0.9, "mean pacing rate " + pacing[0] / pacing[1]);
        assertTrue(bbrGoodput >= RATE * 0.9, "BBR goodput " + bbrGoodput);
        // Mathis: 1200 B / 40 ms * 1.22 / sqrt(0.03) = 211 kB/s, under 10 % of the pipe.
        assertTrue(renoGoodput <= RATE * 0.15, "NewReno goodput " + renoGoodput);
        assertTrue(sim.randomDrops > 0.025 * sim.sentPackets, "the loss was there: " + sim.randomDrops);
    }

    @Test
    void tenPercentRandomLossStillCarriesMostOfThePipe() {
        Bbr bbr = bbr(1);
        PipeSim sim = pipe(bbr, 0.10);
        sim.runUntil(2 * SECOND);
        long acked0 = sim.ackedBytes;

        sim.runUntil(20 * SECOND);

        double goodput = (sim.ackedBytes - acked0) / 18.0;
        // At most 90 % of what is sent arrives; BBR keeps sending at the pipe's rate.
        assertTrue(goodput >= RATE * 0.85, "goodput " + goodput);
        assertTrue(bbr.btlBw() >= RATE * 0.9, "BtlBw " + bbr.btlBw());
    }

    @Test
    void aLossEpisodeConservesPacketsButLeavesThePacingRateAlone() {
        Bbr bbr = bbr(1);
        List<long[]> afterLoss = new ArrayList<>(); // {cwnd, bytes in flight, pacing rate before, after}
        CongestionController spy = new Spy(bbr) {
            @Override
            public void onLost(long now, List<SentPacket> lost, long bytesInFlight) {
                long pacingBefore = bbr.pacingRate();
                bbr.onLost(now, lost, bytesInFlight);
                afterLoss.add(new long[] {bbr.congestionWindow(), bytesInFlight, pacingBefore, bbr.pacingRate()});
            }
        };
        PipeSim sim = pipe(spy, 0);
        sim.runUntil(3 * SECOND);
        long cwndBefore = bbr.congestionWindow();
        long pacingBefore = bbr.pacingRate();

        afterLoss.clear(); // Startup's overshoot of the queue had losses of its own
        sim.dropNext(3);
        sim.runUntil(3 * SECOND + 2 * RTT);

        long[] first = afterLoss.get(0);
        assertEquals(Math.max(first[1] + MSS, 4 * MSS), first[0],
                "cwnd = bytes in flight + 1 packet: one sent per one delivered");
        assertTrue(first[0] < cwndBefore);
        assertEquals(first[2], first[3], "loss does not touch the pacing rate");
        sim.runUntil(3 * SECOND + 5 * RTT);
        assertTrue(bbr.congestionWindow() >= cwndBefore * 95 / 100,
                "the window is restored after the episode: " + bbr.congestionWindow() + " vs " + cwndBefore);
        assertEquals(pacingBefore, bbr.pacingRate(), 0.3 * pacingBefore);
    }

    @Test
    void persistentCongestionShrinksTheWindowToFourPacketsThenItRegrows() {
        Bbr bbr = bbr(1);
        PipeSim sim = pipe(bbr, 0);
        sim.runUntil(3 * SECOND);
        long cwndBefore = bbr.congestionWindow();
        long[] cwndAfter = {0};
        sim.clock.schedule(Long.MIN_VALUE, () -> {
            bbr.onPersistentCongestion(sim.now());
            cwndAfter[0] = bbr.congestionWindow();
        });

        sim.runUntil(3 * SECOND + 1);
        assertEquals(4 * MSS, cwndAfter[0]);

        sim.runUntil(4 * SECOND);
        assertTrue(bbr.congestionWindow() >= cwndBefore * 9 / 10,
                "regrown to " + bbr.congestionWindow() + " of " + cwndBefore);
    }

    @Test
    void heavyCongestionLossCapsWhatIsInFlight() {
        // The bottleneck drops from 20 to 4 Mbit/s under a 30 kB queue (60 ms at the new rate):
        // for the ten round trips its BtlBw filter remembers 20 Mbit/s, BBRv1 keeps far more in
        // flight than the 20 kB pipe and the queue hold, and loses the excess every round.
        long[] lost = new long[2];
        long[] cwndMidway = new long[2];
        long[] minCap = {Long.MAX_VALUE};
        double[] goodput = new double[2];
        for (int i = 0; i < 2; i++) {
            boolean safeguard = i == 0;
            Bbr bbr = new Bbr(MSS, new SplittableRandom(1), safeguard);
            PipeSim sim = new PipeSim(bbr, MSS, RATE, RTT, 30_000, 0, 42);
            sim.runUntil(5 * SECOND);
            sim.setBottleneckRate(500_000);
            // The first loss windows still hold ACKs of packets queued before the drop, whose
            // RTTs show no queue; from half a second on the overload is steady.
            sim.runUntil(5500 * MS);
            long lost0 = sim.lostPackets;
            long acked0 = sim.ackedBytes;
            sim.every(MS, () -> minCap[0] = Math.min(minCap[0], bbr.inflightCap()));
            sim.runUntil(5900 * MS);
            cwndMidway[i] = bbr.congestionWindow();
            sim.runUntil(6100 * MS); // BtlBw's ten rounds are over soon after
            lost[i] = sim.lostPackets - lost0;
            sim.runUntil(7 * SECOND);
            goodput[i] = (sim.ackedBytes - acked0) / 1.5;
        }

        assertTrue(minCap[0] <= 60 * MSS, "the cap engaged: " + minCap[0]);
        assertTrue(cwndMidway[0] <= 50_000, "capped near the 20 kB pipe + 30 kB queue: " + cwndMidway[0]);
        assertTrue(lost[0] * 2 < lost[1], "lost in 0.6 s with the safeguard " + lost[0] + ", without " + lost[1]);
        assertTrue(goodput[0] >= 500_000 * 0.95, "goodput " + goodput[0] + " on a 500 kB/s pipe");
    }

    @Test
    void randomLossWithoutAQueueNeverTripsTheSafeguard() {
        Bbr bbr = bbr(1);
        PipeSim sim = pipe(bbr, 0.10);
        long[] minCap = {Long.MAX_VALUE};
        sim.every(MS, () -> minCap[0] = Math.min(minCap[0], bbr.inflightCap()));

        sim.runUntil(20 * SECOND);

        assertEquals(Long.MAX_VALUE, minCap[0]);
    }

    @Test
    void appLimitedSamplesDoNotLowerTheBandwidthEstimate() {
        Bbr bbr = bbr(1);
        PipeSim sim = pipe(bbr, 0);
        sim.runUntil(2 * SECOND);
        assertTrue(bbr.btlBw() >= RATE * 95 / 100);

        sim.setAppRate(RATE / 10); // a 2 Mbit/s video stream: 50 round trips of app-limited samples
        sim.runUntil(4 * SECOND);

        assertTrue(bbr.btlBw() >= RATE * 95 / 100, "BtlBw " + bbr.btlBw());
        assertTrue(sim.bytesInFlight() < BDP / 4, "the sender really was app-limited");
    }

    @Test
    void beforeAnyRttSampleTheInitialWindowIsPacedOverTheInitialRtt() {
        Bbr bbr = bbr(1);

        assertEquals(12_000, bbr.congestionWindow(), "RFC 9002 §7.2: min(10 * 1200, 14720)");
        // 2.885 * 12000 B / 333 ms
        assertEquals(103_978, bbr.pacingRate(), 1);
        assertEquals(State.STARTUP, bbr.state());
        assertEquals(Long.MAX_VALUE, bbr.rtProp());
        assertEquals(0, bbr.btlBw());
    }

    /** Forwards everything to a controller; tests override what they watch. */
    private static class Spy implements CongestionController {
        private final CongestionController inner;

        Spy(CongestionController inner) {
            this.inner = inner;
        }

        @Override
        public void onPacketSent(long now, SentPacket packet, long bytesInFlight) {
            inner.onPacketSent(now, packet, bytesInFlight);
        }

        @Override
        public void onAcked(long now, List<SentPacket> acked, RateSample sample,
                RttEstimator rtt, long bytesInFlight) {
            inner.onAcked(now, acked, sample, rtt, bytesInFlight);
        }

        @Override
        public void onLost(long now, List<SentPacket> lost, long bytesInFlight) {
            inner.onLost(now, lost, bytesInFlight);
        }

        @Override
        public void onPersistentCongestion(long now) {
            inner.onPersistentCongestion(now);
        }

        @Override
        public void onAppLimited(long now, long bytesInFlight) {
            inner.onAppLimited(now, bytesInFlight);
        }

        @Override
        public long congestionWindow() {
            return inner.congestionWindow();
        }

        @Override
        public long pacingRate() {
            return inner.pacingRate();
        }
    }
}
