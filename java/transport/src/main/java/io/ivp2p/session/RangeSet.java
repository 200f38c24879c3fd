package io.ivp2p.session;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of non-negative longs kept as disjoint, non-adjacent half-open ranges
 * {@code [start, end)}: received packet numbers, acknowledged or lost byte ranges of a channel.
 * Adding merges neighbours, so the size stays proportional to the number of holes.
 */
public final class RangeSet implements Iterable<Map.Entry<Long, Long>> {
    private final TreeMap<Long, Long> ranges = new TreeMap<>();
    private long total;

    /** Adds {@code [start, end)}; returns the number of values that were not present before. */
    public long add(long start, long end) {
        if (end <= start) {
            return 0;
        }
        long before = total;
        Map.Entry<Long, Long> floor = ranges.floorEntry(start);
        if (floor != null && floor.getValue() >= start) {
            start = floor.getKey();
            end = Math.max(end, floor.getValue());
            total -= floor.getValue() - floor.getKey();
            ranges.remove(floor.getKey());
        }
        Map.Entry<Long, Long> next = ranges.ceilingEntry(start);
        while (next != null && next.getKey() <= end) {
            end = Math.max(end, next.getValue());
            total -= next.getValue() - next.getKey();
            ranges.remove(next.getKey());
            next = ranges.ceilingEntry(start);
        }
        ranges.put(start, end);
        total += end - start;
        return total - before;
    }

    /** Removes {@code [start, end)}. */
    public void remove(long start, long end) {
        if (end <= start) {
            return;
        }
        Map.Entry<Long, Long> floor = ranges.floorEntry(start);
        if (floor != null && floor.getValue() > start) {
            ranges.remove(floor.getKey());
            total -= floor.getValue() - floor.getKey();
            if (floor.getKey() < start) {
                ranges.put(floor.getKey(), start);
                total += start - floor.getKey();
            }
            if (floor.getValue() > end) {
                ranges.put(end, floor.getValue());
                total += floor.getValue() - end;
                return;
            }
        }
        Map.Entry<Long, Long> next = ranges.ceilingEntry(start);
        while (next != null && next.getKey() < end) {
            ranges.remove(next.getKey());
            total -= next.getValue() - next.getKey();
            if (next.getValue() > end) {
                ranges.put(end, next.getValue());
                total += next.getValue() - end;
                break;
            }
            next = ranges.ceilingEntry(start);
        }
    }

    public boolean contains(long value) {
        Map.Entry<Long, Long> floor = ranges.floorEntry(value);
        return floor != null && value < floor.getValue();
    }

    /** True if every value of {@code [start, end)} is present. */
    public boolean containsAll(long start, long end) {
        if (end <= start) {
            return true;
        }
        Map.Entry<Long, Long> floor = ranges.floorEntry(start);
        return floor != null && floor.getValue() >= end;
    }

    /** Values present, counted once. */
    public long total() {
        return total;
    }

    public int rangeCount() {
        return ranges.size();
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** The lowest range, or null. */
    public Map.Entry<Long, Long> first() {
        return ranges.firstEntry();
    }

    /** The highest range, or null. */
    public Map.Entry<Long, Long> last() {
        return ranges.lastEntry();
    }

    /** Drops the lowest range (to bound memory); returns it. */
    public Map.Entry<Long, Long> pollFirst() {
        Map.Entry<Long, Long> e = ranges.pollFirstEntry();
        if (e != null) {
            total -= e.getValue() - e.getKey();
        }
        return e;
    }

    /** Ranges in descending order. */
    public Iterable<Map.Entry<Long, Long>> descending() {
        return ranges.descendingMap().entrySet();
    }

    @Override
    public Iterator<Map.Entry<Long, Long>> iterator() {
        return ranges.entrySet().iterator();
    }

    @Override
    public String toString() {
        return ranges.toString();
    }
}
