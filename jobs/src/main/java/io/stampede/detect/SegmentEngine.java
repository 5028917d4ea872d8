package io.stampede.detect;

import io.stampede.admission.AttemptClass;
import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertBook;
import io.stampede.alert.AlertContent;
import io.stampede.alert.AlertType;
import io.stampede.alert.Attribution;
import io.stampede.alert.CapacityForecast;
import io.stampede.alert.Evidence;
import io.stampede.alert.Forecast;
import io.stampede.alert.Severity;
import io.stampede.alert.WaveForecast;
import io.stampede.config.StampedeConfig;
import io.stampede.event.Timestamps;
import io.stampede.plan.DemandForecast;
import io.stampede.plan.DemandForecaster;
import io.stampede.plan.ScalingPlanner;
import io.stampede.plan.ScalingSignal;
import io.stampede.plan.ThrottlePlanner;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The detectors and planners of one segment, evaluated once per closed bucket in event time:
 * REBOOT_WAVE, LOGIN_SURGE, RETRY_STORM and AUTH_DEGRADED, the demand forecast with CAPACITY_RISK,
 * and the throttle directives and scaling signals that follow from it. Pure logic over a
 * {@link SegmentState}; the Flink operator keeps the state and calls {@link #onBucket}.
 */
public final class SegmentEngine implements Serializable {

    private final StampedeConfig config;
    private final long bucketMs;
    private final double bucketSeconds;
    private final RateBaseline.Params baseline;
    private final AlertBook.Rules rules;
    private final ThrottlePlanner throttlePlanner;
    private final ScalingPlanner scalingPlanner;
    private final double armedAlpha;
    private final double armedBeta;

    public SegmentEngine(StampedeConfig config) {
        this.config = config;
        StampedeConfig.Detection d = config.detection();
        this.bucketMs = d.bucket().toMillis();
        this.bucketSeconds = bucketMs / 1000.0;
        this.baseline = RateBaseline.Params.of(bucketMs, d.levelTimeConstant().toMillis(),
                d.trendTimeConstant().toMillis(), d.warmup().toMillis());
        this.rules = new AlertBook.Rules(d.incidentLinkWindow().toMillis(), d.updateInterval().toMillis(),
                config.alerts().runbookBaseUrl());
        StampedeConfig.Throttle t = config.throttle();
        this.throttlePlanner = new ThrottlePlanner(new ThrottlePlanner.Settings(t.enabled(), t.ttl().toMillis(),
                t.renewEvery().toMillis(), t.controlLatency().toMillis(), t.releaseStep(), t.releaseInterval().toMillis(),
                (int) t.minRetryAfter().toSeconds(), (int) t.maxRetryAfter().toSeconds()));
        StampedeConfig.Scaling s = config.scaling();
        this.scalingPlanner = new ScalingPlanner(new ScalingPlanner.Settings(s.enabled(), s.nodeStartup().toMillis(),
                s.scaleDownAfter().toMillis(), s.emitEvery().toMillis(), config.capacity().safeUtilization()));
        this.armedAlpha = 1 - Math.exp(-bucketMs / 30_000.0);
        this.armedBeta = 1 - Math.exp(-bucketMs / 60_000.0);
    }

    public long bucketMs() {
        return bucketMs;
    }

    /** Evaluates one closed bucket of the segment. Buckets must come in time order. */
    public void onBucket(SegmentState s, BucketStats b, SegmentOutput out) {
        long start = b.bucketStart;
        long end = start + bucketMs;
        boolean region = !Segments.isFleet(s.segment);
        s.lastBucket = start;

        s.census.apply(b.devicesDelta, b.censusDelta);
        for (Map.Entry<String, Long> e : b.armedDelta.entrySet()) {
            long v = s.armed.getOrDefault(e.getKey(), 0L) + e.getValue();
            if (v <= 0) {
                s.armed.remove(e.getKey());
            } else {
                s.armed.put(e.getKey(), v);
            }
        }
        for (NodeSample n : b.nodes) {
            s.nodes.report(n);
        }
        s.bootLogin.learn(b.boots, b.autoLoginsAfterBoot, b.bootToLoginBins);

        double bootRate = b.boots / bucketSeconds;
        double firstRate = b.firstAttempts() / bucketSeconds;
        double attemptRate = b.totalLogins() / bucketSeconds;
        for (AttemptClass c : AttemptClass.values()) {
            s.classRates[c.ordinal()] = 0.5 * s.classRates[c.ordinal()] + 0.5 * b.logins(c) / bucketSeconds;
        }
        if (firstRate > 0) {
            double amp = Math.max(1, Math.min(4, attemptRate / firstRate));
            s.amplification += 0.3 * (amp - s.amplification);
        }

        double expectedBoots = s.boots.expected(start);
        Alert waveAlert = rebootWave(s, b, start, end, bootRate, expectedBoots);
        double expectedFirst = s.firstAttempts.expected(start);
        Alert surgeAlert = loginSurge(s, b, start, end, firstRate, expectedFirst);
        Alert retryAlert = retryStorm(s, b, start, end);
        emit(out, waveAlert);
        emit(out, surgeAlert);
        emit(out, retryAlert);

        NodeHealthBook.Health health = s.nodes.health(end, config.capacity().nodeStaleAfter().toMillis());
        double safe = health.healthyCapacity() * config.capacity().safeUtilization();
        DemandForecast forecast = null;
        if (region && health.knownCapacity() > 0) {
            emit(out, authDegraded(s, start, end, health));
            forecast = forecast(s, end, attemptRate, health);
            emit(out, capacityRisk(s, start, end, forecast, health));
            ThrottleDirective directive = throttlePlanner.plan(s.throttle, s.segment, end, forecast, s.classRates,
                    s.alerts.isFiring(AlertType.CAPACITY_RISK), s.alerts.latestAlertId(AlertType.CAPACITY_RISK),
                    s.alerts.openIncident(end, rules));
            if (directive != null) {
                s.admitPerSec = directive.state() == ThrottleDirective.State.LIFTED ? -1 : directive.admitPerSec();
                out.directive(directive);
            }
            ScalingSignal signal = scalingPlanner.plan(s.scaling, s.segment, end, forecast, health.healthyNodes(),
                    health.perNodeCapacity(), s.alerts.latestAlertId(AlertType.CAPACITY_RISK));
            if (signal != null) {
                out.signal(signal);
            }
        }
        s.alerts.touch(end);

        out.snapshot(new SegmentSnapshot(s.segment, start, bootRate, expectedBoots, b.armedBoots / bucketSeconds,
                firstRate, expectedFirst, attemptRate, b.logins(AttemptClass.RETRY) / bucketSeconds,
                b.failedLogins() / bucketSeconds, b.throttledLogins() / bucketSeconds, health.healthyCapacity(), safe,
                forecast == null ? 0 : forecast.peak(),
                forecast == null || forecast.crossSafe() < 0 ? -1 : (int) (forecast.crossSafe() * bucketSeconds),
                s.admitPerSec, s.armedTotal(), s.census.devices(), b.duplicates));
    }

    private static void emit(SegmentOutput out, Alert alert) {
        if (alert != null) {
            out.alert(alert);
        }
    }

    // ---------------------------------------------------------------- REBOOT_WAVE

    private Alert rebootWave(SegmentState s, BucketStats b, long start, long end, double rate, double expected) {
        StampedeConfig.RateRule rule = config.detection().rebootWave();
        double z = s.boots.score(rate, expected, baseline);
        boolean hot = s.boots.isWarm(baseline) && z >= rule.fireScore() && rate >= rule.fireRatio() * expected
                && rate >= rule.minPerSec();
        boolean veryHot = hot && z >= 2 * rule.fireScore() && rate >= 2 * rule.minPerSec();
        boolean calm = rate < Math.max(rule.clearRatio() * expected, rule.minPerSec());
        boolean wasDisturbed = s.wave.isDisturbed();
        Hysteresis.Transition tr = s.wave.update(start, end, hot, calm, veryHot ? bucketMs : 2 * bucketMs,
                rule.clearAfter().toMillis());

        double excess = Math.max(0, rate - expected) * bucketSeconds;
        System.arraycopy(s.recentExcessBoots, 1, s.recentExcessBoots, 0, s.recentExcessBoots.length - 1);
        s.recentExcessBoots[s.recentExcessBoots.length - 1] = excess;
        double armedRate = b.armedBoots / bucketSeconds;
        s.armedBootRate.update(armedRate, bucketSeconds, armedAlpha, armedBeta);
        double unexplained = Math.max(0, excess / bucketSeconds - armedRate);
        s.unexplainedBootRate += 0.5 * (unexplained - s.unexplainedBootRate);

        if (s.wave.isDisturbed() || tr == Hysteresis.Transition.RESOLVED) {
            s.attribution.addToWave(b);
            s.waveBoots += b.boots;
            s.waveArmedBoots += b.armedBoots;
        } else {
            if (wasDisturbed) {
                s.attribution.reset();
                s.waveBoots = 0;
                s.waveArmedBoots = 0;
            }
            s.attribution.learnNormal(b);
        }
        s.boots.learn(start, rate, s.wave.isDisturbed(), baseline);

        if (tr == Hysteresis.Transition.NONE && !s.wave.isActive()) {
            return null;
        }
        List<Attribution> attribution = s.attribution.attribute(s.census, rule.attributionMinShare(),
                rule.attributionMinLift());
        Forecast forecast = waveForecast(s, attribution);
        if (tr == Hysteresis.Transition.FIRED) {
            s.wavePeakRatio = 0;
        }
        s.wavePeakRatio = Math.max(s.wavePeakRatio, rate / Math.max(expected, rule.minPerSec() / 2));
        Severity severity = s.wavePeakRatio >= 10 ? Severity.CRITICAL : Severity.WARNING;
        String cause = attribution.isEmpty() ? null : Attributes.key(attribution.get(0).attribute(), attribution.get(0).value());
        Evidence evidence = new Evidence(round(rate), round(expected), round(z), "devices booting/s", window(start, end));
        AlertContent content;
        switch (tr) {
            case FIRED -> {
                content = new AlertContent(waveSummary(s, rate, expected, attribution, forecast, false), evidence,
                        attribution, forecast, cause);
                return s.alerts.fire(AlertType.REBOOT_WAVE, s.wave.onset(), end, severity, content, rules);
            }
            case RESOLVED -> {
                content = new AlertContent(waveSummary(s, rate, expected, attribution, forecast, true), evidence,
                        attribution, forecast, cause);
                Alert a = s.alerts.resolve(AlertType.REBOOT_WAVE, s.wave.endedAt(), end, content, rules);
                s.attribution.reset();
                s.waveBoots = 0;
                s.waveArmedBoots = 0;
                return a;
            }
            default -> {
                if (calm) {
                    return null;
                }
                content = new AlertContent(waveSummary(s, rate, expected, attribution, forecast, false), evidence,
                        attribution, forecast, cause);
                return s.alerts.update(AlertType.REBOOT_WAVE, end, severity, content, rules);
            }
        }
    }

    private Forecast waveForecast(SegmentState s, List<Attribution> attribution) {
        String updateId = null;
        for (Attribution a : attribution) {
            if (a.attribute().equals(Attributes.UPDATE_ID)) {
                updateId = a.value();
                break;
            }
        }
        Long armedDevices = null;
        if (updateId != null) {
            armedDevices = s.armed.getOrDefault(updateId, 0L);
        } else if (s.waveBoots > 0 && s.waveArmedBoots >= 0.5 * s.waveBoots) {
            armedDevices = s.armedTotal();
        }
        double share = s.bootLogin.autoLoginShare(config.forecast().defaultAutoLoginShare());
        double delayMs = s.bootLogin.meanDelayMs(config.forecast().defaultBootToLogin().toMillis());
        double pending = pendingLogins(s, share);
        double remainingLogins = (armedDevices == null ? 0 : armedDevices * share) + pending;
        return Forecast.of(new WaveForecast((int) config.forecast().horizon().toSeconds(), updateId, armedDevices,
                s.waveBoots, armedDevices, round(remainingLogins), round(share), round(delayMs / 1000)));
    }

    /** Automatic logins still to come from devices that already booted (their delay has not elapsed yet). */
    private double pendingLogins(SegmentState s, double share) {
        double[] pmf = s.bootLogin.delayDistribution(bucketMs, config.forecast().defaultBootToLogin().toMillis());
        double pending = 0;
        for (int age = 1; age <= s.recentExcessBoots.length; age++) {
            double later = 0;
            for (int d = age; d < pmf.length; d++) {
                later += pmf[d];
            }
            pending += s.recentExcessBoots[s.recentExcessBoots.length - age] * share * later;
        }
        return pending;
    }

    private String waveSummary(SegmentState s, double rate, double expected, List<Attribution> attribution,
            Forecast f, boolean resolved) {
        StringBuilder b = new StringBuilder(s.segment).append(": ");
        if (resolved) {
            b.append("reboot wave over, ").append(Texts.count(s.waveBoots)).append(" devices rebooted");
        } else {
            b.append("reboot wave, ").append(Texts.rate(rate)).append(" devices booting/s vs ")
                    .append(Texts.rate(expected)).append("/s normal (")
                    .append(Texts.ratio(rate / Math.max(expected, 0.1))).append(")");
        }
        if (attribution.isEmpty()) {
            b.append("; no shared cause stands out");
        } else {
            Attribution top = attribution.get(0);
            b.append("; cause: ").append(top.attribute()).append(' ').append(top.value()).append(" (")
                    .append(Texts.percent(top.share())).append(" of them, ").append(Texts.ratio(top.lift()))
                    .append(" the ").append(top.attribute().equals(Attributes.REBOOT_REASON) ? "normal" : "fleet")
                    .append(" share)");
            for (int i = 1; i < Math.min(3, attribution.size()); i++) {
                Attribution a = attribution.get(i);
                b.append(", ").append(a.attribute()).append(' ').append(a.value());
            }
        }
        if (!resolved && f.wave().armedDevices() != null && f.wave().armedDevices() > 0) {
            b.append("; ").append(Texts.count(f.wave().armedDevices())).append(" armed devices still to reboot");
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- LOGIN_SURGE

    private Alert loginSurge(SegmentState s, BucketStats b, long start, long end, double rate, double expected) {
        StampedeConfig.RateRule rule = config.detection().loginSurge();
        double z = s.firstAttempts.score(rate, expected, baseline);
        boolean hot = s.firstAttempts.isWarm(baseline) && z >= rule.fireScore() && rate >= rule.fireRatio() * expected
                && rate >= rule.minPerSec();
        boolean veryHot = hot && z >= 2 * rule.fireScore() && rate >= 2 * rule.minPerSec();
        boolean calm = rate < Math.max(rule.clearRatio() * expected, rule.minPerSec());
        Hysteresis.Transition tr = s.surge.update(start, end, hot, calm, veryHot ? bucketMs : 2 * bucketMs,
                rule.clearAfter().toMillis());
        s.firstAttempts.learn(start, rate, s.surge.isDisturbed(), baseline);
        if (tr == Hysteresis.Transition.NONE && !s.surge.isActive()) {
            return null;
        }
        AttemptClass dominant = AttemptClass.INTERACTIVE;
        for (AttemptClass c : new AttemptClass[] {AttemptClass.TOKEN_REFRESH, AttemptClass.AUTO}) {
            if (b.logins(c) > b.logins(dominant)) {
                dominant = c;
            }
        }
        StringBuilder summary = new StringBuilder(s.segment).append(": ");
        if (tr == Hysteresis.Transition.RESOLVED) {
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
        Severity severity = Severity.WARNING;
        NodeHealthBook.Health h = s.nodes.health(end, config.capacity().nodeStaleAfter().toMillis());
        double safe = h.healthyCapacity() * config.capacity().safeUtilization();
        if (safe > 0 && b.totalLogins() / bucketSeconds > safe) {
            severity = Severity.CRITICAL;
        }
        AlertContent c = new AlertContent(summary.toString(),
                new Evidence(round(rate), round(expected), round(z), "first login attempts/s", window(start, end)),
                List.of(), null, dominant.name());
        return switch (tr) {
            case FIRED -> s.alerts.fire(AlertType.LOGIN_SURGE, s.surge.onset(), end, severity, c, rules);
            case RESOLVED -> s.alerts.resolve(AlertType.LOGIN_SURGE, s.surge.endedAt(), end, c, rules);
            default -> calm ? null : s.alerts.update(AlertType.LOGIN_SURGE, end, severity, c, rules);
        };
    }

    // ---------------------------------------------------------------- RETRY_STORM

    private Alert retryStorm(SegmentState s, BucketStats b, long start, long end) {
        StampedeConfig.RetryStorm rule = config.detection().retryStorm();
        long attempts = b.totalLogins();
        long served = attempts - b.throttledLogins();
        double retryShare = attempts == 0 ? 0 : b.logins(AttemptClass.RETRY) / (double) attempts;
        double failShare = served == 0 ? 0 : b.failedLogins() / (double) served;
        if (Double.isNaN(s.normalRetryShare)) {
            if (attempts > 0) {
                s.normalRetryShare = retryShare;
            }
        } else if (!s.retryStorm.isDisturbed() && attempts > 0) {
            s.normalRetryShare += baseline.alpha() * (retryShare - s.normalRetryShare);
        }
        double normal = Double.isNaN(s.normalRetryShare) ? 0 : s.normalRetryShare;
        boolean enough = attempts / bucketSeconds >= rule.minAttemptsPerSec();
        boolean hot = s.firstAttempts.isWarm(baseline) && enough && failShare >= rule.fireFailureShare()
                && retryShare >= normal + rule.fireRetryShareRise();
        boolean calm = !enough || failShare < rule.fireFailureShare() / 2
                || retryShare < normal + rule.fireRetryShareRise() / 2;
        Hysteresis.Transition tr = s.retryStorm.update(start, end, hot, calm, 2 * bucketMs, rule.clearAfter().toMillis());
        if (tr == Hysteresis.Transition.NONE && !s.retryStorm.isActive()) {
            return null;
        }
        double sd = Math.sqrt(Math.max(normal * (1 - normal), 0.01) / Math.max(1, attempts));
        double score = (retryShare - normal) / sd;
        String summary = tr == Hysteresis.Transition.RESOLVED
                ? String.format("%s: retry storm over, retries %s and failures %s of attempts", s.segment,
                        Texts.percent(retryShare), Texts.percent(failShare))
                : String.format("%s: retry storm, %s of %s attempts/s are retries (normally %s) and %s fail; the tier is "
                        + "feeding on itself", s.segment, Texts.percent(retryShare), Texts.rate(attempts / bucketSeconds),
                        Texts.percent(normal), Texts.percent(failShare));
        Severity severity = failShare >= 0.3 ? Severity.CRITICAL : Severity.WARNING;
        AlertContent c = new AlertContent(summary,
                new Evidence(round(retryShare), round(normal), round(score), "share of attempts that are retries",
                        window(start, end)), List.of(), null, null);
        return switch (tr) {
            case FIRED -> s.alerts.fire(AlertType.RETRY_STORM, s.retryStorm.onset(), end, severity, c, rules);
            case RESOLVED -> s.alerts.resolve(AlertType.RETRY_STORM, s.retryStorm.endedAt(), end, c, rules);
            default -> calm ? null : s.alerts.update(AlertType.RETRY_STORM, end, severity, c, rules);
        };
    }

    // ---------------------------------------------------------------- AUTH_DEGRADED

    private Alert authDegraded(SegmentState s, long start, long end, NodeHealthBook.Health h) {
        StampedeConfig.AuthDegraded rule = config.detection().authDegraded();
        double latencyRatio = h.p99LatencyMs() < 0 ? 0 : h.p99LatencyMs() / rule.p99LatencyMs();
        double errorRatio = h.errorRate() < 0 ? 0 : h.errorRate() / rule.errorRate();
        double floor = rule.minHealthyCapacityShare() * h.knownCapacity();
        double capacityRatio = h.healthyCapacity() <= 0 ? (floor > 0 ? 10 : 0) : floor / h.healthyCapacity();
        double score = Math.max(latencyRatio, Math.max(errorRatio, capacityRatio));
        boolean hot = score > 1;
        Hysteresis.Transition tr = s.degraded.update(start, end, hot, !hot,
                Math.max(bucketMs, rule.fireAfter().toMillis()), rule.clearAfter().toMillis());
        if (tr == Hysteresis.Transition.NONE && !s.degraded.isActive()) {
            return null;
        }
        String state = String.format("p99 %s ms (objective %s ms), errors %s (objective %s), healthy capacity %s/s of %s/s "
                + "(%d of %d nodes)", h.p99LatencyMs() < 0 ? "n/a" : Texts.rate(h.p99LatencyMs()),
                Texts.rate(rule.p99LatencyMs()), h.errorRate() < 0 ? "n/a" : Texts.percent(h.errorRate()),
                Texts.percent(rule.errorRate()), Texts.rate(h.healthyCapacity()), Texts.rate(h.knownCapacity()),
                h.healthyNodes(), h.knownNodes());
        String summary = s.segment + (tr == Hysteresis.Transition.RESOLVED ? ": auth tier healthy again, " : ": auth tier degraded, ")
                + state;
        Severity severity = (h.knownCapacity() > 0 && h.healthyCapacity() < 0.5 * h.knownCapacity())
                || h.errorRate() >= 0.2 ? Severity.CRITICAL : Severity.WARNING;
        String worst = latencyRatio >= errorRatio && latencyRatio >= capacityRatio ? "latency"
                : errorRatio >= capacityRatio ? "errors" : "capacity";
        Evidence evidence = switch (worst) {
            case "latency" -> new Evidence(round(h.p99LatencyMs()), rule.p99LatencyMs(), round(score), "p99 latency ms",
                    window(start, end));
            case "errors" -> new Evidence(round(h.errorRate()), rule.errorRate(), round(score), "error rate",
                    window(start, end));
            default -> new Evidence(round(h.healthyCapacity()), round(floor), round(score), "healthy capacity logins/s",
                    window(start, end));
        };
        AlertContent c = new AlertContent(summary, evidence, List.of(), null, null);
        return switch (tr) {
            case FIRED -> s.alerts.fire(AlertType.AUTH_DEGRADED, s.degraded.onset(), end, severity, c, rules);
            case RESOLVED -> s.alerts.resolve(AlertType.AUTH_DEGRADED, s.degraded.endedAt(), end, c, rules);
            default -> hot ? s.alerts.update(AlertType.AUTH_DEGRADED, end, severity, c, rules) : null;
        };
    }

    // ---------------------------------------------------------------- CAPACITY_RISK

    private DemandForecast forecast(SegmentState s, long now, double attemptRate, NodeHealthBook.Health h) {
        StampedeConfig.Forecast fc = config.forecast();
        double share = s.bootLogin.autoLoginShare(fc.defaultAutoLoginShare());
        double delayMs = s.bootLogin.meanDelayMs(fc.defaultBootToLogin().toMillis());
        double[] pmf = s.bootLogin.delayDistribution(bucketMs, fc.defaultBootToLogin().toMillis());
        int steps = (int) Math.max(1, fc.horizon().toMillis() / bucketMs);
        return DemandForecaster.forecast(new DemandForecaster.Inputs(now, bucketMs, steps,
                ahead -> s.firstAttempts.forecast(now, ahead, baseline), attemptRate, s.armedTotal(),
                s.armedBootRate.level(), s.armedBootRate.slope(), s.unexplainedBootRate, s.recentExcessBoots, share, pmf,
                delayMs, s.amplification, h.healthyCapacity() * config.capacity().safeUtilization(),
                h.healthyCapacity()));
    }

    private Alert capacityRisk(SegmentState s, long start, long end, DemandForecast f, NodeHealthBook.Health h) {
        boolean hot = f.exceedsSafe();
        boolean calm = f.peak() < 0.95 * f.safeCapacity();
        long eta = hot ? f.crossSafe() * bucketMs : Long.MAX_VALUE;
        Hysteresis.Transition tr = s.capacityRisk.update(start, end, hot, calm, eta <= 120_000 ? bucketMs : 2 * bucketMs,
                config.forecast().clearAfter().toMillis());
        if (tr == Hysteresis.Transition.NONE && !s.capacityRisk.isActive()) {
            return null;
        }
        boolean saturates = f.crossHealthy() >= 0;
        // Critical: all healthy capacity is forecast to be exceeded within five minutes, and demand is
        // already close to safe capacity (a forecast alone, far from the present, stays a warning).
        Severity severity = saturates && f.crossHealthy() * bucketMs <= 300_000
                && f.currentDemand() >= 0.9 * f.safeCapacity() ? Severity.CRITICAL : Severity.WARNING;
        Forecast forecast = Forecast.of(new CapacityForecast(f.horizonSeconds(), hot ? (int) (eta / 1000) : null,
                hot ? Timestamps.format(f.timeOf(f.crossSafe())) : null,
                saturates ? Timestamps.format(f.timeOf(f.crossHealthy())) : null, round(f.currentDemand()), round(f.peak()),
                Timestamps.format(f.timeOf(f.peakIndex())), round(f.safeCapacity()), round(f.healthyCapacity()),
                round(Math.max(0, f.peak() - f.safeCapacity())), s.armedTotal(), Math.round(f.remainingWaveBoots()),
                round(f.remainingWaveLogins()), round(f.autoLoginShare()), round(f.meanDelayMs() / 1000),
                round(f.amplification())));
        String summary;
        if (tr == Hysteresis.Transition.RESOLVED) {
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
        AlertContent c = new AlertContent(summary,
                new Evidence(round(f.peak()), round(f.safeCapacity()), round(f.peak() / Math.max(1e-9, f.safeCapacity())),
                        "forecast peak logins/s", window(start, end)), List.of(), forecast, null);
        return switch (tr) {
            case FIRED -> s.alerts.fire(AlertType.CAPACITY_RISK, s.capacityRisk.onset(), end, severity, c, rules);
            case RESOLVED -> s.alerts.resolve(AlertType.CAPACITY_RISK, s.capacityRisk.endedAt(), end, c, rules);
            default -> hot ? s.alerts.update(AlertType.CAPACITY_RISK, end, severity, c, rules) : null;
        };
    }

    private static Evidence.Window window(long start, long end) {
        return new Evidence.Window(Timestamps.format(start), Timestamps.format(end));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
