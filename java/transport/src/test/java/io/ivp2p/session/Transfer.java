package io.ivp2p.session;

import java.nio.ByteBuffer;

/**
 * Drives an application on both ends of a {@link SimPair}: writes a known byte pattern to chosen
 * channels as fast as the session accepts it, reads everything that arrives, and checks every
 * byte against the pattern, so any loss, duplication, corruption or reordering is caught.
 */
final class Transfer {
    final SimPair pair;
    final SimPair.Side from;
    final SimPair.Side to;
    final long[] toSend = new long[Session.CHANNELS];
    final long[] written = new long[Session.CHANNELS];
    final long[] received = new long[Session.CHANNELS];
    final boolean[] finish = new boolean[Session.CHANNELS];
    final boolean[] ended = new boolean[Session.CHANNELS];
    final boolean[] paused = new boolean[Session.CHANNELS];
    String corruption;

    Transfer(SimPair pair, SimPair.Side from, SimPair.Side to) {
        this.pair = pair;
        this.from = from;
        this.to = to;
    }

    static byte pattern(int channel, long offset) {
        return (byte) (offset * 31 + channel * 7 + (offset >>> 8) + (offset >>> 16));
    }

    Transfer send(int channel, long bytes, boolean fin) {
        toSend[channel] = bytes;
        finish[channel] = fin;
        return this;
    }

    /** One application step: write what fits, read what arrived (except paused channels). */
    void step() {
        long now = pair.clock.nanos();
        for (int c = 0; c < Session.CHANNELS; c++) {
            if (from.session.state() == Session.State.OPEN && written[c] < toSend[c]) {
                int n = (int) Math.min(64 * 1024, toSend[c] - written[c]);
                ByteBuffer b = ByteBuffer.allocate(n);
                for (int i = 0; i < n; i++) {
                    b.put(pattern(c, written[c] + i));
                }
                b.flip();
                written[c] += from.session.write(c, b);
                if (written[c] == toSend[c] && finish[c]) {
                    from.session.finish(c);
                }
            }
            if (paused[c]) {
                continue;
            }
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            int n;
            while ((n = to.session.read(c, in.clear())) > 0) {
                in.flip();
                for (int i = 0; i < n; i++) {
                    if (in.get(i) != pattern(c, received[c] + i) && corruption == null) {
                        corruption = "channel " + c + " offset " + (received[c] + i);
                    }
                }
                received[c] += n;
            }
            if (n < 0) {
                ended[c] = true;
            }
        }
        from.pump();
        to.pump();
    }

    boolean complete() {
        for (int c = 0; c < Session.CHANNELS; c++) {
            if (received[c] < toSend[c] || (finish[c] && !ended[c])) {
                return false;
            }
        }
        return true;
    }

    /** Steps the application every {@code stepNanos} until complete or {@code limitNanos} passed. */
    boolean run(long stepNanos, long limitNanos) {
        long end = pair.clock.nanos() + limitNanos;
        while (pair.clock.nanos() < end) {
            step();
            if (complete()) {
                return true;
            }
            pair.clock.advance(stepNanos);
        }
        return complete();
    }

    long totalReceived() {
        long t = 0;
        for (long r : received) {
            t += r;
        }
        return t;
    }
}
