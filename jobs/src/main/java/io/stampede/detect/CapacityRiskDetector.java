package io.stampede.detect;

import io.stampede.alert.AlertContent;
import io.stampede.alert.AlertType;
import io.stampede.alert.ArmedPoolOutlook;
import io.stampede.alert.CapacityForecast;
import io.stampede.alert.Evidence;
import io.stampede.alert.Forecast;
import io.stampede.alert.Severity;
import io.stampede.config.StampedeConfig;
import io.stampede.event.Timestamps;
import io.stampede.plan.ArmedPoolForecaster;
import io.stampede.plan.DemandForecast;
import java.util.List;

/**
 * CAPACITY_RISK: the demand forecast (baseline, the wave still to come, retry amplification)
 * exceeds the region's safe capacity within the horizon; it says when, and when all healthy
 * capacity would be exceeded too. An armed pool whose update forces its reboot counts before the
 * first device reboots: beyond the horizon its risk is latent (severity INFO: it does not page,
 * but it is there to see, and it opens the incident the wave will join); once the forced reboots
 * are within the horizon they are part of the forecast, and the alert rises to WARNING.
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

    /** Whether only a forced pool beyond the horizon makes the risk. */
    private static boolean latentOnly(ClosedBucket b) {
        return !b.forecast().exceedsSafe() && b.latent() != null && b.latent().crosses();
    }

    @Override
    public Condition judge(SegmentState s, ClosedBucket b) {
        DemandForecast f = b.forecast();
        ArmedPoolForecaster.Outlook latent = b.latent();
        boolean hot = f.exceedsSafe() || latent != null && latent.crosses();
        double peak = Math.max(f.peak(), latent == null ? 0 : latent.peakDemand());
        boolean calm = peak < rule.clearBelow() * f.safeCapacity();
        return new Condition(peak / Math.max(1e-9, f.safeCapacity()), hot, calm, hot,
                eta(b) <= rule.urgentWithin().toMillis() ? b.millis() : HOLD_BUCKETS * b.millis(), rule.clearAfter().toMillis());
    }

    @Override
    public Finding report(SegmentState s, ClosedBucket b, Condition c, Step step) {
        DemandForecast f = b.forecast();
        long bucketMs = b.millis();
        boolean hot = c.hot();
        long eta = eta(b);
        boolean saturates = f.crossHealthy() >= 0;
        ArmedPoolForecaster.Outlook latent = b.latent();
        // Only a forced pool beyond the horizon: the crossing and the peak are the outlook's.
        boolean latentOnly = latentOnly(b);
        long crossesAt = latentOnly ? latent.crossesAt() : f.exceedsSafe() ? f.timeOf(f.crossSafe()) : -1;
        if (latentOnly) {
            eta = Math.max(0, crossesAt - b.end());
        }
        double peak = latentOnly ? latent.peakDemand() : f.peak();
        long peakAt = latentOnly ? latent.peakAt() : f.timeOf(f.peakIndex());
        // Critical: all healthy capacity is forecast to be exceeded soon, and demand is already close
        // to safe capacity (a forecast alone, far from the present, stays a warning).
        Severity severity = latentOnly ? Severity.INFO
                : saturates && f.crossHealthy() * bucketMs <= rule.criticalWithin().toMillis()
                && f.currentDemand() >= rule.criticalDemandShare() * f.safeCapacity() ? Severity.CRITICAL
                : Severity.WARNING;
        CapacityForecast forecast = new CapacityForecast(f.horizonSeconds(),
                hot && crossesAt >= 0 ? (int) (eta / 1000) : null,
                hot && crossesAt >= 0 ? Timestamps.format(crossesAt) : null,
                saturates ? Timestamps.format(f.timeOf(f.crossHealthy())) : null, Texts.round(f.currentDemand()),
                Texts.round(peak), Timestamps.format(peakAt), Texts.round(f.safeCapacity()),
                Texts.round(f.healthyCapacity()), Texts.round(Math.max(0, peak - f.safeCapacity())), s.armedTotal(),
                Math.round(f.remainingWaveBoots()), Texts.round(f.remainingWaveLogins()), Texts.round(f.autoLoginShare()),
                Texts.round(f.meanDelayMs() / 1000), Texts.round(f.amplification()), armedPool(latent));
        String summary;
        String forced = latent == null ? "" : String.format("; %,d devices armed with %s are forced to reboot from %s",
                latent.pool().devices(), latent.pool().updateId(), Timestamps.format(latent.pool().rebootBy()));
        if (step.resolved()) {
            summary = String.format("%s: capacity risk over, forecast peak %s/s stays under safe capacity %s/s", s.segment,
                    Texts.rate(f.peak()), Texts.rate(f.safeCapacity()));
        } else if (hot && eta == 0 && f.currentDemand() > f.safeCapacity()) {
            summary = String.format("%s: capacity risk, demand %s/s is above safe capacity %s/s now, forecast peak %s/s%s",
                    s.segment, Texts.rate(f.currentDemand()), Texts.rate(f.safeCapacity()), Texts.rate(f.peak()),
                    saturates ? " exceeds all healthy capacity " + Texts.rate(f.healthyCapacity()) + "/s" : "");
        } else if (latentOnly) {
            ArmedPoolForecaster.Pool p = latent.pool();
            summary = String.format("%s: latent capacity risk, %,d devices armed with %s are forced to reboot from %s "
                            + "(in %s); rebooting within %s (%s) they would bring demand to %s/s at %s, above safe "
                            + "capacity %s/s", s.segment, p.devices(), p.updateId(), Timestamps.format(p.rebootBy()),
                    Texts.duration(Math.max(0, p.rebootBy() - b.end())), Texts.duration(p.windowMs()),
                    p.windowBasis().equals("learned") ? "as this region's forced waves did" : "assumed",
                    Texts.rate(latent.peakDemand()), Timestamps.format(latent.peakAt()), Texts.rate(f.safeCapacity()));
        } else if (hot) {
            summary = String.format("%s: capacity risk, forecast demand %s/s exceeds safe capacity %s/s in %s (at %s)%s%s",
                    s.segment, Texts.rate(f.peak()), Texts.rate(f.safeCapacity()), Texts.duration(eta),
                    Timestamps.format(f.timeOf(f.crossSafe())),
                    saturates ? "; all healthy capacity " + Texts.rate(f.healthyCapacity()) + "/s in "
                            + Texts.duration(f.crossHealthy() * bucketMs) : "",
                    s.armedBootRate.level() * 10 < latentBootRate(latent) ? forced : "");
        } else {
            summary = String.format("%s: capacity risk easing, forecast peak %s/s against safe capacity %s/s", s.segment,
                    Texts.rate(f.peak()), Texts.rate(f.safeCapacity()));
        }
        return new Finding(severity, new AlertContent(summary,
                new Evidence(Texts.round(peak), Texts.round(f.safeCapacity()), Texts.round(c.score()),
                        "forecast peak logins/s", b.window()), List.of(), Forecast.of(forecast), null));
    }

    /** The pool's mean forced boot rate over its window (boots per second), or 0. */
    private static double latentBootRate(ArmedPoolForecaster.Outlook latent) {
        return latent == null ? 0 : latent.pool().devices() / (latent.pool().windowMs() / 1000.0);
    }

    private static ArmedPoolOutlook armedPool(ArmedPoolForecaster.Outlook latent) {
        if (latent == null) {
            return null;
        }
        ArmedPoolForecaster.Pool p = latent.pool();
        return new ArmedPoolOutlook(p.updateId(), p.devices(), Timestamps.format(p.rebootBy()),
                (int) (p.windowMs() / 1000), p.windowBasis(), Texts.round(latent.peakDemand()),
                Timestamps.format(latent.peakAt()), latent.crosses() ? Timestamps.format(latent.crossesAt()) : null);
    }
}
