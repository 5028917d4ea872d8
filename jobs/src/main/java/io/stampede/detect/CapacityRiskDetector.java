package io.stampede.detect;

import io.stampede.alert.AlertContent;
import io.stampede.alert.AlertType;
import io.stampede.alert.CapacityForecast;
import io.stampede.alert.Evidence;
import io.stampede.alert.Forecast;
import io.stampede.alert.Severity;
import io.stampede.config.StampedeConfig;
import io.stampede.event.Timestamps;
import io.stampede.plan.DemandForecast;
import java.util.List;

/**
 * CAPACITY_RISK: the demand forecast (baseline, the wave still to come, retry amplification)
 * exceeds the region's safe capacity within the horizon; it says when, and when all healthy
 * capacity would be exceeded too.
 */
final class CapacityRiskDetector implements Detector {

    private final StampedeConfig.Forecast rule;

    CapacityRiskDetector(StampedeConfig config) {
        this.rule = config.forecast();
    }

    @Override
    public AlertType type() {
        return AlertType.CAPACITY_RISK;
    }

    /** Milliseconds until forecast demand exceeds safe capacity, or MAX if it does not. */
    private static long eta(ClosedBucket b) {
        DemandForecast f = b.forecast();
        return f.exceedsSafe() ? f.crossSafe() * b.millis() : Long.MAX_VALUE;
    }

    @Override
    public Condition judge(SegmentState s, ClosedBucket b) {
        DemandForecast f = b.forecast();
        boolean hot = f.exceedsSafe();
        boolean calm = f.peak() < rule.clearBelow() * f.safeCapacity();
        return new Condition(f.peak() / Math.max(1e-9, f.safeCapacity()), hot, calm, hot,
                eta(b) <= rule.urgentWithin().toMillis() ? b.millis() : HOLD_BUCKETS * b.millis(), rule.clearAfter().toMillis());
    }

    @Override
    public Finding report(SegmentState s, ClosedBucket b, Condition c, Step step) {
        DemandForecast f = b.forecast();
        long bucketMs = b.millis();
        boolean hot = c.hot();
        long eta = eta(b);
        boolean saturates = f.crossHealthy() >= 0;
        // Critical: all healthy capacity is forecast to be exceeded soon, and demand is already close
        // to safe capacity (a forecast alone, far from the present, stays a warning).
        Severity severity = saturates && f.crossHealthy() * bucketMs <= rule.criticalWithin().toMillis()
                && f.currentDemand() >= rule.criticalDemandShare() * f.safeCapacity() ? Severity.CRITICAL
                : Severity.WARNING;
        CapacityForecast forecast = new CapacityForecast(f.horizonSeconds(), hot ? (int) (eta / 1000) : null,
                hot ? Timestamps.format(f.timeOf(f.crossSafe())) : null,
                saturates ? Timestamps.format(f.timeOf(f.crossHealthy())) : null, Texts.round(f.currentDemand()),
                Texts.round(f.peak()), Timestamps.format(f.timeOf(f.peakIndex())), Texts.round(f.safeCapacity()),
                Texts.round(f.healthyCapacity()), Texts.round(Math.max(0, f.peak() - f.safeCapacity())), s.armedTotal(),
                Math.round(f.remainingWaveBoots()), Texts.round(f.remainingWaveLogins()), Texts.round(f.autoLoginShare()),
                Texts.round(f.meanDelayMs() / 1000), Texts.round(f.amplification()));
        String summary;
        if (step.resolved()) {
            summary = String.format("%s: capacity risk over, forecast peak %s/s stays under safe capacity %s/s", s.segment,
                    Texts.rate(f.peak()), Texts.rate(f.safeCapacity()));
        } else if (hot && eta == 0 && f.currentDemand() > f.safeCapacity()) {
            summary = String.format("%s: capacity risk, demand %s/s is above safe capacity %s/s now, forecast peak %s/s%s",
                    s.segment, Texts.rate(f.currentDemand()), Texts.rate(f.safeCapacity()), Texts.rate(f.peak()),
                    saturates ? " exceeds all healthy capacity " + Texts.rate(f.healthyCapacity()) + "/s" : "");
        } else if (hot) {
            summary = String.format("%s: capacity risk, forecast demand %s/s exceeds safe capacity %s/s in %s (at %s)%s",
                    s.segment, Texts.rate(f.peak()), Texts.rate(f.safeCapacity()), Texts.duration(eta),
                    Timestamps.format(f.timeOf(f.crossSafe())),
                    saturates ? "; all healthy capacity " + Texts.rate(f.healthyCapacity()) + "/s in "
                            + Texts.duration(f.crossHealthy() * bucketMs) : "");
        } else {
            summary = String.format("%s: capacity risk easing, forecast peak %s/s against safe capacity %s/s", s.segment,
                    Texts.rate(f.peak()), Texts.rate(f.safeCapacity()));
        }
        return new Finding(severity, new AlertContent(summary,
                new Evidence(Texts.round(f.peak()), Texts.round(f.safeCapacity()), Texts.round(c.score()),
                        "forecast peak logins/s", b.window()), List.of(), Forecast.of(forecast), null));
    }
}
