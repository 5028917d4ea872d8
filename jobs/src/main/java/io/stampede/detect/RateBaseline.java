package io.stampede.detect;

/**
 * What a rate (events per second, counted per bucket) is expected to be: a level and a damped
 * trend, learned with Holt's method on the series with its daily shape taken out, and the daily
 * shape itself, learned across days in 15-minute slots. Until a whole day has been seen the shape
 * is flat and level and trend alone follow slow daily changes.
 *
 * <p>Cold start: the level is the running mean of what has been seen until that mean weighs less
 * than the steady-state smoothing; the trend starts once the level has settled. Buckets flagged
 * as anomalous barely move the baseline, so an ongoing surge does not become the new normal.
 */
public final class RateBaseline {

    /** 15-minute slots of a UTC day. */
    static final int SLOTS = 96;
    static final long SLOT_MS = 86_400_000L / SLOTS;
    private static final double DAMPING = 0.98;
    private static final double PROFILE_WEIGHT = 0.3;
    private static final double ANOMALY_SLOWDOWN = 0.05;

    private double level = Double.NaN;
    private double trend;
    /** Variance of the rate beyond Poisson noise, learned from residuals. */
    private double extraVariance;
    private long samples;

    private double[] profile = new double[SLOTS];
    private int[] profileDays = new int[SLOTS];
    private boolean shapeActive;
    private int slot = -1;
    private long slotDay = Long.MIN_VALUE;
    private double slotSum;
    private int slotCount;

    /** Smoothing constants per bucket, from the time constants in the configuration. */
    public record Params(double alpha, double beta, long warmupBuckets, double bucketSeconds) {
        public static Params of(long bucketMs, long levelTimeConstantMs, long trendTimeConstantMs, long warmupMs) {
            double alpha = 1 - Math.exp(-(double) bucketMs / levelTimeConstantMs);
            double beta = 1 - Math.exp(-(double) bucketMs / trendTimeConstantMs);
            return new Params(alpha, beta, Math.max(1, warmupMs / bucketMs), bucketMs / 1000.0);
        }
    }

    public boolean isWarm(Params p) {
        return samples >= p.warmupBuckets();
    }

    public long samples() {
        return samples;
    }

    /** Expected rate for the bucket starting at {@code bucketStart}; 0 before anything was learned. */
    public double expected(long bucketStart) {
        if (Double.isNaN(level)) {
            return 0;
        }
        return Math.max(0, level + DAMPING * trend) * shape(bucketStart);
    }

    /** Expected rate {@code aheadMs} after {@code now}, following the damped trend. */
    public double forecast(long now, long aheadMs, Params p) {
        if (Double.isNaN(level)) {
            return 0;
        }
        double steps = aheadMs / (p.bucketSeconds() * 1000);
        double damped = DAMPING * (1 - Math.pow(DAMPING, steps)) / (1 - DAMPING);
        return Math.max(0, level + damped * trend) * shape(now + aheadMs);
    }

    /** Standard deviation of the rate in one bucket: Poisson noise plus what the residuals showed. */
    public double stdDev(double expectedRate, Params p) {
        double poisson = Math.max(expectedRate, 1.0 / p.bucketSeconds()) / p.bucketSeconds();
        return Math.sqrt(poisson + extraVariance);
    }

    /** Standard score of an observed rate against this baseline. */
    public double score(double observedRate, double expectedRate, Params p) {
        return (observedRate - expectedRate) / stdDev(expectedRate, p);
    }

    /**
     * Learns from one bucket's observed rate, clipped to three standard deviations around the
     * expectation (a Huber-style robust update): a lasting shift is still followed, slowly, while
     * a surge or a drop does not drag the baseline along. While a detector reports the segment as
     * disturbed, the trend stops learning too.
     */
    public void learn(long bucketStart, double rate, boolean anomalous, Params p) {
        double expected = expected(bucketStart);
        double s = shape(bucketStart);
        double sd = stdDev(expected, p);
        boolean warm = samples >= p.warmupBuckets();
        double learned = warm ? Math.max(expected - 3 * sd, Math.min(expected + 3 * sd, rate)) : rate;
        double y = learned / s;
        if (Double.isNaN(level)) {
            level = y;
        } else {
            double alpha = Math.max(p.alpha(), 1.0 / (samples + 1));
            double beta = samples >= p.warmupBuckets() / 2 ? p.beta() : 0;
            if (anomalous) {
                beta *= ANOMALY_SLOWDOWN;
            }
            double predicted = level + DAMPING * trend;
            double previous = level;
            level = Math.max(0, predicted + alpha * (y - predicted));
            trend = DAMPING * trend + beta * ((level - previous) - DAMPING * trend);
            // The noise is learned from ordinary buckets only: a residual beyond three standard
            // deviations is an outlier or the start of a surge, and must not widen the noise band.
            double residual = rate - expected;
            if (!anomalous && (!warm || Math.abs(residual) <= 3 * sd)) {
                double poisson = Math.max(expected, 1.0 / p.bucketSeconds()) / p.bucketSeconds();
                double extra = Math.max(0, residual * residual - poisson);
                extraVariance += Math.max(p.alpha(), 1.0 / (samples + 1)) * (extra - extraVariance);
            }
        }
        learnShape(bucketStart, anomalous ? Math.min(rate, expected) : learned, p);
        samples++;
    }

    private void learnShape(long bucketStart, double rate, Params p) {
        long day = Math.floorDiv(bucketStart, 86_400_000L);
        int current = (int) (Math.floorMod(bucketStart, 86_400_000L) / SLOT_MS);
        if (current != slot || day != slotDay) {
            long bucketsPerSlot = Math.max(1, Math.round(SLOT_MS / 1000.0 / p.bucketSeconds()));
            if (slot >= 0 && slotCount >= bucketsPerSlot / 2) {
                double mean = slotSum / slotCount;
                profile[slot] = profileDays[slot] == 0 ? mean : profile[slot] + PROFILE_WEIGHT * (mean - profile[slot]);
                profileDays[slot]++;
                if (!shapeActive && allSlotsSeen()) {
                    double before = shape(bucketStart);
                    shapeActive = true;
                    double after = shape(bucketStart);
                    if (!Double.isNaN(level) && after > 0) {
                        level = level * before / after;
                        trend = trend * before / after;
                    }
                }
            }
            slot = current;
            slotDay = day;
            slotSum = 0;
            slotCount = 0;
        }
        slotSum += rate;
        slotCount++;
    }

    private boolean allSlotsSeen() {
        for (int d : profileDays) {
            if (d == 0) {
                return false;
            }
        }
        return true;
    }

    /** Daily shape factor at time t (1 until a whole day has been learned), interpolated between slots. */
    double shape(long t) {
        if (!shapeActive) {
            return 1;
        }
        double mean = 0;
        for (double v : profile) {
            mean += v;
        }
        mean /= SLOTS;
        if (mean <= 1e-9) {
            return 1;
        }
        double pos = Math.floorMod(t, 86_400_000L) / (double) SLOT_MS - 0.5;
        int a = (int) Math.floor(pos);
        double f = pos - a;
        double va = profile[Math.floorMod(a, SLOTS)];
        double vb = profile[Math.floorMod(a + 1, SLOTS)];
        double factor = (va + f * (vb - va)) / mean;
        return Math.max(0.05, Math.min(20, factor));
    }

    public boolean hasDailyShape() {
        return shapeActive;
    }

    public double level() {
        return level;
    }

    public double trend() {
        return trend;
    }
}
