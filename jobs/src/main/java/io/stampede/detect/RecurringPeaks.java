package io.stampede.detect;

import java.util.Arrays;

/**
 * The highest rate each slot of the day (5 minutes by default) held for 40 seconds, on each of the
 * last eight days: what recurs at this time of day. A burst that came at the same time on two of the last three
 * days, or on this weekday a week ago, is part of the pattern, not news: the 09:00 start of a
 * fleet whose users all begin at nine, a client refreshing its tokens on the hour, the Monday
 * morning after a quiet weekend.
 *
 * <p>The memory keeps every bucket, disturbed or not: a step that fired on its first two days is
 * learned from them. A single incident must not blind the same slot later: daily, a peak counts
 * only when it came on two of the last three days; weekly, only when another day of the past
 * week reached at least half of it at that slot (a weekday pattern after a weekend, yes; one
 * incident a week ago, no).
 */
final class RecurringPeaks {

    static final int DAYS = 8;
    /** Share of last week's peak another day of that week must have reached for it to count. */
    private static final double WEEKLY_CORROBORATION = 0.5;
    private static final long DAY_MS = 86_400_000L;

    private long[] rowDay = new long[DAYS];
    /** Peak rate per day row and slot; 0 where nothing was seen. */
    private float[] peaks = new float[0];
    private int slots;

    RecurringPeaks() {
        Arrays.fill(rowDay, Long.MIN_VALUE);
    }

    private void size(int slotsPerDay) {
        if (slots != slotsPerDay) {
            slots = slotsPerDay;
            peaks = new float[DAYS * slots];
            Arrays.fill(rowDay, Long.MIN_VALUE);
        }
    }

    static int slotsPerDay(long slotMs) {
        return (int) ((DAY_MS + slotMs - 1) / slotMs);
    }

    void learn(long bucketStart, double rate, long slotMs) {
        size(slotsPerDay(slotMs));
        long day = Math.floorDiv(bucketStart, DAY_MS);
        int row = (int) Math.floorMod(day, DAYS);
        if (rowDay[row] != day) {
            rowDay[row] = day;
            Arrays.fill(peaks, row * slots, (row + 1) * slots, 0f);
        }
        int i = row * slots + slot(bucketStart, slotMs);
        if (rate > peaks[i]) {
            peaks[i] = (float) rate;
        }
    }

    /**
     * The rate that recurs at {@code t}: the second highest of the last three days' peaks at this
     * slot (so it was seen on at least two of them), or this weekday's a week ago if higher and
     * another day of that week came within half of it; 0 when neither is known. The slot after is taken too, so a pattern that comes a few minutes early
     * still matches.
     */
    double recurring(long t, long slotMs) {
        if (slots != slotsPerDay(slotMs)) {
            return 0;
        }
        long day = Math.floorDiv(t, DAY_MS);
        int slot = slot(t, slotMs);
        double first = 0;
        double second = 0;
        for (int back = 1; back <= 3; back++) {
            double v = peakAround(day - back, slot);
            if (v > first) {
                second = first;
                first = v;
            } else if (v > second) {
                second = v;
            }
        }
        double weekAgo = peakAround(day - 7, slot);
        boolean corroborated = false;
        for (int back = 2; back <= 6 && !corroborated; back++) {
            corroborated = peakAround(day - back, slot) >= WEEKLY_CORROBORATION * weekAgo;
        }
        return Math.max(second, corroborated ? weekAgo : 0);
    }

    private double peakAround(long day, int slot) {
        int row = (int) Math.floorMod(day, DAYS);
        if (rowDay[row] != day) {
            return 0;
        }
        double v = 0;
        for (int s = slot; s <= Math.min(slot + 1, slots - 1); s++) {
            v = Math.max(v, peaks[row * slots + s]);
        }
        return v;
    }

    private static int slot(long t, long slotMs) {
        return (int) (Math.floorMod(t, DAY_MS) / slotMs);
    }
}
