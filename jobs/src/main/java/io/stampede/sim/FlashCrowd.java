package io.stampede.sim;

import io.stampede.admission.AttemptClass;

/**
 * Many people log in at once (a deadline, an outage of another service ending): interactive first
 * attempts rise linearly to {@code multiplier} times normal over {@code rampMs}, hold for
 * {@code holdMs}, and fall back over another {@code rampMs}. No device boots.
 */
final class FlashCrowd implements Disturbance {

    private final long onset;
    private final long rampMs;
    private final long holdMs;
    private final double multiplier;

    FlashCrowd(long onset, long rampMs, long holdMs, double multiplier) {
        this.onset = onset;
        this.rampMs = rampMs;
        this.holdMs = holdMs;
        this.multiplier = multiplier;
    }

    @Override
    public double loginFactor(AttemptClass cls, long t) {
        if (cls != AttemptClass.INTERACTIVE || t <= onset || t >= onset + 2 * rampMs + holdMs) {
            return 1;
        }
        long in = t - onset;
        double up = Math.min(1, in / (double) rampMs);
        double down = Math.min(1, (onset + 2 * rampMs + holdMs - t) / (double) rampMs);
        return 1 + (multiplier - 1) * Math.min(up, down);
    }
}
