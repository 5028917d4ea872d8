package io.stampede.detect;

import java.util.Arrays;

/**
 * The highest rate of each slot of the day (5 minutes by default) on each of the last eight days:
 * what recurs at this time of day. A burst that came at the same time on two of the last three
 * days, or on this weekday a week ago, is part of the pattern, not news: the 09:00 start of a
 * fleet whose users all begin at nine, a client refreshing its tokens on the hour, the Monday
 * morning after a quiet weekend.
 *
 * <p>The daily memory keeps every bucket, disturbed or not: a step that fired on the first two
 * days is learned from them. The weekly memory skips slots that were disturbed, since a single
 * incident a week ago must not blind the same slot this week.
 */
final class RecurringPeaks {

    static final int DAYS = 8;
    private static final long DAY_MS = 86_400_000L;

    private long[] rowDay = new long[DAYS];
    /** Peak rate per day row and slot; 0 where nothing was seen. */
    private float[] peaks = new float[0];
    /** Slots (per day row) that held a disturbed bucket. */
    private long[] disturbed = new long[0];
    private int slots;

    RecurringPeaks() {
        Arrays.fill(rowDay, Long.MIN_VALUE);
    }

    private void size(int slotsPerDay) {
        if (slots != slotsPerDay) {
            slots = slotsPerDay;
            peaks = new float[DAYS * slots];
            disturbed = new long[(DAYS * slots + 63) / 64];
            Arrays.fill(rowDay, Long.MIN_VALUE);
        }
    }

    static int slotsPerDay(long slotMs) {
        return (int) ((DAY_MS + slotMs - 1) / slotMs);
    }

    void learn(long bucketStart, double rate, boolean wasDisturbed, long slotMs) {
        size(slotsPerDay(slotMs));
        long day = Math.floorDiv(bucketStart, DAY_MS);
        int row = (int) Math.floorMod(day, DAYS);
        if (rowDay[row] != day) {
            rowDay[row] = day;
            Arrays.fill(peaks, row * slots, (row + 1) * slots, 0f);
            for (int i = row * slots; i < (row + 1) * slots; i++) {
                disturbed[i >>> 6] &= ~(1L << (i & 63));
            }
        }
        int i = row * slots + slot(bucketStart, slotMs);
        if (rate > peaks[i]) {
            peaks[i] = (float) rate;
        }
        if (wasDisturbed) {
            disturbed[i >>> 6] |= 1L << (i & 63);
        }
    }

    /**
     * The rate that recurs at {@code t}: the second highest of the last three days' peaks at this
     * slot (so it was seen on at least two of them), or this weekday's a week ago if higher; 0 when
     * neither is known. The slot after is taken too, so a pattern that comes a few minutes early
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
            double v = peakAround(day - back, slot, false);
            if (v > first) {
                second = first;
                first = v;
            } else if (v > second) {
                second = v;
            }
        }
        return Math.max(second, peakAround(day - 7, slot, true));
    }

    private double peakAround(long day, int slot, boolean ordinaryOnly) {
        int row = (int) Math.floorMod(day, DAYS);
        if (rowDay[row] != day) {
            return 0;
        }
        double v = 0;
        for (int s = slot; s <= Math.min(slot + 1, slots - 1); s++) {
            int i = row * slots + s;
            boolean skip = ordinaryOnly && (disturbed[i >>> 6] & (1L << (i & 63))) != 0;
            if (!skip) {
                v = Math.max(v, peaks[i]);
            }
        }
        return v;
    }

    private static int slot(long t, long slotMs) {
        return (int) (Math.floorMod(t, DAY_MS) / slotMs);
    }
}
