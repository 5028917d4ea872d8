package io.stampede.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ground truth of a simulated run, per region and second: what clients asked of the auth tier,
 * what the admission layer let through, what the tier served and failed, and its capacity. This is
 * what the demo's side-by-side comparison is computed from; Stampede itself never sees it.
 */
public final class SimResult {

    /** One region's seconds. */
    public static final class RegionSeries {
        public final String region;
        public final double[] attempts;
        public final double[] firstAttempts;
        public final double[] admitted;
        public final double[] served;
        public final double[] failed;
        public final double[] throttled;
        public final double[] capacity;
        public final double[] boots;
        /** Nodes serving; the tier starts each run with the scenario's nodes. */
        public final int[] nodes;

        RegionSeries(String region, int seconds) {
            this.region = region;
            attempts = new double[seconds];
            firstAttempts = new double[seconds];
            admitted = new double[seconds];
            served = new double[seconds];
            failed = new double[seconds];
            throttled = new double[seconds];
            capacity = new double[seconds];
            boots = new double[seconds];
            nodes = new int[seconds];
        }

        /** The most nodes that served at once. */
        public int peakNodes() {
            int peak = 0;
            for (int n : nodes) {
                peak = Math.max(peak, n);
            }
            return peak;
        }

        /** The first second in which more nodes served than at the start, or -1 if none did. */
        public int firstSecondWithAddedNodes() {
            for (int i = 1; i < nodes.length; i++) {
                if (nodes[i] > nodes[0]) {
                    return i;
                }
            }
            return -1;
        }
    }

    public final long startMillis;
    public final int seconds;
    public final boolean obeyedDirectives;
    public final Map<String, RegionSeries> regions = new LinkedHashMap<>();
    public long events;
    public long deferredLogins;
    public long deferredLoginsServed;
    public double deferralSecondsSum;
    public long abandonedLogins;
    public long directivesApplied;

    SimResult(long startMillis, int seconds, List<String> regionNames, boolean obeyedDirectives) {
        this.startMillis = startMillis;
        this.seconds = seconds;
        this.obeyedDirectives = obeyedDirectives;
        for (String r : regionNames) {
            regions.put(r, new RegionSeries(r, seconds));
        }
    }

    /** The outcome figures of a run, as the demo reports them. */
    public record Outcome(
            int overloadedMinutes,
            double peakUtilization,
            long failedLogins,
            long deferredLogins,
            double meanDeferralSeconds,
            long abandonedLogins) {}

    /**
     * Minutes in which a region's tier was asked to serve more than its capacity (admitted attempts
     * above capacity over the minute, summed over regions), the highest per-minute utilisation,
     * failed attempts, logins deferred at least once and their mean extra wait until served.
     */
    public Outcome outcome() {
        int overloaded = 0;
        double peak = 0;
        long failed = 0;
        for (RegionSeries s : regions.values()) {
            for (int m = 0; m * 60 < seconds; m++) {
                double admitted = 0;
                double capacity = 0;
                for (int i = m * 60; i < Math.min(seconds, (m + 1) * 60); i++) {
                    admitted += s.admitted[i];
                    capacity += s.capacity[i];
                }
                if (capacity > 0) {
                    double u = admitted / capacity;
                    peak = Math.max(peak, u);
                    if (u > 1.0) {
                        overloaded++;
                    }
                }
            }
            for (double f : s.failed) {
                failed += (long) f;
            }
        }
        double meanDeferral = deferredLoginsServed == 0 ? 0 : deferralSecondsSum / deferredLoginsServed;
        return new Outcome(overloaded, Math.round(peak * 1000) / 1000.0, failed, deferredLogins,
                Math.round(meanDeferral * 10) / 10.0, abandonedLogins);
    }
}
