package io.stampede.sim;

import java.util.SplittableRandom;

/**
 * Random counts for the count series: Poisson and binomial draws that stay exact in their tails,
 * because a detector's false alarms live in the tails. A normal approximation would make rare high
 * buckets rarer than real counts make them.
 */
final class Draws {

    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double[] LOG_FACTORIAL = new double[32];

    static {
        for (int k = 1; k < LOG_FACTORIAL.length; k++) {
            LOG_FACTORIAL[k] = LOG_FACTORIAL[k - 1] + Math.log(k);
        }
    }

    private Draws() {}

    /** A Poisson count of mean {@code mean} (0 for a mean of 0 or less). */
    static long poisson(SplittableRandom r, double mean) {
        if (!(mean > 0)) {
            return 0;
        }
        return mean < 10 ? multiplication(r, mean) : transformedRejection(r, mean);
    }

    /** Knuth's method, for small means. */
    private static long multiplication(SplittableRandom r, double mean) {
        double limit = Math.exp(-mean);
        double product = r.nextDouble();
        long k = 0;
        while (product > limit) {
            product *= r.nextDouble();
            k++;
        }
        return k;
    }

    /** Hörmann's transformed rejection with squeeze (PTRS, 1993): exact for means of 10 and more. */
    private static long transformedRejection(SplittableRandom r, double mean) {
        double root = Math.sqrt(mean);
        double logMean = Math.log(mean);
        double b = 0.931 + 2.53 * root;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = r.nextDouble() - 0.5;
            double v = r.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b)
                    <= -mean + k * logMean - logFactorial(k)) {
                return k;
            }
        }
    }

    /**
     * How many of {@code n} trials succeed with probability {@code p}: one by one for few trials,
     * else the Poisson limit of the rarer side when it is rare, else the normal approximation.
     */
    static long binomial(SplittableRandom r, long n, double p) {
        if (n <= 0 || p <= 0) {
            return 0;
        }
        if (p >= 1) {
            return n;
        }
        if (n < 64) {
            long k = 0;
            for (long i = 0; i < n; i++) {
                if (r.nextDouble() < p) {
                    k++;
                }
            }
            return k;
        }
        double q = Math.min(p, 1 - p);
        long rare;
        if (n * q < 20) {
            rare = Math.min(n, poisson(r, n * q));
        } else {
            rare = Math.round(n * q + Math.sqrt(n * q * (1 - q)) * r.nextGaussian());
            rare = Math.max(0, Math.min(n, rare));
        }
        return p <= 0.5 ? rare : n - rare;
    }

    /** A lognormal factor of mean 1 whose logarithm has standard deviation {@code sigma}. */
    static double lognormal(SplittableRandom r, double sigma) {
        return Math.exp(sigma * r.nextGaussian() - sigma * sigma / 2);
    }

    static double uniform(SplittableRandom r, double from, double to) {
        return from + (to - from) * r.nextDouble();
    }

    /** ln(k!), from a table for small k and Stirling's series beyond it. */
    private static double logFactorial(long k) {
        if (k < LOG_FACTORIAL.length) {
            return LOG_FACTORIAL[(int) k];
        }
        double x = k + 1.0;
        double inv = 1 / x;
        double inv2 = inv * inv;
        return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 / 1260));
    }
}
