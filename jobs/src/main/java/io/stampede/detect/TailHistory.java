package io.stampede.detect;

/**
 * What the ordinary buckets of a series looked like above their expectation: an exponentially
 * decayed histogram of {@code log2} of observed over expected (one event per bucket added to
 * both, so that empty buckets and tiny segments need no special case). It answers how often a
 * bucket at least this far above the expectation has been seen, which no noise model knows on
 * bursty traffic: a series that jumps to twice its level once an hour has taught it that twice
 * is not rare.
 */
final class TailHistory {

    /** Width of a bin in doublings, and how many bins: ratios from 1 to 64. */
    static final double BIN = 0.125;
    static final int BINS = 48;

    /** Decayed weight of the buckets at or below their expectation, then of each bin above. */
    private double below;
    private double[] bins = new double[BINS];
    private long seen;

    /** log2 of observed over expected, in events per bucket. */
    static double logRatio(double rate, double expected, double bucketSeconds) {
        return Math.log((rate * bucketSeconds + 1) / (expected * bucketSeconds + 1)) / Math.log(2);
    }

    /** Adds one ordinary bucket; {@code alpha} is the weight of the newest, as in an exponential average. */
    void learn(double logRatio, double alpha) {
        double a = Math.max(alpha, 1.0 / (seen + 1));
        below *= 1 - a;
        for (int i = 0; i < BINS; i++) {
            bins[i] *= 1 - a;
        }
        if (logRatio < 0) {
            below += a;
        } else {
            bins[Math.min(BINS - 1, (int) (logRatio / BIN))] += a;
        }
        seen++;
    }

    /** Share of the ordinary buckets in this ratio's bin or above (its own bin counts: the answer errs high). */
    double shareAtLeast(double logRatio) {
        if (logRatio < 0) {
            return 1;
        }
        double share = 0;
        for (int i = Math.min(BINS - 1, (int) (logRatio / BIN)); i < BINS; i++) {
            share += bins[i];
        }
        return share;
    }

    /** How many buckets the shares stand for: all of them at first, then the span of the decay. */
    double weight(double alpha) {
        return Math.min(seen, 1 / alpha);
    }
}
