package io.ivp2p.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.ivp2p.testnet.LinkProfile;

/**
 * The session state machine end to end on the in-memory network and a fake clock: every byte
 * delivered exactly once and in order per channel under loss, reordering, duplication, jitter
 * and rate caps; flow control per channel; bounded buffers; dead peers; address changes;
 * garbage; close. Deterministic (seeded) and fast: simulated time, no sleeps. Time limits here
 * are liveness bounds in simulated time (the transfer must finish at all), not speed claims —
 * speed is the benchmark's job.
 */
class SessionTest {
    private static final long MS = SessionConfig.MS;
    private static final long S = SessionConfig.SECOND;

    private static LinkProfile link(int delayMs, double loss) {
        return LinkProfile.builder().delay(Duration.ofMillis(delayMs)).loss(loss).build();
    }

    private static void assertBounded(SimPair pair) {
        long bound = pair.a.session.config().memoryBound();
        assertTrue(pair.a.maxBuffered <= bound, "A buffered " + pair.a.maxBuffered + " > " + bound);
        assertTrue(pair.b.maxBuffered <= bound, "B buffered " + pair.b.maxBuffered + " > " + bound);
    }

    @Test
    void everyChannelDeliversItsBytesInOrderOnACleanLink() {
        SimPair pair = new SimPair(SessionConfig.defaults(), 1);
        pair.net.setBidirectional(SimPair.A_ADDR, SimPair.B_ADDR, link(20, 0));
        Transfer t = new Transfer(pair, pair.a, pair.b);
        for (int c = 0; c < Session.CHANNELS; c++) {
            t.send(c, 300_000 + c * 1000, true);
        }
        assertTrue(t.run(MS, 60 * S), "all 8 channels complete");
        assertNull(t.corruption);
        assertEquals(0, pair.a.session.stats().packetsLost);
        assertBounded(pair);
    }

    @ParameterizedTest(name = "loss {0}, seed {1}")
    @CsvSource({"0.00,11", "0.01,12", "0.03,13", "0.10,14", "0.20,15", "0.30,16"})
    void everyByteArrivesOnceAndInOrderUnderLossReorderingDuplicationAndJitter(double loss, long seed) {
        SimPair pair = new SimPair(SessionConfig.defaults(), seed);
        LinkProfile impaired = LinkProfile.builder().delay(Duration.ofMillis(30)).loss(loss)
                .jitter(Duration.ofMillis(5), true).duplicate(0.02)
                .reorder(0.02, Duration.ofMillis(15)).build();
        pair.net.setBidirectional(SimPair.A_ADDR, SimPair.B_ADDR, impaired);
        Transfer ab = new Transfer(pair, pair.a, pair.b).send(1, 400_000, true).send(2, 50_000, true);
        Transfer ba = new Transfer(pair, pair.b, pair.a).send(4, 100_000, true);
        long end = pair.clock.nanos() + 600 * S;
        while (pair.clock.nanos() < end && !(ab.complete() && ba.complete())) {
            ab.step();
            ba.step();
            pair.clock.advance(MS);
        }
        assertTrue(ab.complete() && ba.complete(), "both directions complete at " + loss + " loss: "
                + pair.a.session.stats() + " / " + pair.b.session.stats());
        assertNull(ab.corruption);
        assertNull(ba.corruption);
        if (loss > 0) {
            assertTrue(pair.a.session.stats().packetsLost > 0, "losses were detected");
        }
        assertTrue(pair.b.session.stats().duplicates > 0, "network duplicates were dropped and counted");
        assertBounded(pair);
    }

    @Test
    void aRateCappedLinkWithAQueueAndLossDeliversEverything() {
        SimPair pair = new SimPair(SessionConfig.defaults(), 3);
        // 20 Mbit/s, 40 ms RTT, 3 % loss: the benchmark's condition.
        LinkProfile capped = LinkProfile.builder().delay(Duration.ofMillis(20)).loss(0.03)
                .bandwidth(2_500_000, 100_000).build();
        pair.net.setBidirectional(SimPair.A_ADDR, SimPair.B_ADDR, capped);
        Transfer t = new Transfer(pair, pair.a, pair.b).send(1, 3_000_000, true);
        assertTrue(t.run(MS, 60 * S), pair.a.session.stats().toString());
        assertNull(t.corruption);
        assertBounded(pair);
    }

