package io.stampede.detect;

import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;

/**
 * How improbable a bucket is, in decades: {@code -log10} of the chance of a count at least this
 * high. Decades add up over consecutive buckets, so evidence is summed in them; 6 decades is a
 * one-in-a-million bucket. Every result is bounded by {@link #MAX}: past it, nothing is news any
 * more, and floating point would underflow.
 */
final class Improbability {

    static final double MAX = 30;

    private Improbability() {}

    /** Chance, in decades, of at least {@code count} events when {@code mean} are expected (Poisson). */
    static double poisson(double count, double mean) {
        long n = Math.round(count);
        if (n <= 0 || n <= mean) {
            return 0;
        }
        if (mean <= 0) {
            return MAX;
        }
        // P(N >= n) for N ~ Poisson(mean) is the regularized lower incomplete gamma P(n, mean).
        return decades(Gamma.regularizedGammaP(n, mean, 1e-12, 10_000));
    }

    /** Chance, in decades, of a standard normal variable at least {@code z}. */
    static double normal(double z) {
        if (z <= 0) {
            return 0;
        }
        if (z > 37) {
            // Past where erfc underflows: the leading term of its asymptotic expansion.
            double ln = -z * z / 2 - Math.log(z * Math.sqrt(2 * Math.PI));
            return Math.min(MAX, -ln / Math.log(10));
        }
        return decades(0.5 * Erf.erfc(z / Math.sqrt(2)));
    }

    static double decades(double probability) {
        if (!(probability > 0)) {
            return MAX;
        }
        return Math.min(MAX, Math.max(0, -Math.log10(probability)));
    }
}
