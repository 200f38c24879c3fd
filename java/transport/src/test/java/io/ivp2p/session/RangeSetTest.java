package io.ivp2p.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class RangeSetTest {
    @Test
    void addMergesOverlappingAndAdjacentRanges() {
        RangeSet s = new RangeSet();
        assertEquals(5, s.add(0, 5));
        assertEquals(5, s.add(10, 15));
        assertEquals(2, s.rangeCount());
        assertEquals(5, s.add(5, 10));
        assertEquals(1, s.rangeCount());
        assertEquals(0, s.add(3, 12));
        assertEquals(15, s.total());
    }

    @Test
    void removeSplitsRanges() {
        RangeSet s = new RangeSet();
        s.add(0, 100);
        s.remove(10, 20);
        assertEquals(90, s.total());
        assertFalse(s.contains(15));
        assertTrue(s.contains(9));
        assertTrue(s.contains(20));
        assertTrue(s.containsAll(20, 100));
        assertFalse(s.containsAll(5, 25));
    }

    @Test
    void agreesWithABitSetUnderRandomOperations() {
        SplittableRandom random = new SplittableRandom(7);
        RangeSet s = new RangeSet();
        BitSet model = new BitSet();
        for (int i = 0; i < 5000; i++) {
            int a = random.nextInt(0, 500);
            int b = a + random.nextInt(0, 40);
            if (random.nextInt(3) == 0) {
                s.remove(a, b);
                model.clear(a, b);
            } else {
                long added = s.add(a, b);
                int before = model.cardinality();
                model.set(a, b);
                assertEquals(model.cardinality() - before, added);
            }
            assertEquals(model.cardinality(), s.total());
        }
        for (int v = 0; v < 560; v++) {
            assertEquals(model.get(v), s.contains(v), "value " + v);
        }
    }
}
