package io.stampede.detect;

import io.stampede.admission.AttemptClass;
import io.stampede.alert.AlertContent;
import io.stampede.alert.AlertType;
import io.stampede.alert.Evidence;
import io.stampede.alert.Severity;
import io.stampede.config.StampedeConfig;
import java.util.List;

/**
 * LOGIN_SURGE: first login attempts far above a baseline that knows the segment's level, trend and
 * daily shape (a slow morning ramp is not a surge, a steep rise is). Critical when the rate reached
 * the critical multiple of normal or doubled within a minute, or once all attempts, retries
 * included, exceed the segment's safe capacity.
 */
final class LoginSurgeDetector implements Detector {

    private final StampedeConfig.RateRule rule;
    /**
     * The rule while a reboot wave is active in the segment: its automatic logins are expected to
     * follow, so a bucket counts as evidence with the wave's allowance rather than the surge's.
     */
    private final StampedeConfig.RateRule afterWave;
    private final RateBaseline.Params baseline;

    LoginSurgeDetector(StampedeConfig config, RateBaseline.Params baseline) {
        this.rule = config.detection().loginSurge();
        double allowance = Math.min(rule.allowance(), config.detection().rebootWave().allowance());
        this.afterWave = new StampedeConfig.RateRule(rule.fireEvidence(), allowance, rule.fireRatio(), rule.minPerSec(),
                rule.clearRatio(), rule.clearAfter(), rule.criticalRatio(), rule.attributionMinShare(),
                rule.attributionMinLift());
        this.baseline = baseline;
    }

    @Override
    public AlertType type() {
        return AlertType.LOGIN_SURGE;
    }

    @Override
    public Condition judge(SegmentState s, ClosedBucket b) {
        return RateCheck.of(s.wave.isActive() ? afterWave : rule, s.firstAttempts, baseline, b.start(), b.firstRate(),
                b.expectedFirst(), b.millis());
    }

    @Override
    public void learn(SegmentState s, ClosedBucket b, Step step) {
        s.firstAttempts.learn(b.start(), b.firstRate(), step.disturbed(), baseline);
    }

    @Override
    public Finding report(SegmentState s, ClosedBucket b, Condition c, Step step) {
        double rate = b.firstRate();
        double expected = b.expectedFirst();
        AttemptClass dominant = AttemptClass.INTERACTIVE;
        for (AttemptClass cls : new AttemptClass[] {AttemptClass.TOKEN_REFRESH, AttemptClass.AUTO}) {
            if (b.stats().logins(cls) > b.stats().logins(dominant)) {
                dominant = cls;
            }
        }
        StringBuilder summary = new StringBuilder(s.segment).append(": ");
        NewNormal newNormal = NewNormal.of(s.firstAttempts, s.surge);
        if (step.resolved() && newNormal != null) {
            summary.append("login surge over: ").append(Texts.rate(rate)).append(" first attempts/s ")
                    .append(newNormal.describe());
        } else if (step.resolved()) {
            summary.append("login surge over, first attempts back to ").append(Texts.rate(rate)).append("/s (")
                    .append(Texts.rate(expected)).append("/s expected)");
        } else {
            summary.append("login surge, ").append(Texts.rate(rate)).append(" first attempts/s vs ")
                    .append(Texts.rate(expected)).append("/s expected (").append(Texts.ratio(rate / Math.max(expected, 0.1)))
                    .append("), mostly ").append(dominant.name());
            if (s.wave.isActive()) {
                summary.append("; follows the reboot wave");
            }
        }
        if (step.fired()) {
            s.surgeEpisode.reset();
        }
        Severity severity = s.surgeEpisode.update(rule, s.firstAttempts, rate, expected, b.millis(), 1 / b.seconds());
        if (b.safeCapacity() > 0 && b.attemptRate() > b.safeCapacity()) {
            severity = Severity.CRITICAL;
        }
        return new Finding(severity, new AlertContent(summary.toString(),
                new Evidence(Texts.round(rate), Texts.round(expected), Texts.round(c.score()), "first login attempts/s",
                        b.window()), List.of(), null, dominant.name()));
    }
}
