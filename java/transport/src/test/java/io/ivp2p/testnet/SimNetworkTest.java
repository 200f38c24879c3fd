package io.ivp2p.testnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivp2p.time.ManualClock;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimNetworkTest {
    private static final InetSocketAddress DEVICE = new InetSocketAddress("192.0.2.1", 4000);
    private static final InetSocketAddress APP = new InetSocketAddress("198.51.100.7", 5000);
    private static final InetSocketAddress OTHER = new InetSocketAddress("203.0.113.9", 6000);
    private static final InetSocketAddress DEVICE_REBOUND = new InetSocketAddress("192.0.2.1", 4001);
    private static final long MS = 1_000_000L;

    private final ManualClock clock = new ManualClock();

    /** What one endpoint received, in arrival order. */
    private final class Inbox implements SimNetwork.Receiver {
        final List<Long> times = new ArrayList<>();
        final List<InetSocketAddress> sources = new ArrayList<>();
        final List<ByteBuffer> payloads = new ArrayList<>();

        @Override
        public void onDatagram(InetSocketAddress from, ByteBuffer payload) {
            times.add(clock.nanos());
            sources.add(from);
            payloads.add(payload);
        }

        int size() {
            return payloads.size();
        }

        int seq(int i) {
            return payloads.get(i).getInt(0);
        }

        BitSet seqs() {
            BitSet s = new BitSet();
            for (int i = 0; i < size(); i++) {
                s.set(seq(i));
            }
            return s;
        }
    }

    private static ByteBuffer datagram(int seq, int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(0, seq);
        return b;
    }

    private static ByteBuffer datagram(int seq) {
        return datagram(seq, 100);
    }

    @Test
    void idealLinkDeliversAtTheSentInstantWithTheSendersAddress() {
        SimNetwork net = new SimNetwork(clock, 1);
        Inbox app = new Inbox();
        SimNetwork.Endpoint device = net.bind(DEVICE, new Inbox());
        net.bind(APP, app);

        device.send(APP, datagram(7));
        clock.advance(0);

        assertEquals(List.of(0L), app.times);
        assertEquals(List.of(DEVICE), app.sources);
        assertEquals(7, app.seq(0));
        assertEquals(new LinkStats(1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 100), net.stats(DEVICE, APP));
        assertEquals(net.stats(DEVICE, APP), net.totalStats());
    }

    @Test
    void datagramArrivesAfterExactlyTheConfiguredDelay() {
        SimNetwork net = new SimNetwork(clock, 1);
        net.setLink(DEVICE, APP, LinkProfile.builder().delay(Duration.ofMillis(25)).build());
        Inbox app = new Inbox();
        SimNetwork.Endpoint device = net.bind(DEVICE, new Inbox());
        net.bind(APP, app);

        clock.advance(3 * MS);
        device.send(APP, datagram(1));
        clock.advance(25 * MS - 1);
        assertEquals(0, app.size());
        clock.advance(1);

        assertEquals(List.of(28 * MS), app.times);
    }

    @Test
    void linkProfilesApplyPerDirection() {
        SimNetwork net = new SimNetwork(clock, 1);
        net.setLink(DEVICE, APP, LinkProfile.builder().delay(Duration.ofMillis(40)).build());
        Inbox app = new Inbox();
        Inbox deviceInbox = new Inbox();
        SimNetwork.Endpoint device = net.bind(DEVICE, deviceInbox);
        SimNetwork.Endpoint appEndpoint = net.bind(APP, app);

        device.send(APP, datagram(1));
        appEndpoint.send(DEVICE, datagram(2));
        clock.advance(100 * MS);

        assertEquals(List.of(40 * MS), app.times);
        assertEquals(List.of(0L), deviceInbox.times);
    }

    @Test
    void defaultLinkAppliesToLinksWithoutTheirOwnProfile() {
        SimNetwork net = new SimNetwork(clock, 1);
        net.setDefaultLink(LinkProfile.builder().delay(Duration.ofMillis(10)).build());
        net.setLink(OTHER, APP, LinkProfile.builder().delay(Duration.ofMillis(30)).build());
        Inbox app = new Inbox();
        net.bind(APP, app);
        SimNetwork.Endpoint device = net.bind(DEVICE, new Inbox());
        SimNetwork.Endpoint other = net.bind(OTHER, new Inbox());

        device.send(APP, datagram(1));
        other.send(APP, datagram(2));
        clock.advance(50 * MS);
        net.setDefaultLink(LinkProfile.builder().delay(Duration.ofMillis(20)).build());
        device.send(APP, datagram(3));
        clock.advance(50 * MS);

        assertEquals(List.of(10 * MS, 30 * MS, 70 * MS), app.times);
    }

    /** Which of {@code count} datagrams sent DEVICE → APP arrived, on a 10 % loss link. */
    private BitSet deliveredOverLossyLink(long seed, int count, boolean alsoTrafficFromOther) {
        ManualClock c = new ManualClock();
        SimNetwork net = new SimNetwork(c, seed);
        net.setDefaultLink(LinkProfile.builder().loss(0.1).build());
        BitSet arrived = new BitSet();
        net.bind(APP, (from, payload) -> {
            if (from.equals(DEVICE)) {
                arrived.set(payload.getInt(0));
            }
        });
        SimNetwork.Endpoint device = net.bind(DEVICE, (from, payload) -> { });
        SimNetwork.Endpoint other = net.bind(OTHER, (from, payload) -> { });
        for (int i = 0; i < count; i++) {
            device.send(APP, datagram(i, 8));
            if (alsoTrafficFromOther) {
                other.send(APP, datagram(i, 8));
                other.send(DEVICE, datagram(i, 8));
            }
            c.advance(MS);
        }
        assertEquals(count, net.stats(DEVICE, APP).sent());
        return arrived;
    }

    @Test
    void lossOver100kDatagramsStaysWithinFiveSigmaOfTheConfiguredRate() {
        SimNetwork net = new SimNetwork(clock, 42);
        net.setLink(DEVICE, APP, LinkProfile.builder().loss(0.1).build());
        net.bind(APP, (from, payload) -> { });
        SimNetwork.Endpoint device = net.bind(DEVICE, (from, payload) -> { });
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            device.send(APP, datagram(i, 8));
        }
        clock.advance(0);

        LinkStats s = net.stats(DEVICE, APP);
        // sigma = sqrt(n p (1 - p)) ~= 95 datagrams.
        assertTrue(Math.abs(s.droppedRandom() - 10_000) < 475, () -> "dropped " + s.droppedRandom());
        assertEquals(n, s.delivered() + s.droppedRandom());
        assertEquals(s.delivered() * 8, s.bytesDelivered());
    }

    @Test
    void theSameSeedLosesTheSameDatagramsAndAnotherSeedOthers() {
        BitSet first = deliveredOverLossyLink(42, 10_000, false);
        BitSet again = deliveredOverLossyLink(42, 10_000, false);
        BitSet otherSeed = deliveredOverLossyLink(43, 10_000, false);

        assertEquals(first, again);
        assertNotEquals(first, otherSeed);
    }

    @Test
    void trafficOnOtherLinksDoesNotChangeALinksLosses() {
        assertEquals(deliveredOverLossyLink(42, 10_000, false), deliveredOverLossyLink(42, 10_000, true));
    }

    @Test
    void burstLossLosesInRunsAtTheGilbertElliottStationaryRate() {
        SimNetwork net = new SimNetwork(clock, 7);
        // Bad state 1/11 of the time, mean burst 10 datagrams, nothing lost in the good state.
        net.setLink(DEVICE, APP, LinkProfile.builder().burstLoss(0.01, 0.1, 1.0).build());
        Inbox app = new Inbox();
        net.bind(APP, app);
        SimNetwork.Endpoint device = net.bind(DEVICE, new Inbox());
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            device.send(APP, datagram(i, 8));
        }
        clock.advance(0);

        BitSet arrived = app.seqs();
        int lost = 0;
        int runs = 0;
        for (int i = 0; i < n; i++) {
            if (!arrived.get(i)) {
                lost++;
                if (i == 0 || arrived.get(i - 1)) {
                    runs++;
                }
            }
        }
        double rate = lost / (double) n;
        double meanRun = lost / (double) runs;
        assertTrue(Math.abs(rate - 1 / 11.0) < 0.015, () -> "loss rate " + rate);
        assertTrue(meanRun > 8 && meanRun < 12, () -> "mean burst " + meanRun);
        assertEquals(lost, net.stats(DEVICE, APP).droppedRandom());
    }

    @Test
    void bandwidthCapSpreadsAMegabyteOverASecondAndTheQueueDropsTheExcess() {
        SimNetwork net = new SimNetwork(clock, 1);
        net.setLink(DEVICE, APP, LinkProfile.builder()
                .delay(Duration.ofMillis(10))
                .bandwidth(1_000_000, 1_000_000)
                .build());
        Inbox app = new Inbox();
        net.bind(APP, app);
        SimNetwork.Endpoint device = net.bind(DEVICE, new Inbox());

        for (int i = 0; i < 1500; i++) {
            device.send(APP, datagram(i, 1000));
        }
        clock.advance(2000 * MS);

        LinkStats s = net.stats(DEVICE, APP);
        assertEquals(1000, s.delivered());
        assertEquals(500, s.droppedQueue());
        assertEquals(0, s.droppedRandom());
        // Each 1000-byte datagram takes 1 ms to serialize at 1 MB/s, then 10 ms to propagate.
        assertEquals(11 * MS, app.times.get(0));
        assertEquals(1010 * MS, app.times.get(999));
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, app.seq(i));
        }

        // Drained: the next datagram only waits for its own serialization.
        device.send(APP, datagram(2000, 1000));
        clock.advance(20 * MS);
        assertEquals(2011 * MS, app.times.get(1000));
    }

    @Test
    void queueLimitCountsBytesNotYetSerialized() {
        SimNetwork net = new SimNetwork(clock, 1);
        net.setLink(DEVICE, APP, LinkProfile.builder().bandwidth(1_000_000, 3000).build());
        net.bind(APP, new Inbox());
        SimNetwork.Endpoint device = net.bind(DEVICE, new Inbox());

        for (int i = 0; i < 4; i++) {
            device.send(APP, datagram(i, 1000));
        }
        assertEquals(1, net.stats(DEVICE, APP).droppedQueue());
        clock.advance(MS); // The first datagram has left the queue.
        device.send(APP, datagram(4, 1000));
        device.send(APP, datagram(5, 1000));
        clock.advance(10 * MS);

        assertEquals(4, net.stats(DEVICE, APP).delivered());
        assertEquals(2, net.stats(DEVICE, APP).droppedQueue());
    }

    /** Sends 2000 datagrams 1 ms apart over 20 ms ± 10 ms jitter and returns the arrival order. */
    private Inbox sendOverJitteryLink(boolean allowReorder) {
        SimNetwork net = new SimNetwork(clock, 3);
        net.setLink(DEVICE, APP, LinkProfile.builder()
                .delay(Duration.ofMillis(20))
                .jitter(Duration.ofMillis(10), allowReorder)
                .build());
        Inbox app = new Inbox();
        net.bind(APP, app);
        SimNetwork.Endpoint device = net.bind(DEVICE, new Inbox());
        List<Long> sentAt = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            sentAt.add(clock.nanos());
            device.send(APP, datagram(i));
            clock.advance(MS);
        }
        clock.advance(100 * MS);
        assertEquals(2000, app.size());
        Set<Long> delays = new HashSet<>();
        for (int i = 0; i < app.size(); i++) {
            long delay = app.times.get(i) - sentAt.get(app.seq(i));
            assertTrue(delay >= 10 * MS && delay <= 30 * MS, "delay " + delay);
            delays.add(delay);
        }
        assertTrue(delays.size() > 1000, "distinct delays " + delays.size());
        return app;
    }

    private static int inversions(Inbox inbox) {
        int inversions = 0;
        for (int i = 1; i < inbox.size(); i++) {
            if (inbox.seq(i) < inbox.seq(i - 1)) {
                inversions++;
            }
        }
        return inversions;
    }

    @Test
    void jitterKeepsFifoOrderUnlessReorderingIsAllowed() {
        assertEquals(0, inversions(sendOverJitteryLink(false)));
    }

    @Test
    void jitterReordersWhenAllowed() {
        assertTrue(inversions(sendOverJitteryLink(true)) > 100);
    }

    @Test
    void duplicatesArriveAtTheConfiguredRate() {
        SimNetwork net = new SimNetwork(clock, 5);
        net.setLink(DEVICE, APP, LinkProfile.builder().duplicate(0.05).build());
        Inbox app = new Inbox();
        net.bind(APP, app);
        SimNetwork.Endpoint device = net.bind(DEVICE, new Inbox());
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            device.send(APP, datagram(i, 8));
        }
        clock.advance(0);

        LinkStats s = net.stats(DEVICE, APP);
        assertTrue(Math.abs(s.duplicated() - 5000) < 350, () -> "duplicated " + s.duplicated());
        assertEquals(n + s.duplicated(), s.delivered());
        assertEquals(s.delivered(), app.size());
        int pairs = 0;
        for (int i = 1; i < app.size(); i++) {
            if (app.seq(i) == app.seq(i - 1)) {
                pairs++;
            }
        }
        assertEquals(s.duplicated(), pairs);
    }

    @Test
    void heldBackDatagramsAreOvertakenAtTheConfiguredRate() {
        SimNetwork net = new SimNetwork(clock, 9);
        net.setLink(DEVICE, APP, LinkProfile.builder()
                .delay(Duration.ofMillis(10))
                .reorder(0.1, Duration.ofMillis(5))
                .build());
        Inbox app = new Inbox();
        net.bind(APP, app);
        SimNetwork.Endpoint device = net.bind(DEVICE, new Inbox());
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            device.send(APP, datagram(i, 8));
            clock.advance(MS);
        }
        clock.advance(100 * MS);

        // A held-back datagram arrives after one sent later; nothing else does.
        int late = 0;
        int highest = -1;
        for (int i = 0; i < app.size(); i++) {
            if (app.seq(i) < highest) {
                late++;
            }
            highest = Math.max(highest, app.seq(i));
        }
        LinkStats s = net.stats(DEVICE, APP);
        assertEquals(n, app.size());
        assertEquals(s.reordered(), late);
        // sigma = sqrt(n p (1 - p)) ~= 42 datagrams.
        assertTrue(Math.abs(late - 2000) < 215, "late " + late);
    }

    @Test
    void afterRebindingRepliesReachTheNewAddressWhichIsSeenAsTheSource() {
        SimNetwork net = new SimNetwork(clock, 1);
        Inbox deviceInbox = new Inbox();
        SimNetwork.Endpoint device = net.bind(DEVICE, deviceInbox);
        Inbox appInbox = new Inbox();
        SimNetwork.Endpoint app = net.bind(APP, appInbox);

        device.send(APP, datagram(1));
        clock.advance(0);
        net.rebind(DEVICE, DEVICE_REBOUND);
        device.send(APP, datagram(2));
        clock.advance(0);
        app.send(appInbox.sources.get(1), datagram(3)); // reply to where it came from
        app.send(DEVICE, datagram(4)); // the old mapping is gone
        clock.advance(0);

        assertEquals(List.of(DEVICE, DEVICE_REBOUND), appInbox.sources);
        assertEquals(DEVICE_REBOUND, device.address());
        assertEquals(1, deviceInbox.size());
        assertEquals(3, deviceInbox.seq(0));
        assertEquals(1, net.stats(APP, DEVICE).droppedNoReceiver());
        assertEquals(1, net.stats(APP, DEVICE_REBOUND).delivered());
    }

    @Test
    void datagramsInFlightToTheOldAddressAreDroppedByRebinding() {
        SimNetwork net = new SimNetwork(clock, 1);
        net.setDefaultLink(LinkProfile.builder().delay(Duration.ofMillis(50)).build());
        Inbox deviceInbox = new Inbox();
        net.bind(DEVICE, deviceInbox);
        SimNetwork.Endpoint app = net.bind(APP, new Inbox());

        app.send(DEVICE, datagram(1));
        clock.advance(20 * MS);
        net.rebind(DEVICE, DEVICE_REBOUND);
        clock.advance(100 * MS);

        assertEquals(0, deviceInbox.size());
        assertEquals(1, net.totalStats().droppedNoReceiver());
    }

    @Test
    void partitionDropsTrafficBothWaysIncludingInFlightButNotOtherPairs() {
        SimNetwork net = new SimNetwork(clock, 1);
        net.setDefaultLink(LinkProfile.builder().delay(Duration.ofMillis(50)).build());
        Inbox deviceInbox = new Inbox();
        Inbox appInbox = new Inbox();
        SimNetwork.Endpoint device = net.bind(DEVICE, deviceInbox);
        SimNetwork.Endpoint app = net.bind(APP, appInbox);
        SimNetwork.Endpoint other = net.bind(OTHER, new Inbox());

        device.send(APP, datagram(1)); // in flight when the partition starts
        clock.advance(10 * MS);
        net.partition(DEVICE, APP, true);
        device.send(APP, datagram(2));
        app.send(DEVICE, datagram(3));
        other.send(APP, datagram(4));
        clock.advance(100 * MS);

        assertEquals(0, deviceInbox.size());
        assertEquals(List.of(OTHER), appInbox.sources);
        assertEquals(3, net.totalStats().droppedBlackhole());

        net.partition(DEVICE, APP, false);
        device.send(APP, datagram(5));
        clock.advance(100 * MS);
        assertEquals(5, appInbox.seq(1));
    }

    @Test
    void blackholeDropsEverythingToAndFromAnAddress() {
        SimNetwork net = new SimNetwork(clock, 1);
        Inbox deviceInbox = new Inbox();
        Inbox appInbox = new Inbox();
        SimNetwork.Endpoint device = net.bind(DEVICE, deviceInbox);
        SimNetwork.Endpoint app = net.bind(APP, appInbox);
        SimNetwork.Endpoint other = net.bind(OTHER, new Inbox());

        net.setBlackhole(DEVICE, true);
        device.send(APP, datagram(1));
        app.send(DEVICE, datagram(2));
        other.send(DEVICE, datagram(3));
        other.send(APP, datagram(4));
        clock.advance(0);

        assertEquals(0, deviceInbox.size());
        assertEquals(List.of(OTHER), appInbox.sources);
        assertEquals(3, net.totalStats().droppedBlackhole());

        net.setBlackhole(DEVICE, false);
        app.send(DEVICE, datagram(5));
        clock.advance(0);
        assertEquals(1, deviceInbox.size());
    }

    @Test
    void datagramsLargerThanTheMtuAreDropped() {
        SimNetwork net = new SimNetwork(clock, 1);
        net.setLink(DEVICE, APP, LinkProfile.builder().mtu(1200).build());
        Inbox app = new Inbox();
        net.bind(APP, app);
        SimNetwork.Endpoint device = net.bind(DEVICE, new Inbox());

        device.send(APP, datagram(1, 1200));
        device.send(APP, datagram(2, 1201));
        clock.advance(0);

        assertEquals(1, app.size());
        assertEquals(1200, app.payloads.get(0).remaining());
        assertEquals(1, net.stats(DEVICE, APP).droppedMtu());
    }

    @Test
    void tapCanCorruptDropAndInjectDatagrams() {
        SimNetwork net = new SimNetwork(clock, 1);
        Inbox app = new Inbox();
        net.bind(APP, app);
        SimNetwork.Endpoint device = net.bind(DEVICE, new Inbox());
        net.setTap((from, to, payload) -> switch (payload.getInt(0)) {
            case 1 -> {
                payload.put(5, (byte) 0xff);
                yield List.of(payload);
            }
            case 2 -> List.of();
            case 3 -> List.of(payload, payload, datagram(99, 4));
            default -> List.of(payload);
        });

        for (int i = 1; i <= 4; i++) {
            device.send(APP, datagram(i, 8));
        }
        clock.advance(0);

        assertEquals(List.of(1, 3, 3, 99, 4), List.of(app.seq(0), app.seq(1), app.seq(2), app.seq(3), app.seq(4)));
        assertEquals((byte) 0xff, app.payloads.get(0).get(5));
        assertEquals(4, app.payloads.get(3).remaining());
        LinkStats s = net.stats(DEVICE, APP);
        assertEquals(4, s.sent());
        assertEquals(1, s.droppedTap());
        assertEquals(5, s.delivered());

        net.setTap(SimNetwork.Tap.IDENTITY);
        device.send(APP, datagram(2, 8));
        clock.advance(0);
        assertEquals(2, app.seq(5));
    }

    @Test
    void deliveredPayloadsAreIsolatedFromTheSenderAndFromEachOther() {
        SimNetwork net = new SimNetwork(clock, 1);
        net.setDefaultLink(LinkProfile.builder().delay(Duration.ofMillis(5)).duplicate(1.0).build());
        Inbox app = new Inbox();
        net.bind(APP, app);
        SimNetwork.Endpoint device = net.bind(DEVICE, new Inbox());

        ByteBuffer sent = ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 2, 3, 4, 5});
        device.send(APP, sent);
        assertEquals(0, sent.position());
        sent.put(4, (byte) 42); // after send: must not reach the receiver
        clock.advance(10 * MS);

        assertEquals(2, app.size());
        ByteBuffer first = app.payloads.get(0);
        ByteBuffer second = app.payloads.get(1);
        assertTrue(first.isReadOnly());
        assertThrows(ReadOnlyBufferException.class, () -> first.put(0, (byte) 9));
        byte[] read = new byte[8];
        first.get(read); // consuming one delivery leaves the other untouched
        assertArrayEquals(new byte[] {0, 0, 0, 1, 2, 3, 4, 5}, read);
        assertEquals(0, second.position());
        assertEquals(8, second.remaining());
        assertEquals(2, second.get(4));
    }

    @Test
    void sendCopiesOnlyTheRemainingBytes() {
        SimNetwork net = new SimNetwork(clock, 1);
        Inbox app = new Inbox();
        net.bind(APP, app);
        SimNetwork.Endpoint device = net.bind(DEVICE, new Inbox());

        ByteBuffer b = ByteBuffer.wrap(new byte[] {9, 9, 1, 2, 3, 9});
        b.position(2).limit(5);
        device.send(APP, b);
        clock.advance(0);

        byte[] got = new byte[3];
        app.payloads.get(0).get(got);
        assertArrayEquals(new byte[] {1, 2, 3}, got);
    }

    @Test
    void closedEndpointReceivesNothingAndCannotSend() {
        SimNetwork net = new SimNetwork(clock, 1);
        Inbox appInbox = new Inbox();
        SimNetwork.Endpoint app = net.bind(APP, appInbox);
        SimNetwork.Endpoint device = net.bind(DEVICE, new Inbox());

        app.close();
        device.send(APP, datagram(1));
        clock.advance(0);

        assertEquals(0, appInbox.size());
        assertEquals(1, net.stats(DEVICE, APP).droppedNoReceiver());
        assertThrows(IllegalStateException.class, () -> app.send(DEVICE, datagram(2)));
        net.bind(APP, new Inbox()); // the address is free again
    }

    @Test
    void bindingABoundAddressFails() {
        SimNetwork net = new SimNetwork(clock, 1);
        net.bind(APP, new Inbox());
        net.bind(DEVICE, new Inbox());

        assertThrows(IllegalStateException.class, () -> net.bind(APP, new Inbox()));
        assertThrows(IllegalStateException.class, () -> net.rebind(DEVICE, APP));
        assertThrows(IllegalArgumentException.class, () -> net.rebind(OTHER, DEVICE_REBOUND));
    }

    @Test
    void linkProfileRejectsImpossibleValues() {
        assertThrows(IllegalArgumentException.class, () -> LinkProfile.builder().loss(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> LinkProfile.builder().duplicate(-0.1).build());
        assertThrows(IllegalArgumentException.class,
                () -> LinkProfile.builder().delay(Duration.ofMillis(-1)).build());
        assertThrows(IllegalArgumentException.class, () -> LinkProfile.builder().mtu(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> LinkProfile.builder().bandwidth(1000, 0).build());
        LinkProfile p = LinkProfile.builder().loss(0.2).mtu(1400).build();
        assertEquals(p, p.toBuilder().build());
    }
}
