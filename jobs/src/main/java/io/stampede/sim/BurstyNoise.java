package io.stampede.sim;

import java.util.SplittableRandom;

/**
 * The multiplicative noise on one stream of a region's traffic, bucket by bucket: a level of the
 * day, a slow wander (minutes to an hour), a small factor of each bucket, and clusters of short
 * bursts (a meeting starts, an app pushes a notification, a lab reboots on schedule). Real series
 * are far burstier than Poisson draws of a smooth rate; this is what the detectors must live with.
 * The heavy-tailed variant adds one-bucket spikes with a Pareto tail.
 */
final class BurstyNoise {

    private static final long DAY_MS = 86_400_000;
    private static final long HOUR_MS = 3_600_000;
    private static final long SPIKE_BUCKET_MS = 10_000;

    /**
     * @param daySigma log standard deviation of a day's level
     * @param slowSigma log standard deviation of the slow wander...
     * @param slowTimeConstantMs ...and how long it takes to forget itself
     * @param bucketSigma log standard deviation of each bucket's own factor
     * @param clustersPerHour how often a cluster of 1 to 3 bursts begins
     * @param burstMin multiplier of a burst, drawn from {@code burstMin..burstMax}
     * @param burstMaxMs a burst lasts one bucket up to this long
     * @param burstGapMaxMs bursts of one cluster are at most this far apart
     * @param spikeShare share of 10-second buckets with a one-bucket spike (0: none)
     * @param spikeAlpha Pareto exponent of a spike's multiplier...
     * @param spikeMin ...its smallest value...
     * @param spikeCap ...and its largest
     */
    record Model(double daySigma, double slowSigma, long slowTimeConstantMs, double bucketSigma,
            double clustersPerHour, double burstMin, double burstMax, long burstMaxMs, long burstGapMaxMs,
            double spikeShare, double spikeAlpha, double spikeMin, double spikeCap) {

        /** First login attempts: bursts of 1.5-3x for 10-30 s, about 2.6 of them an hour. */
        static final Model LOGINS = new Model(0.05, 0.08, 20 * 60_000, 0.05, 1.5, 1.5, 3.0, 30_000, 60_000, 0, 0, 0, 0);
        /** Boots: milder and rarer bursts (1.5-2x for 10-20 s); a region-wide 3x jump of boots is a wave. */
        static final Model BOOTS = new Model(0.05, 0.10, 20 * 60_000, 0.10, 1.0, 1.5, 2.0, 20_000, 60_000, 0, 0, 0, 0);

        /** The same, much burstier: a wider bucket factor and one-bucket spikes of 1.5-10x, Pareto-tailed (alpha 1.5). */
        Model heavyTailed() {
            return new Model(daySigma, slowSigma, slowTimeConstantMs, 0.2, clustersPerHour, burstMin, burstMax,
                    burstMaxMs, burstGapMaxMs, 0.03, 1.5, 1.5, 10);
        }
    }

    private final Model m;
    private final SplittableRandom random;
    private final double slowKeep;
    private final double slowInnovation;
    private final double clusterChance;
    private final double spikeChance;
    private final int burstMaxBuckets;
    private final int gapMaxBuckets;

    private long day = Long.MIN_VALUE;
    private double dayFactor = 1;
    private double slow;
    private int burstLeft;
    private double burstMultiplier;
    private int burstsToCome;
    private int waitLeft;

    BurstyNoise(Model model, long bucketMs, SplittableRandom random) {
        this.m = model;
        this.random = random;
        this.slowKeep = Math.exp(-bucketMs / (double) model.slowTimeConstantMs());
        this.slowInnovation = model.slowSigma() * Math.sqrt(1 - slowKeep * slowKeep);
        this.clusterChance = model.clustersPerHour() * bucketMs / HOUR_MS;
        this.spikeChance = model.spikeShare() * bucketMs / SPIKE_BUCKET_MS;
        this.burstMaxBuckets = (int) Math.max(1, model.burstMaxMs() / bucketMs);
        this.gapMaxBuckets = (int) Math.max(1, model.burstGapMaxMs() / bucketMs);
        this.slow = model.slowSigma() * random.nextGaussian();
    }

    /** The factor of the bucket starting at {@code bucketStart}; buckets must come in order, each once. */
    double next(long bucketStart) {
        long d = Math.floorDiv(bucketStart, DAY_MS);
        if (d != day) {
            day = d;
            dayFactor = Draws.lognormal(random, m.daySigma());
        }
        slow = slowKeep * slow + slowInnovation * random.nextGaussian();
        double f = dayFactor * Math.exp(slow - m.slowSigma() * m.slowSigma() / 2) * Draws.lognormal(random, m.bucketSigma());
        return f * burst() * spike();
    }

    private double burst() {
        if (burstLeft == 0) {
            if (burstsToCome > 0) {
                if (--waitLeft <= 0) {
                    burstsToCome--;
                    startBurst();
                }
            } else if (random.nextDouble() < clusterChance) {
                burstsToCome = random.nextDouble() < 0.5 ? 0 : 1 + random.nextInt(2);
                startBurst();
            }
        }
        if (burstLeft == 0) {
            return 1;
        }
        burstLeft--;
        if (burstLeft == 0 && burstsToCome > 0) {
            waitLeft = 1 + random.nextInt(gapMaxBuckets);
        }
        return burstMultiplier;
    }

    private void startBurst() {
        burstLeft = 1 + random.nextInt(burstMaxBuckets);
        burstMultiplier = Draws.uniform(random, m.burstMin(), m.burstMax());
    }

    private double spike() {
        if (spikeChance == 0 || random.nextDouble() >= spikeChance) {
            return 1;
        }
        double pareto = m.spikeMin() * Math.pow(1 - random.nextDouble(), -1 / m.spikeAlpha());
        return Math.min(m.spikeCap(), pareto);
    }
}