    @Test
    void aBlockedWriterIsToldOnceWhenWhatItHasFitsOrAnEighthOfTheBufferIsFree() {
        SessionConfig config = SessionConfig.defaults().withBuffers(64 * 1024, 1024 * 1024);
        SimPair pair = new SimPair(config, 21);
        pair.net.setBidirectional(SimPair.A_ADDR, SimPair.B_ADDR, link(10, 0));
        Session a = pair.a.session;

        // Exactly full: nothing left over, so no writer waits and nothing is signalled.
        assertEquals(64 * 1024, a.write(1, ByteBuffer.allocate(64 * 1024)));
        // Bulk: 36 KiB left over waits for an eighth of the buffer (8 KiB), not for the first ACK.
        ByteBuffer bulk = ByteBuffer.allocate(36 * 1024);
        assertEquals(0, a.write(1, bulk));
        // Small: 100 bytes left over on another channel are told as soon as 100 bytes fit.
        assertEquals(64 * 1024, a.write(3, ByteBuffer.allocate(64 * 1024 + 100)));
        pair.a.pump();
        assertTrue(pair.runUntil(() -> pair.a.writableEvents.get(1).size() > 0
                && pair.a.writableEvents.get(3).size() > 0, MS, 10 * S), "both writers were told");
        // Drain everything the reader gets so the windows keep opening, then settle.
        byte[] sink = new byte[64 * 1024];
        pair.runUntil(() -> {
            pair.b.session.read(1, ByteBuffer.wrap(sink));
            pair.b.session.read(3, ByteBuffer.wrap(sink));
            pair.b.pump();
            return a.unacked(1) == 0 && a.unacked(3) == 0;
        }, MS, 10 * S);

        assertEquals(List.of(), pair.a.writableEvents.get(0), "channel 0 never blocked");
        assertEquals(1, pair.a.writableEvents.get(1).size(), "one signal per blocked write: " + pair.a.writableEvents);
        assertTrue(pair.a.writableEvents.get(1).get(0) >= 8 * 1024, "room at the signal: " + pair.a.writableEvents);
        assertEquals(1, pair.a.writableEvents.get(3).size());
        assertTrue(pair.a.writableEvents.get(3).get(0) >= 100);
    }

    @Test
    void aReaderThatStopsReadingThrottlesOnlyItsOwnChannel() {
        SessionConfig config = SessionConfig.defaults().withBuffers(128 * 1024, 64 * 1024);
        SimPair pair = new SimPair(config, 4);
        pair.net.setBidirectional(SimPair.A_ADDR, SimPair.B_ADDR, link(10, 0.01));
        Transfer t = new Transfer(pair, pair.a, pair.b).send(1, 2_000_000, true).send(2, 2_000_000, true);
        t.paused[1] = true;
        long end = pair.clock.nanos() + 120 * S;
        while (pair.clock.nanos() < end && t.received[2] < 2_000_000) {
            t.step();
            pair.clock.advance(MS);
        }
        assertEquals(2_000_000, t.received[2], "channel 2 unaffected");
        assertEquals(0, t.received[1]);
        assertTrue(pair.b.session.readable(1) <= 64 * 1024, "receiver holds at most its window");
        assertTrue(pair.a.session.unacked(1) <= 128 * 1024, "sender holds at most its buffer");
        assertEquals(0, pair.a.session.writable(1), "the stalled channel's writer is told to wait");
        t.paused[1] = false;
        assertTrue(t.run(MS, 120 * S), "channel 1 completes once read again");
        assertNull(t.corruption);
        assertBounded(pair);
    }

    @Test
    void endsWithDifferentReceiveWindowsInteroperate() {
        // A grants only the protocol's initial window, B a large one: each side may send only
        // what the other announced, never what it configured for itself.
        SessionConfig small = SessionConfig.defaults().withBuffers(512 * 1024, SessionConfig.INITIAL_STREAM_WINDOW);
        SessionConfig large = SessionConfig.defaults().withBuffers(512 * 1024, 2 * 1024 * 1024);
        SimPair pair = new SimPair(small, large, 12);
        pair.net.setBidirectional(SimPair.A_ADDR, SimPair.B_ADDR, link(20, 0.02));
        Transfer ab = new Transfer(pair, pair.a, pair.b).send(1, 2_000_000, true);
        Transfer ba = new Transfer(pair, pair.b, pair.a).send(2, 2_000_000, true);
        long end = pair.clock.nanos() + 120 * S;
        while (pair.clock.nanos() < end && !(ab.complete() && ba.complete())) {
            ab.step();
            ba.step();
            pair.clock.advance(MS);
        }
        assertTrue(ab.complete() && ba.complete());
        assertNull(ab.corruption);
        assertNull(ba.corruption);
        assertEquals(Session.State.OPEN, pair.a.session.state(), "no flow-control violation");
        assertEquals(Session.State.OPEN, pair.b.session.state());
    }

