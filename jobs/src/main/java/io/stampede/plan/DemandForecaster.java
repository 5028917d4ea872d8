package io.stampede.plan;

import java.util.function.LongToDoubleFunction;

/**
 * Forecasts a region's login demand over the horizon as
 * <pre>
 *   (baseline first attempts + automatic logins the reboot wave still has to bring) × retry amplification
 * </pre>
 * The wave's logins come from the devices still to boot (the armed pool, booting at the current
 * armed-boot rate and its trend until the pool is empty, or as its update forces them when that
 * brings more), from excess boots not caused by an
 * update (assumed to fade within minutes), and from devices that booted recently but have not
 * logged in yet; each boot turns into an automatic login with the learned share, spread over the
 * learned boot-to-login delay.
 */
public final class DemandForecaster {

    /** Excess boots that no armed pool explains fade with this time constant. */
    static final double UNEXPLAINED_BOOTS_FADE_MS = 120_000;
    /**
     * A ramp is followed with a damped trend: the rate approaches current + slope × this, so a
     * wave that is rising is expected to keep rising for a few minutes, not forever.
     */
    static final double RAMP_DAMPING_MS = 150_000;

    private DemandForecaster() {}

    /**
     * Everything the forecast is computed from. Rates are per second.
     *
     * @param forcedBoots reboots a forced update brings in each step ({@link ArmedPoolForecaster#bootsPerStep}),
     *     or null: the armed pool's boots are then only those its current rate and trend say
     */
    public record Inputs(
            long now,
            long stepMs,
            int steps,
            LongToDoubleFunction baselineFirstAttempts,
            double currentDemand,
            double armedRemaining,
            double armedBootRate,
            double armedBootSlope,
            double unexplainedBootRate,
            double[] recentExcessBoots,
            double autoLoginShare,
            double[] delayPerStep,
            double meanDelayMs,
            double amplification,
            double safeCapacity,
            double healthyCapacity,
            double[] forcedBoots) {}

    public static DemandForecast forecast(Inputs in) {
        int n = in.steps();
        double dt = in.stepMs() / 1000.0;
        double[] pmf = in.delayPerStep();
        double[] boots = new double[n];
        double remaining = Math.max(0, in.armedRemaining());
        double futureBoots = 0;
        for (int j = 0; j < n; j++) {
            double ahead = RAMP_DAMPING_MS * (1 - Math.exp(-(j + 0.5) * in.stepMs() / RAMP_DAMPING_MS));
            double armed = Math.max(0, in.armedBootRate() + in.armedBootSlope() * ahead / 1000.0);
            double fromPool = armed * dt;
            if (in.forcedBoots() != null) {
                // The reboots the update forces come whether or not the wave has begun.
                fromPool = Math.max(fromPool, in.forcedBoots()[j]);
            }
            fromPool = Math.min(fromPool, remaining);
            remaining -= fromPool;
            double unexplained = in.unexplainedBootRate() * Math.exp(-(j + 0.5) * in.stepMs() / UNEXPLAINED_BOOTS_FADE_MS);
            boots[j] = fromPool / dt + unexplained;
            futureBoots += boots[j] * dt;
        }
        double[] waveLogins = new double[n];
        for (int j = 0; j < n; j++) {
            if (boots[j] == 0) {
                continue;
            }
            for (int d = 0; d < pmf.length && j + d < n; d++) {
                waveLogins[j + d] += in.autoLoginShare() * boots[j] * pmf[d];
            }
        }
        // Devices that booted in the last buckets and whose logins are still to come.
        double[] past = in.recentExcessBoots();
        for (int age = 1; age <= past.length; age++) {
            double count = past[past.length - age];
            if (count <= 0) {
                continue;
            }
            for (int d = age; d < pmf.length && d - age < n; d++) {
                waveLogins[d - age] += in.autoLoginShare() * count * pmf[d] / dt;
            }
        }
        double[] demand = new double[n];
        double remainingLogins = 0;
        int crossSafe = -1;
        int crossHealthy = -1;
        int peakIndex = 0;
        double peak = -1;
        for (int k = 0; k < n; k++) {
            double base = in.baselineFirstAttempts().applyAsDouble((long) ((k + 0.5) * in.stepMs()));
            double d = (base + waveLogins[k]) * in.amplification();
            if (k * in.stepMs() < 30_000) {
                d = Math.max(d, in.currentDemand());
            }
            demand[k] = d;
            remainingLogins += waveLogins[k] * dt;
            if (crossSafe < 0 && in.safeCapacity() > 0 && d > in.safeCapacity()) {
                crossSafe = k;
            }
            if (crossHealthy < 0 && in.healthyCapacity() > 0 && d > in.healthyCapacity()) {
                crossHealthy = k;
            }
            if (d > peak) {
                peak = d;
                peakIndex = k;
            }
        }
        return new DemandForecast(in.now(), in.stepMs(), demand, in.currentDemand(), in.safeCapacity(),
                in.healthyCapacity(), crossSafe, crossHealthy, peakIndex, peak, in.autoLoginShare(), in.meanDelayMs(),
                in.amplification(), remainingLogins, futureBoots);
    }
}
