package io.stampede.plan;

import java.util.function.LongToDoubleFunction;

/**
 * The demand an armed pool would bring when its update forces the reboot it is waiting for: the
 * leading indicator of a reboot wave, known before the first device reboots. The pool is assumed
 * to reboot from its {@code rebootBy} over a window (learned from the region's past forced waves,
 * or configured), the boot rate rising linearly to a peak at {@code peakAt} of the window and
 * falling linearly after it; each boot turns into an automatic login with the learned share, after
 * the learned boot-to-login delay.
 */
public final class ArmedPoolForecaster {

    /** Below this share of the pool still to come in its window the window is over: the deadline did not hold. */
    static final double STALE_REMAINING = 0.05;

    private ArmedPoolForecaster() {}

    /**
     * One update's armed pool and when it is forced.
     *
     * @param rebootBy when the forced reboots start (epoch ms)
     * @param windowMs how long the forced reboots take
     * @param windowBasis where the window comes from: {@code learned} or {@code default}
     * @param peakAt where in the window the boot rate peaks (a share of it)
     */
    public record Pool(String updateId, long devices, long rebootBy, long windowMs, String windowBasis,
            double peakAt) {

        /** The share of the pool's forced reboots that have happened by {@code t}. */
        double rebootedBy(long t) {
            if (t <= rebootBy) {
                return 0;
            }
            double x = Math.min(1, (t - rebootBy) / (double) windowMs);
            double c = peakAt;
            return x <= c ? x * x / c : 1 - (1 - x) * (1 - x) / (1 - c);
        }

        /**
         * Whether the pool may still be forced: it is not past its window, or what is left of the
         * window is too little to hold the devices still armed (they did not reboot when forced).
         */
        public boolean pending(long now) {
            return devices > 0 && 1 - rebootedBy(now) >= STALE_REMAINING;
        }

        /**
         * The pool's reboots expected in {@code [from, to)}: the devices still armed at {@code now},
         * spread over what is left of the window.
         */
        double boots(long now, long from, long to) {
            double left = 1 - rebootedBy(now);
            if (left < STALE_REMAINING) {
                return 0;
            }
            return devices * (rebootedBy(to) - rebootedBy(from)) / left;
        }
    }

    /**
     * The pool's reboots in each forecast step from {@code now}: what {@link DemandForecaster}
     * takes as the forced part of the wave.
     */
    public static double[] bootsPerStep(Pool pool, long now, long stepMs, int steps) {
        double[] boots = new double[steps];
        for (int j = 0; j < steps; j++) {
            boots[j] = pool.boots(now, now + j * stepMs, now + (j + 1) * stepMs);
        }
        return boots;
    }

    /**
     * What the pool means for the tier, looked at up to the end of its window.
     *
     * @param peakDemand the peak of forecast demand while the pool reboots (attempts per second)
     * @param peakAt when
     * @param crossesAt when forecast demand first exceeds safe capacity, or -1
     */
    public record Outlook(Pool pool, double peakDemand, long peakAt, long crossesAt) {
        public boolean crosses() {
            return crossesAt >= 0;
        }
    }

    /**
     * Forecast demand from {@code now} to the end of the pool's window (at most {@code lookaheadMs}
     * ahead) in steps of {@code stepMs}: the baseline plus the automatic logins of the forced
     * reboots, times retry amplification.
     *
     * @param baseline first attempts per second expected {@code ahead} ms from now
     */
    public static Outlook outlook(Pool pool, long now, long stepMs, LongToDoubleFunction baseline, double autoLoginShare,
            double meanDelayMs, double amplification, double safeCapacity, long lookaheadMs) {
        long end = Math.min(now + lookaheadMs, pool.rebootBy() + pool.windowMs() + (long) meanDelayMs + stepMs);
        double peak = -1;
        long peakAt = now;
        long crosses = -1;
        long delay = (long) meanDelayMs;
        long first = Math.max(0, Math.floorDiv(pool.rebootBy() + delay - stepMs - now, stepMs));
        for (long t = now + first * stepMs; t < end; t += stepMs) {
            double boots = pool.boots(now, Math.max(now, t - delay), Math.max(now, t + stepMs - delay));
            double logins = autoLoginShare * boots / (stepMs / 1000.0);
            double demand = (baseline.applyAsDouble(t + stepMs / 2 - now) + logins) * amplification;
            if (demand > peak) {
                peak = demand;
                peakAt = t;
            }
            if (crosses < 0 && safeCapacity > 0 && demand > safeCapacity) {
                crosses = t;
            }
        }
        return new Outlook(pool, Math.max(0, peak), peakAt, crosses);
    }

    /**
     * The window of a forced wave from when it took to reboot {@code share} of its pool: the
     * inverse of the assumed shape, so that a learned window means the same as a configured one.
     */
    public static long windowFromDrain(long elapsedMs, double share, double peakAt) {
        double x = share <= peakAt ? Math.sqrt(share * peakAt) : 1 - Math.sqrt((1 - share) * (1 - peakAt));
        return Math.round(elapsedMs / x);
    }
}
