package io.stampede.detect;

/**
 * Level and slope of a rate that changes within minutes (e.g. the boot rate of a wave), smoothed
 * with short time constants so that a ramp is seen while it is ramping.
 */
public final class FastTrend {

    private double level;
    private double slope;
    private boolean started;

    /**
     * @param rate the rate observed in the bucket just closed
     * @param alpha smoothing of the level per bucket
     * @param beta smoothing of the slope per bucket
     */
    public void update(double rate, double bucketSeconds, double alpha, double beta) {
        if (!started) {
            level = rate;
            slope = 0;
            started = true;
            return;
        }
        double predicted = level + slope * bucketSeconds;
        double previous = level;
        level = Math.max(0, predicted + alpha * (rate - predicted));
        slope = slope + beta * ((level - previous) / bucketSeconds - slope);
    }

    public double level() {
        return level;
    }

    /** Change of the rate per second, per second. */
    public double slope() {
        return slope;
    }

    public void reset() {
        level = 0;
        slope = 0;
        started = false;
    }
}
