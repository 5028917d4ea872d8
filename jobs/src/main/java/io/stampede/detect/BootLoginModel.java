package io.stampede.detect;

/**
 * What a boot brings to the login tier, learned online from BOOT → AUTO login pairs of the same
 * device: the share of booted devices that log in by themselves, and the distribution of the
 * delay between boot and login (5-second bins). It learns from the devices of the boot-pairing
 * sample ({@link PairingSample}): their boots and their pairs.
 */
public final class BootLoginModel {

    public static final long BIN_MS = 5_000;
    public static final int BINS = 64;
    /** Roughly one hour of boots and pairs weigh in the estimates. */
    private static final double DECAY_PER_BUCKET = 0.997;

    private double boots;
    private double pairs;
    private double[] delayBins = new double[BINS];
    private double delayWeight;

    public void learn(long sampledBoots, long pairedLogins, long[] delayCounts) {
        boots = boots * DECAY_PER_BUCKET + sampledBoots;
        pairs = pairs * DECAY_PER_BUCKET + pairedLogins;
        delayWeight *= DECAY_PER_BUCKET;
        for (int i = 0; i < BINS; i++) {
            delayBins[i] = delayBins[i] * DECAY_PER_BUCKET + delayCounts[i];
            delayWeight += delayCounts[i];
        }
    }

    /** Share of booted devices that log in automatically, or {@code fallback} until enough boots were seen. */
    public double autoLoginShare(double fallback) {
        if (boots < 50) {
            return fallback;
        }
        return Math.min(1, pairs / boots);
    }

    /** Mean boot-to-login delay in ms, or {@code fallbackMs} until pairs were seen. */
    public double meanDelayMs(double fallbackMs) {
        if (delayWeight < 20) {
            return fallbackMs;
        }
        double sum = 0;
        for (int i = 0; i < BINS; i++) {
            sum += delayBins[i] * (i + 0.5) * BIN_MS;
        }
        return sum / delayWeight;
    }

    /**
     * The share of a boot's logins that arrive in each bucket after it: element k is the share
     * arriving between k and k+1 buckets after the boot. Falls back to a spread around
     * {@code fallbackMs} until pairs were seen.
     */
    public double[] delayDistribution(long bucketMs, double fallbackMs) {
        double[] weights = new double[BINS];
        if (delayWeight < 20) {
            int centre = (int) Math.min(BINS - 1, fallbackMs / BIN_MS);
            for (int i = Math.max(0, centre - 3); i <= Math.min(BINS - 1, centre + 3); i++) {
                weights[i] = 1;
            }
        } else {
            System.arraycopy(delayBins, 0, weights, 0, BINS);
        }
        int buckets = (int) Math.max(1, (BINS * BIN_MS + bucketMs - 1) / bucketMs);
        double[] out = new double[buckets];
        double total = 0;
        for (int i = 0; i < BINS; i++) {
            total += weights[i];
        }
        if (total <= 0) {
            out[0] = 1;
            return out;
        }
        for (int i = 0; i < BINS; i++) {
            int b = (int) ((i * BIN_MS + BIN_MS / 2) / bucketMs);
            out[Math.min(buckets - 1, b)] += weights[i] / total;
        }
        return out;
    }
}