    @Test
    void aVanishedPeerIsDeclaredDeadWithinTheKeepAliveBound() {
        SessionConfig config = SessionConfig.defaults().withKeepAlive(1 * S, 3);
        SimPair pair = new SimPair(config, 5);
        pair.net.setBidirectional(SimPair.A_ADDR, SimPair.B_ADDR, link(15, 0));
        Transfer t = new Transfer(pair, pair.a, pair.b).send(1, 10_000_000, false);
        t.run(MS, 2 * S);
        pair.net.partition(SimPair.A_ADDR, SimPair.B_ADDR, true);
        long cut = pair.clock.nanos();
        long end = cut + 10 * S;
        while (pair.clock.nanos() < end && pair.a.closes.isEmpty()) {
            t.step();
            pair.clock.advance(MS);
        }
        assertEquals(1, pair.a.closes.size());
        assertEquals(CloseReason.Kind.TIMEOUT, pair.a.closes.get(0).kind());
        // Dead within interval x attempts of the last packet heard (which came before the cut).
        assertTrue(pair.clock.nanos() - cut <= 3 * S + MS, "declared dead after "
                + (pair.clock.nanos() - cut) / MS + " ms");
        assertTrue(pair.b.closes.size() == 1 || pair.clock.nanos() - cut <= 3 * S + MS);
    }

    @Test
    void anIdleSessionStaysAliveOnKeepAlives() {
        SessionConfig config = SessionConfig.defaults().withKeepAlive(1 * S, 3);
        SimPair pair = new SimPair(config, 6);
        pair.net.setBidirectional(SimPair.A_ADDR, SimPair.B_ADDR, link(25, 0.05));
        pair.a.pump();
        pair.b.pump();
        pair.clock.advance(60 * S);
        assertEquals(Session.State.OPEN, pair.a.session.state());
        assertEquals(Session.State.OPEN, pair.b.session.state());
        assertTrue(pair.a.session.stats().keepAliveProbes > 10, "probes were sent");
    }

    @Test
    void aPeerWhoseAddressChangesKeepsStreaming() {
        SimPair pair = new SimPair(SessionConfig.defaults(), 7);
        pair.net.setDefaultLink(link(10, 0.01));
        Transfer t = new Transfer(pair, pair.a, pair.b).send(1, 4_000_000, true);
        Transfer back = new Transfer(pair, pair.b, pair.a).send(2, 1_000_000, true);
        long end = pair.clock.nanos() + 60 * S;
        boolean rebound = false;
        while (pair.clock.nanos() < end && !(t.complete() && back.complete())) {
            t.step();
            back.step();
            if (!rebound && t.received[1] > 1_000_000) {
                // The receiver's NAT mapping changes mid-stream, then the sender's.
                pair.net.rebind(SimPair.B_ADDR, new InetSocketAddress("198.51.100.2", 6001));
                rebound = true;
            }
            if (rebound && t.received[1] > 2_500_000 && pair.a.endpoint.address().equals(SimPair.A_ADDR)) {
                pair.net.rebind(SimPair.A_ADDR, new InetSocketAddress("192.0.2.1", 7002));
            }
            pair.clock.advance(MS);
        }
        assertTrue(rebound);
        assertTrue(t.complete() && back.complete(), "streams survive both rebindings");
        assertNull(t.corruption);
        assertNull(back.corruption);
        assertEquals(Session.State.OPEN, pair.a.session.state());
    }

