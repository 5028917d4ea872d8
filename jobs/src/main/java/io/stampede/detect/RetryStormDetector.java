package io.stampede.detect;

import io.stampede.admission.AttemptClass;
import io.stampede.alert.AlertContent;
import io.stampede.alert.AlertType;
import io.stampede.alert.Evidence;
import io.stampede.alert.Severity;
import io.stampede.config.StampedeConfig;
import java.util.List;

/**
 * RETRY_STORM: many attempts fail and the share of retries rises well above its normal level:
 * the tier is feeding on itself.
 */
final class RetryStormDetector implements Detector {

    /** The normal share of retries among attempts, learned outside storms; NaN until attempts were seen. */
    static final class State {
        double normalShare = Double.NaN;
    }

    /** Calm once failures or the retry rise fall under this fraction of their firing thresholds; between, the alert holds. */
    static final double CLEAR_FRACTION = 0.5;
    /** Floor of the retry share's variance in the score, so a segment that never retries does not score infinitely. */
    private static final double MIN_SHARE_VARIANCE = 0.01;

    private final StampedeConfig.RetryStorm rule;
    private final RateBaseline.Params baseline;

    RetryStormDetector(StampedeConfig config, RateBaseline.Params baseline) {
        this.rule = config.detection().retryStorm();
        this.baseline = baseline;
    }

    @Override
    public AlertType type() {
        return AlertType.RETRY_STORM;
    }

    private static double retryShare(BucketStats b) {
        long attempts = b.totalLogins();
        return attempts == 0 ? 0 : b.logins(AttemptClass.RETRY) / (double) attempts;
    }

    private static double failureShare(BucketStats b) {
        long served = b.totalLogins() - b.throttledLogins();
        return served == 0 ? 0 : b.failedLogins() / (double) served;
    }

    private static double normal(SegmentState s) {
        return Double.isNaN(s.retries.normalShare) ? 0 : s.retries.normalShare;
    }

    @Override
    public Condition judge(SegmentState s, ClosedBucket b) {
        long attempts = b.stats().totalLogins();
        double retryShare = retryShare(b.stats());
        double failShare = failureShare(b.stats());
        State r = s.retries;
        if (Double.isNaN(r.normalShare)) {
            if (attempts > 0) {
                r.normalShare = retryShare;
            }
        } else if (!s.retryStorm.isDisturbed() && attempts > 0) {
            r.normalShare += baseline.alpha() * (retryShare - r.normalShare);
        }
        double normal = normal(s);
        boolean enough = b.attemptRate() >= rule.minAttemptsPerSec();
        boolean hot = s.firstAttempts.isWarm(baseline) && enough && failShare >= rule.fireFailureShare()
                && retryShare >= normal + rule.fireRetryShareRise();
        boolean calm = !enough || failShare < CLEAR_FRACTION * rule.fireFailureShare()
                || retryShare < normal + CLEAR_FRACTION * rule.fireRetryShareRise();
        double sd = Math.sqrt(Math.max(normal * (1 - normal), MIN_SHARE_VARIANCE) / Math.max(1, attempts));
        return new Condition((retryShare - normal) / sd, hot, calm, !calm, HOLD_BUCKETS * b.millis(),
                rule.clearAfter().toMillis());
    }

    @Override
    public Finding report(SegmentState s, ClosedBucket b, Condition c, Step step) {
        double retryShare = retryShare(b.stats());
        double failShare = failureShare(b.stats());
        double normal = normal(s);
        String summary = step.resolved()
                ? String.format("%s: retry storm over, retries %s and failures %s of attempts", s.segment,
                        Texts.percent(retryShare), Texts.percent(failShare))
                : String.format("%s: retry storm, %s of %s attempts/s are retries (normally %s) and %s fail; the tier is "
                        + "feeding on itself", s.segment, Texts.percent(retryShare), Texts.rate(b.attemptRate()),
                        Texts.percent(normal), Texts.percent(failShare));
        Severity severity = failShare >= rule.criticalFailureShare() ? Severity.CRITICAL : Severity.WARNING;
        return new Finding(severity, new AlertContent(summary,
                new Evidence(Texts.round(retryShare), Texts.round(normal), Texts.round(c.score()),
                        "share of attempts that are retries", b.window()), List.of(), null, null));
    }
}
