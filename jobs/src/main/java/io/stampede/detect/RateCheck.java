package io.stampede.detect;

import io.stampede.alert.Severity;
import io.stampede.config.StampedeConfig;

/**
 * The rule shared by the detectors that compare a rate with its baseline (REBOOT_WAVE,
 * LOGIN_SURGE), decided by evidence: each bucket adds how improbable it is for the series (in
 * decades, beyond the allowance) to a running sum that an ordinary bucket drains (a CUSUM). The
 * rule is hot once that sum reaches the firing evidence while the rate is a clear multiple of the
 * baseline; calm once the rate is back under the clearing ratio.
 *
 * <p>No single bucket fires alone: one adds at most half the firing evidence (plus the
 * allowance), so a burst of one bucket, however high, is not a page, while two improbable buckets
 * in a row are. Evidence is relative to the series itself, so a segment of a few hundred devices
 * and one of millions are judged alike.
 */
final class RateCheck {

    /** A rate within this multiple of what recurs at this time of day or week adds no evidence. */
    static final double RECURRING_MARGIN = 1.25;
    /** A rise that doubled the rate within this long is fast. */
    static final long FAST_RISE_MS = 60_000;

    private RateCheck() {}

    static Detector.Condition of(StampedeConfig.RateRule rule, RateBaseline baseline, RateBaseline.Params params,
            long bucketStart, double rate, double expected, long bucketMs) {
        double z = baseline.score(rate, expected, params);
        boolean hot = accumulate(rule, baseline, params, bucketStart, rate, expected)
                && rate > rule.minPerSec();
        boolean calm = rate < Math.max(rule.clearRatio() * expected, rule.minPerSec());
        return new Detector.Condition(z, hot, calm, !calm, bucketMs, rule.clearAfter().toMillis());
    }

    /**
     * Adds the bucket's improbability to the series' evidence; true when the evidence is enough
     * and the rate a clear multiple of its baseline.
     */
    static boolean accumulate(StampedeConfig.RateRule rule, RateBaseline baseline, RateBaseline.Params params,
            long bucketStart, double rate, double expected) {
        if (!baseline.isWarm(params)) {
            return false;
        }
        double most = rule.fireEvidence() / 2 + rule.allowance();
        double decades = Math.min(most, baseline.improbability(bucketStart, rate, expected, RECURRING_MARGIN, params));
        // Bounded, so that the evidence of a long episode drains within a few buckets once it is over.
        baseline.evidence = Math.min(2 * rule.fireEvidence(),
                Math.max(0, baseline.evidence + decades - rule.allowance()));
        return baseline.evidence >= rule.fireEvidence() && rate >= rule.fireRatio() * expected;
    }

    /**
     * How far and how fast a rate episode went: its highest multiple of normal, and whether it
     * ever doubled within a minute while above the firing ratio. Kept for the episode, so its
     * severity does not drop back while it lasts.
     */
    static final class Episode {
        double peakRatio;
        boolean fast;

        void reset() {
            peakRatio = 0;
            fast = false;
        }

        /** Takes in one bucket of the episode; the baseline has learned it already. */
        Severity update(StampedeConfig.RateRule rule, RateBaseline baseline, double rate, double expected,
                long bucketMs, double floor) {
            double ratio = rate / Math.max(expected, floor);
            peakRatio = Math.max(peakRatio, ratio);
            int back = (int) Math.max(1, Math.round(FAST_RISE_MS / (double) bucketMs));
            double before = baseline.learnedRate(back);
            if (ratio >= rule.fireRatio() && !Double.isNaN(before) && rate >= 2 * Math.max(before, floor)) {
                fast = true;
            }
            return peakRatio >= rule.criticalRatio() || fast ? Severity.CRITICAL : Severity.WARNING;
        }
    }
}
