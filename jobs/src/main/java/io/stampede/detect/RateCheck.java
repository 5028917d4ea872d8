package io.stampede.detect;

import io.stampede.config.StampedeConfig;

/**
 * The rule shared by the detectors that compare a rate with its baseline (REBOOT_WAVE,
 * LOGIN_SURGE): hot when the rate is far above the baseline in standard scores, in ratio and in
 * absolute terms; calm once it is back under the clearing ratio.
 */
final class RateCheck {

    /**
     * A rate this many times past both the firing score and the minimum rate fires after one
     * bucket instead of two: a steep rise is news at once, a marginal one must hold.
     */
    static final double STEEP = 2;

    private RateCheck() {}

    static Detector.Condition of(StampedeConfig.RateRule rule, RateBaseline baseline, RateBaseline.Params params, double rate,
            double expected, long bucketMs) {
        double z = baseline.score(rate, expected, params);
        boolean hot = baseline.isWarm(params) && z >= rule.fireScore() && rate >= rule.fireRatio() * expected
                && rate >= rule.minPerSec();
        boolean steep = hot && z >= STEEP * rule.fireScore() && rate >= STEEP * rule.minPerSec();
        boolean calm = rate < Math.max(rule.clearRatio() * expected, rule.minPerSec());
        return new Detector.Condition(z, hot, calm, !calm, steep ? bucketMs : Detector.HOLD_BUCKETS * bucketMs, rule.clearAfter().toMillis());
    }
}
