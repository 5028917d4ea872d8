package io.stampede.sim;

import io.stampede.event.RebootReason;

/**
 * A power cut in part of the region: when power returns, {@code share} of its devices boot within
 * about two minutes, the rate rising sharply over {@code riseMs} and decaying exponentially with
 * time constant {@code decayMs}. Nothing arms them; most log in by themselves as after any boot.
 */
final class PowerLoss implements Disturbance {

    private final long onset;
    private final double share;
    private final long riseMs;
    private final double decayMs;
    /** The density at the end of the rise, share per ms. */
    private final double top;

    PowerLoss(long onset, double share, long riseMs, long decayMs) {
        this.onset = onset;
        this.share = share;
        this.riseMs = riseMs;
        this.decayMs = decayMs;
        this.top = share / (riseMs / 2.0 + decayMs);
    }

    @Override
    public double bootShare(long from, long to) {
        return booted(to - onset) - booted(from - onset);
    }

    private double booted(long t) {
        if (t <= 0) {
            return 0;
        }
        if (t <= riseMs) {
            return top * t * (double) t / (2.0 * riseMs);
        }
        return Math.min(share, top * (riseMs / 2.0 + decayMs * (1 - Math.exp(-(t - riseMs) / decayMs))));
    }

    @Override
    public Boots boots() {
        return new Boots(RebootReason.POWER, null, CountSeries.AUTO_LOGIN_SHARE);
    }
}
