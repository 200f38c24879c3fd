package io.ivp2p.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.ivp2p.session.wire.StreamFrame;

class ChannelBuffersTest {
    private static ByteBuffer pattern(int from, int n) {
        ByteBuffer b = ByteBuffer.allocate(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (from + i));
        }
        return b.flip();
    }

    @Test
    void writeTakesOnlyWhatFitsUnderTheLimit() {
        SendChannel s = new SendChannel(1, 10_000, 1 << 20);
        assertEquals(10_000, s.write(pattern(0, 25_000)));
        assertEquals(0, s.write(pattern(0, 5)));
        assertEquals(10_000, s.unacked());
    }

    @Test
    void ackedChunksAreReleasedAndRoomReturns() {
        SendChannel s = new SendChannel(1, 64 * 1024, 1 << 20);
        s.write(pattern(0, 40_000));
        long sent = 0;
        while (s.hasNewData()) {
            StreamFrame f = s.nextFrame(1200);
            sent += f.length();
            s.onAcked(f);
        }
        assertEquals(40_000, sent);
        assertEquals(0, s.unacked());
        assertEquals(0, s.bufferedBytes());
        assertEquals(64 * 1024, s.writable());
    }

    @Test
    void lostDataIsResentBeforeNewDataAndOnlyTheUnackedPart() {
        SendChannel s = new SendChannel(2, 1 << 20, 1 << 20);
        s.write(pattern(0, 3000));
        StreamFrame a = s.nextFrame(1200);
        StreamFrame b = s.nextFrame(1200);
        s.onAcked(new StreamFrame(2, a.offset() + 100, a.data().slice(100, 50), false));
        s.onLost(a);
        assertTrue(s.hasRetransmission());
        StreamFrame r1 = s.nextFrame(1200);
        assertEquals(a.offset(), r1.offset());
        assertEquals(100, r1.length());
        StreamFrame r2 = s.nextFrame(1200);
        assertEquals(a.offset() + 150, r2.offset());
        assertEquals(a.end(), r2.end());
        assertFalse(s.hasRetransmission());
        assertEquals(b.end(), s.nextFrame(1200).offset());
    }

    @Test
    void peerFlowControlCapsNewData() {
        SendChannel s = new SendChannel(3, 1 << 20, 1000);
        s.write(pattern(0, 5000));
        StreamFrame f = s.nextFrame(1400);
        assertEquals(1000, f.end());
        assertNull(s.nextFrame(1400));
        assertTrue(s.flowBlocked());
        s.onMaxStreamData(3000);
        assertEquals(3000, s.nextFrame(4000).end());
    }

    @Test
    void finIsSentAfterTheLastByteAndResentIfLost() {
        SendChannel s = new SendChannel(0, 1 << 20, 1 << 20);
        s.write(pattern(0, 10));
        s.finish();
        StreamFrame f = s.nextFrame(1200);
        assertTrue(f.fin());
        assertFalse(s.hasSomethingToSend());
        s.onLost(f);
        StreamFrame again = s.nextFrame(1200);
        assertTrue(again.fin());
        s.onAcked(again);
        assertTrue(s.allAcked());
    }

    @Test
    void receiverReassemblesOutOfOrderFramesAndDropsDuplicates() {
        ReceiveChannel r = new ReceiveChannel(1, 1 << 20);
        ByteBuffer all = pattern(0, 3000);
        r.onFrame(new StreamFrame(1, 2000, all.slice(2000, 1000), true));
        assertEquals(0, r.readable());
        r.onFrame(new StreamFrame(1, 0, all.slice(0, 1500), false));
        r.onFrame(new StreamFrame(1, 1000, all.slice(1000, 1500), false)); // overlaps both
        r.onFrame(new StreamFrame(1, 0, all.slice(0, 1500), false)); // duplicate
        assertEquals(3000, r.readable());
        ByteBuffer out = ByteBuffer.allocate(4000);
        assertEquals(3000, r.read(out));
        out.flip();
        assertEquals(pattern(0, 3000), out);
        assertEquals(-1, r.read(ByteBuffer.allocate(10)));
        assertTrue(r.atEnd());
    }

    @Test
    void dataBeyondTheWindowIsAProtocolViolation() {
        ReceiveChannel r = new ReceiveChannel(4, 4096);
        assertThrows(FlowControlException.class,
                () -> r.onFrame(new StreamFrame(4, 4000, pattern(0, 200), false)));
    }

    @Test
    void windowOpensAgainAfterHalfIsRead() {
        ReceiveChannel r = new ReceiveChannel(5, 4096);
        r.onFrame(new StreamFrame(5, 0, pattern(0, 4096), false));
        assertEquals(-1, r.maxDataUpdate());
        r.read(ByteBuffer.allocate(1000));
        assertEquals(-1, r.maxDataUpdate(), "less than half consumed");
        r.read(ByteBuffer.allocate(1100));
        assertEquals(2100 + 4096, r.maxDataUpdate());
    }

    @Test
    void aChangedFinalSizeIsAProtocolViolation() {
        ReceiveChannel r = new ReceiveChannel(6, 4096);
        r.onFrame(new StreamFrame(6, 0, pattern(0, 10), true));
        assertThrows(FlowControlException.class,
                () -> r.onFrame(new StreamFrame(6, 10, pattern(0, 5), false)));
    }
}
