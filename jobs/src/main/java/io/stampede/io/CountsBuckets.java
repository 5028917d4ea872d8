package io.stampede.io;

import io.stampede.detect.BucketStats;
import io.stampede.detect.Segments;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The buckets a counts file stands for, in the order the segment stage needs them: interval by
 * interval, every segment's bucket of an interval before the next interval's. An interval missing
 * between two rows of a segment is a bucket of zero counts (metrics exports leave out zero rows).
 * The fleet is the file's {@code fleet} rows, or, when it has none, the sum of its regions per
 * interval, as the events pipeline counts it; with the fleet segment switched off, neither.
 */
public final class CountsBuckets implements Iterator<BucketStats> {

    /** Where the fleet segment's counts come from. */
    public enum Fleet {
        FROM_FILE("the file's fleet rows"),
        SUM_OF_REGIONS("the sum of the regions per interval"),
        OFF("not evaluated (detection.fleetSegment is false)");

        private final String words;

        Fleet(String words) {
            this.words = words;
        }

        /** For the console and the summary. */
        public String words() {
            return words;
        }
    }

    private final long interval;
    private final long end;
    private final List<Cursor> segments = new ArrayList<>();
    private final boolean sumFleet;
    private final ArrayDeque<BucketStats> ready = new ArrayDeque<>();
    private long time = Long.MAX_VALUE;

    /** @param fleetSegment whether the fleet segment is evaluated ({@code detection.fleetSegment}) */
    public CountsBuckets(CountsCsv.Counts counts, boolean fleetSegment) {
        this.interval = counts.intervalMs();
        Fleet fleet = fleet(counts, fleetSegment);
        this.sumFleet = fleet == Fleet.SUM_OF_REGIONS;
        long last = Long.MIN_VALUE;
        for (Map.Entry<String, List<CountsRow>> e : counts.segments().entrySet()) {
            if (Segments.isFleet(e.getKey()) && fleet == Fleet.OFF) {
                continue;
            }
            List<CountsRow> rows = e.getValue();
            segments.add(new Cursor(e.getKey(), rows));
            time = Math.min(time, rows.get(0).time());
            last = Math.max(last, rows.get(rows.size() - 1).time());
        }
        this.end = last;
    }

    /** Where the fleet's counts come from, for this file and {@code detection.fleetSegment}. */
    public static Fleet fleet(CountsCsv.Counts counts, boolean fleetSegment) {
        if (!fleetSegment) {
            return Fleet.OFF;
        }
        return counts.segments().containsKey(Segments.FLEET) ? Fleet.FROM_FILE : Fleet.SUM_OF_REGIONS;
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && !segments.isEmpty() && time <= end) {
            interval(time);
            time += interval;
        }
        return !ready.isEmpty();
    }

    @Override
    public BucketStats next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    /** Queues the buckets of the interval that starts at {@code t}. */
    private void interval(long t) {
        CountsRow fleet = CountsRow.zero(t);
        for (Cursor c : segments) {
            if (c.covers(t)) {
                CountsRow row = c.at(t);
                ready.add(row.toStats(c.segment));
                if (sumFleet) {
                    fleet = fleet.plus(row);
                }
            }
        }
        if (sumFleet) {
            ready.add(fleet.toStats(Segments.FLEET));
        }
    }

    /** One segment's rows, read along in time. */
    private static final class Cursor {
        final String segment;
        final List<CountsRow> rows;
        int next;

        Cursor(String segment, List<CountsRow> rows) {
            this.segment = segment;
            this.rows = rows;
        }

        boolean covers(long t) {
            return t >= rows.get(0).time() && t <= rows.get(rows.size() - 1).time();
        }

        /** The row at {@code t}, or zero counts where the file has none. */
        CountsRow at(long t) {
            if (rows.get(next).time() == t) {
                return rows.get(next++);
            }
            return CountsRow.zero(t);
        }
    }
}
