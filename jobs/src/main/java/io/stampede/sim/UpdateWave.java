package io.stampede.sim;

import io.stampede.event.RebootReason;

/**
 * An update installed by {@code share} of the region during the day before, each install arming the
 * device, then forced: from {@code onset} every armed device reboots, the reboot rate rising
 * linearly from 0 for {@code rampMs} and falling linearly back to 0 over {@code decayMs}. Every
 * rebooted device's client logs in by itself afterwards.
 */
final class UpdateWave implements Disturbance {

    static final String UPDATE_ID = "KB-2026-11";
    private static final long INSTALL_WINDOW_MS = 24 * 3_600_000L;

    private final long onset;
    private final double share;
    private final long rampMs;
    private final long decayMs;
    /** The triangle's peak density, share per ms. */
    private final double peak;
    /** Installs follow the devices' use; this is the interactive shape's integral over the install window. */
    private final double installWeight;

    UpdateWave(long onset, double share, long rampMs, long decayMs) {
        this.onset = onset;
        this.share = share;
        this.rampMs = rampMs;
        this.decayMs = decayMs;
        this.peak = 2 * share / (rampMs + decayMs);
        this.installWeight = activity(onset - INSTALL_WINDOW_MS, onset);
    }

    @Override
    public double bootShare(long from, long to) {
        return forced(to - onset) - forced(from - onset);
    }

    /** Share of the region force-rebooted {@code t} ms after the onset. */
    private double forced(long t) {
        if (t <= 0) {
            return 0;
        }
        if (t <= rampMs) {
            return peak * t * (double) t / (2.0 * rampMs);
        }
        long down = Math.min(t - rampMs, decayMs);
        return peak * rampMs / 2.0 + peak * down - peak * down * (double) down / (2.0 * decayMs);
    }

    @Override
    public double installShare(long from, long to) {
        long a = Math.max(from, onset - INSTALL_WINDOW_MS);
        long b = Math.min(to, onset);
        return b <= a ? 0 : share * activity(a, b) / installWeight;
    }

    @Override
    public Boots boots() {
        return new Boots(RebootReason.UPDATE, UPDATE_ID, 1.0);
    }

    /** The interactive shape integrated over {@code [from, to)}, by the minute (at least one step). */
    private static double activity(long from, long to) {
        long step = Math.min(60_000, to - from);
        double sum = 0;
        for (long t = from; t < to; t += step) {
            long len = Math.min(step, to - t);
            sum += DailyShape.INTERACTIVE.at(t + len / 2) * len;
        }
        return sum;
    }
}