    @Test
    void junkAndReplayedDatagramsAreDroppedAndCountedWithoutHarm() {
        SimPair pair = new SimPair(SessionConfig.defaults(), 8);
        pair.net.setBidirectional(SimPair.A_ADDR, SimPair.B_ADDR, link(10, 0.01));
        SplittableRandom random = new SplittableRandom(99);
        // Replays stay in their own direction: a packet reflected back to its sender is what
        // DTLS rejects (each direction has its own keys), not something a session sees.
        java.util.Map<InetSocketAddress, List<ByteBuffer>> historyBySender = new java.util.HashMap<>();
        pair.net.setTap((from, to, payload) -> {
            List<ByteBuffer> out = new ArrayList<>();
            out.add(payload);
            List<ByteBuffer> history = historyBySender.computeIfAbsent(from, k -> new ArrayList<>());
            history.add(payload.duplicate());
            int roll = random.nextInt(100);
            if (roll < 5 && history.size() > 10) {
                // A replay of an older datagram of the same sender.
                out.add(history.get(random.nextInt(history.size() - 5)).duplicate());
            } else if (roll < 10) {
                // Junk that is no session packet (the AEAD layer rejects anything subtler).
                byte[] junk = new byte[random.nextInt(1, 200)];
                for (int i = 0; i < junk.length; i++) {
                    junk[i] = (byte) random.nextInt(256);
                }
                junk[0] = (byte) (0x52 + random.nextInt(100));
                out.add(ByteBuffer.wrap(junk));
            } else if (roll < 12) {
                out.add(ByteBuffer.allocate(0));
            }
            return out;
        });
        Transfer t = new Transfer(pair, pair.a, pair.b).send(1, 1_000_000, true).send(5, 200_000, true);
        assertTrue(t.run(MS, 60 * S));
        assertNull(t.corruption);
        long dropped = pair.a.session.stats().malformed + pair.b.session.stats().malformed;
        long replays = pair.a.session.stats().duplicates + pair.b.session.stats().duplicates;
        assertTrue(dropped > 50, "junk dropped and counted: " + dropped);
        assertTrue(replays > 20, "replays dropped and counted: " + replays);
    }

    @Test
    void gracefulCloseDeliversEverythingWrittenBeforeIt() {
        SimPair pair = new SimPair(SessionConfig.defaults(), 9);
        pair.net.setBidirectional(SimPair.A_ADDR, SimPair.B_ADDR, link(20, 0.05));
        Transfer t = new Transfer(pair, pair.a, pair.b).send(3, 500_000, false);
        t.step();
        while (t.written[3] < 500_000) {
            pair.clock.advance(MS);
            t.step();
        }
        pair.a.session.close(pair.clock.nanos());
        t.finish[3] = true;
        assertTrue(t.run(MS, 60 * S), "all written bytes and the FIN arrive");
        assertTrue(pair.runUntil(() -> !pair.a.closes.isEmpty() && !pair.b.closes.isEmpty(), MS, 30 * S));
        assertEquals(CloseReason.Kind.LOCAL, pair.a.closes.get(0).kind());
        assertEquals(CloseReason.Kind.REMOTE, pair.b.closes.get(0).kind());
        assertEquals(CloseReason.NORMAL, pair.b.closes.get(0).code());
    }

    @Test
    void abortEndsTheSessionOnBothSides() {
        SimPair pair = new SimPair(SessionConfig.defaults(), 10);
        pair.net.setBidirectional(SimPair.A_ADDR, SimPair.B_ADDR, link(20, 0));
        Transfer t = new Transfer(pair, pair.a, pair.b).send(1, 5_000_000, true);
        t.run(MS, 1 * S);
        pair.a.session.abort(pair.clock.nanos(), CloseReason.APPLICATION, "user hung up");
        assertTrue(pair.runUntil(() -> !pair.b.closes.isEmpty(), MS, 5 * S));
        assertEquals(CloseReason.Kind.REMOTE, pair.b.closes.get(0).kind());
        assertEquals("user hung up", pair.b.closes.get(0).detail());
        assertEquals(Session.State.CLOSED, pair.a.session.state());
    }

    @Test
    void datagramsNeverExceedTheConfiguredSize() {
        SessionConfig config = SessionConfig.defaults().withDatagram(500, 29);
        SimPair pair = new SimPair(config, 11);
        // The plaintext limit: the datagram size minus what the record layer will add.
        pair.net.setBidirectional(SimPair.A_ADDR, SimPair.B_ADDR,
                LinkProfile.builder().delay(Duration.ofMillis(5)).loss(0.02).mtu(500 - 29).build());
        Transfer t = new Transfer(pair, pair.a, pair.b).send(0, 200_000, true).send(7, 200_000, true);
        Transfer back = new Transfer(pair, pair.b, pair.a).send(2, 50_000, true);
        long end = pair.clock.nanos() + 60 * S;
        while (pair.clock.nanos() < end && !(t.complete() && back.complete())) {
            t.step();
            back.step();
            pair.clock.advance(MS);
        }
        assertTrue(t.complete() && back.complete());
        assertEquals(0, pair.net.totalStats().droppedMtu());
    }
}
