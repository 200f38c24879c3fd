package io.ivp2p.session;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.ivp2p.session.cc.Bbr;
import io.ivp2p.session.cc.Pacer;
import io.ivp2p.testnet.SimNetwork;
import io.ivp2p.time.ManualClock;
import io.ivp2p.time.Scheduler;

/**
 * Two sessions joined by a {@link SimNetwork} on a {@link ManualClock}: the test harness for the
 * session state machine. Each side runs the owner's loop the real path layer will run: a
 * datagram arrives → {@code onPacket}, the deadline passes → {@code onTimer}, then
 * {@code flush} and re-arm the timer at {@code nextDeadline}. Packets travel in plaintext (the
 * security layer is tested on its own). Like a connection-ID path, each side answers the address
 * the latest valid packet came from, so NAT rebinding is survived as it will be with DTLS CIDs.
 */
final class SimPair {
    static final InetSocketAddress A_ADDR = new InetSocketAddress("192.0.2.1", 4000);
    static final InetSocketAddress B_ADDR = new InetSocketAddress("198.51.100.2", 5000);

    final ManualClock clock = new ManualClock(1_000_000_000L);
    final SimNetwork net;
    final Side a;
    final Side b;

    SimPair(SessionConfig config, long seed) {
        this(config, config, seed);
    }

    SimPair(SessionConfig configA, SessionConfig configB, long seed) {
        net = new SimNetwork(clock, seed);
        a = new Side("A", A_ADDR, B_ADDR, configA, seed);
        b = new Side("B", B_ADDR, A_ADDR, configB, seed + 1);
    }

    final class Side implements Session.Listener {
        final String name;
        final Session session;
        final SimNetwork.Endpoint endpoint;
        final List<CloseReason> closes = new ArrayList<>();
        final long[] readableEvents = new long[Session.CHANNELS];
        /** Per channel: room ({@link Session#writable}) at each onWritable. */
        final List<List<Long>> writableEvents = new ArrayList<>();
        InetSocketAddress peer;
        Scheduler.Cancellable timer;
        long timerAt = Long.MAX_VALUE;
        long maxBuffered;

        Side(String name, InetSocketAddress self, InetSocketAddress peer, SessionConfig config, long seed) {
            this.name = name;
            this.peer = peer;
            SplittableRandom random = new SplittableRandom(seed);
            this.session = new Session(config, clock.nanos(),
                    new Bbr(config.maxDatagramSize(), random), new Pacer(config.maxDatagramSize()),
                    this::transmit, this);
            this.endpoint = net.bind(self, this::receive);
            for (int c = 0; c < Session.CHANNELS; c++) {
                writableEvents.add(new ArrayList<>());
            }
        }

        private void transmit(ByteBuffer packet) {
            if (endpoint.isOpen()) {
                endpoint.send(peer, packet);
            }
        }

        private void receive(InetSocketAddress from, ByteBuffer payload) {
            long before = session.stats().packetsReceived;
            session.onPacket(clock.nanos(), payload);
            if (session.stats().packetsReceived > before) {
                peer = from;
            }
            pump();
        }

        /** The owner's loop: send what may go, then re-arm the timer. */
        void pump() {
            long now = clock.nanos();
            session.flush(now);
            maxBuffered = Math.max(maxBuffered, session.bufferedBytes());
            long next = session.nextDeadline();
            if (next != timerAt) {
                if (timer != null) {
                    timer.cancel();
                }
                timerAt = next;
                timer = next == Long.MAX_VALUE ? null : clock.schedule(next, this::fire);
            }
        }

        private void fire() {
            timerAt = Long.MAX_VALUE;
            timer = null;
            session.onTimer(clock.nanos());
            pump();
        }

        @Override
        public void onReadable(int channel) {
            readableEvents[channel]++;
        }

        @Override
        public void onWritable(int channel) {
            writableEvents.get(channel).add(session.writable(channel));
        }

        @Override
        public void onClosed(CloseReason reason) {
            closes.add(reason);
        }
    }

    /** Runs the clock in steps of {@code step} until {@code done} or {@code limit} is reached. */
    boolean runUntil(java.util.function.BooleanSupplier done, long step, long limit) {
        long end = clock.nanos() + limit;
        while (clock.nanos() < end) {
            if (done.getAsBoolean()) {
                return true;
            }
            clock.advance(step);
        }
        return done.getAsBoolean();
    }
}
