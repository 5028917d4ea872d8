package io.stampede.plan;

/**
 * Login demand (attempts per second at the front door) forecast for a region, one value per step
 * from {@code now}, and what it means against the region's capacity.
 *
 * @param demand forecast attempts per second in each step
 * @param crossSafe first step whose demand exceeds safe capacity, or -1
 * @param crossHealthy first step whose demand exceeds healthy capacity, or -1
 * @param remainingWaveLogins automatic logins the wave still has to bring within the horizon
 */
public record DemandForecast(
        long now,
        long stepMs,
        double[] demand,
        double currentDemand,
        double safeCapacity,
        double healthyCapacity,
        int crossSafe,
        int crossHealthy,
        int peakIndex,
        double peak,
        double autoLoginShare,
        double meanDelayMs,
        double amplification,
        double remainingWaveLogins,
        double remainingWaveBoots) {

    public boolean exceedsSafe() {
        return crossSafe >= 0;
    }

    public long timeOf(int step) {
        return now + step * stepMs;
    }

    public int horizonSeconds() {
        return (int) (demand.length * stepMs / 1000);
    }

    /** Demand at {@code aheadMs} from now (the step that contains it, the last step beyond the horizon). */
    public double demandAt(long aheadMs) {
        int i = (int) Math.min(demand.length - 1, Math.max(0, aheadMs / stepMs));
        return demand[i];
    }
}
