package io.stampede.detect;

import io.stampede.admission.AttemptClass;
import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertBook;
import io.stampede.alert.AlertType;
import io.stampede.alert.AlertContent;
import io.stampede.alert.Attribution;
import io.stampede.alert.Marking;
import io.stampede.config.StampedeConfig;
import io.stampede.control.Control;
import io.stampede.control.InForce;
import io.stampede.plan.ArmedPoolForecaster;
import io.stampede.plan.DemandForecast;
import io.stampede.plan.DemandForecaster;
import io.stampede.plan.ScalingPlanner;
import io.stampede.plan.ScalingSignal;
import io.stampede.plan.ThrottlePlanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pipeline of one segment, run once per closed bucket in event time: it updates the shared
 * models, runs the demand detectors (REBOOT_WAVE, LOGIN_SURGE, RETRY_STORM), and in a region whose
 * auth tier is known AUTH_DEGRADED, the demand forecast with CAPACITY_RISK, and the throttle and
 * scaling planners. Pure logic over a {@link SegmentState}; the Flink operator keeps the state and
 * calls {@link #onBucket}.
 *
 * <p>The operators' controls in force shape what it says: a maintenance window marks the reboot
 * waves and login surges it announces as expected (they do not page; capacity risk, retry storms
 * and a degraded tier still do), a THROTTLE switch turns the directives off or fixes them, and an
 * engine built for a region's own settings names them ({@code controlId}) on what it emits.
 */
public final class SegmentEngine {

    /** Weight of the newest bucket in the per-class login rates the throttle planner splits admission by. */
    private static final double CLASS_RATE_WEIGHT = 0.5;
    /**
     * Retry amplification (all attempts per first attempt) follows its bucket value at this weight,
     * bounded: above 4 the forecast would be driven by a storm's own retries rather than demand.
     */
    private static final double AMPLIFICATION_WEIGHT = 0.3;
    private static final double MAX_AMPLIFICATION = 4;
    /** Weight of the newest bucket in the rate of boots no armed pool explains (a power loss, say). */
    private static final double UNEXPLAINED_WEIGHT = 0.5;
    /** A forced wave of fewer devices says too little about how long such waves take. */
    private static final long MIN_LEARNING_POOL = 100;
    /** Once a forced wave has begun, the assumed shape's weight fades with this share of its window. */
    private static final double FORCED_SHAPE_FADE = 0.25;
    /** The share of a forced pool rebooted at which its window is learned. */
    private static final double LEARNED_AT_DRAINED = 0.9;
    /** The step of the outlook beyond the horizon (coarser than the bucket: it may look hours ahead). */
    private static final long OUTLOOK_STEP_MS = 30_000;

    private final StampedeConfig config;
    private final long bucketMs;
    /** Devices not heard from this long leave the census ({@code input.deviceStateTtl}). */
    private final long censusWindowMs;
    private final double bucketSeconds;
    private final RateBaseline.Params baseline;
    private final AlertBook.Rules rules;
    private final Lifecycle lifecycle;
    private final List<Detector> demandDetectors;
    private final Detector authDegraded;
    private final Detector capacityRisk;
    private final ThrottlePlanner throttlePlanner;
    private final ScalingPlanner scalingPlanner;
    private final double armedAlpha;
    private final double armedBeta;
    /** The control (or {@code config:<region>}) whose settings this engine runs with, or null. */
    private final String settingsId;

    public SegmentEngine(StampedeConfig config) {
        this(config, null);
    }

    /** @param settingsId what the settings come from, named on every output: a SETTINGS control's id, or {@code config:<region>} */
    public SegmentEngine(StampedeConfig config, String settingsId) {
        this.config = config;
        this.settingsId = settingsId;
        StampedeConfig.Detection d = config.detection();
        this.bucketMs = d.bucket().toMillis();
        this.censusWindowMs = config.input().deviceStateTtl().toMillis();
        this.bucketSeconds = bucketMs / 1000.0;
        this.baseline = RateBaseline.Params.of(d);
        this.rules = new AlertBook.Rules(d.incidentLinkWindow().toMillis(), d.updateInterval().toMillis(),
                config.alerts().runbookBaseUrl());
        this.lifecycle = new Lifecycle(rules);
        this.demandDetectors = List.of(new RebootWaveDetector(config, baseline),
                new LoginSurgeDetector(config, baseline), new RetryStormDetector(config, baseline));
        this.authDegraded = new AuthDegradedDetector(config);
        this.capacityRisk = new CapacityRiskDetector(config);
        this.throttlePlanner = new ThrottlePlanner(config.throttle());
        this.scalingPlanner = new ScalingPlanner(config.scaling(), config.capacity());
        this.armedAlpha = 1 - Math.exp(-bucketMs / (double) config.forecast().armedBootLevelTimeConstant().toMillis());
        this.armedBeta = 1 - Math.exp(-bucketMs / (double) config.forecast().armedBootTrendTimeConstant().toMillis());
    }

    public long bucketMs() {
        return bucketMs;
    }

    /** Evaluates one closed bucket of the segment. Buckets must come in time order. */
    public void onBucket(SegmentState s, BucketStats stats, SegmentOutput out) {
        onBucket(s, stats, out, InForce.NONE);
    }

    /** Evaluates one closed bucket of the segment under the controls in force at its end. */
    public void onBucket(SegmentState s, BucketStats stats, SegmentOutput out, InForce controls) {
        s.lastBucket = stats.bucketStart;
        ClosedBucket b = learnModels(s, stats);
        Lifecycle.Marker marker = (type, content) -> mark(s, b.end(), controls, type, content);
        for (Detector d : demandDetectors) {
            emit(out, lifecycle.run(d, s, b, marker));
        }
        DemandForecast forecast = null;
        if (!Segments.isFleet(s.segment) && b.health().knownCapacity() > 0) {
            emit(out, lifecycle.run(authDegraded, s, b, marker));
            List<ArmedPoolForecaster.Pool> pools = forcedPools(s, b.end());
            forecast = forecast(s, b, pools);
            ArmedPoolForecaster.Outlook latent = outlook(s, b, pools);
            emit(out, lifecycle.run(capacityRisk, s, b.withForecast(forecast, latent), marker));
            plan(s, b, forecast, latent, out, controls);
        } else if (!Segments.isFleet(s.segment) && s.throttle.mode() != io.stampede.plan.ThrottleState.Mode.IDLE
                && controls.throttleMode() == Control.ThrottleMode.OFF) {
            // Switched off while the tier's health is not known any more: still lift what is in force.
            Control c = controls.throttle();
            ThrottleDirective lifted = throttlePlanner.switchedOff(s.throttle, s.segment, b.end(), c.controlId(),
                    c.reason());
            s.admitPerSec = -1;
            out.directive(lifted);
        }
        s.alerts.touch(b.end());
        out.snapshot(snapshot(s, b, forecast));
    }

    /** Brings the shared models up to this bucket, and derives what the detectors read from it. */
    private ClosedBucket learnModels(SegmentState s, BucketStats b) {
        long start = b.bucketStart;
        long end = start + bucketMs;
        s.census.apply(b.devicesDelta, b.censusDelta);
        s.census.heard(b.deviceSketch, start, end, bucketMs, censusWindowMs);
        for (Map.Entry<String, Long> e : b.armedDelta.entrySet()) {
            long v = s.armed.getOrDefault(e.getKey(), 0L) + e.getValue();
            if (v <= 0) {
                s.armed.remove(e.getKey());
            } else {
                s.armed.put(e.getKey(), v);
            }
        }
        s.rebootBy.putAll(b.rebootBy);
        s.rebootBy.keySet().retainAll(s.armed.keySet());
        learnForcedWave(s, end);
        for (NodeSample n : b.nodes) {
            s.nodes.report(n);
        }
        s.bootLogin.learn(b.sampledBoots, b.autoLoginsAfterBoot, b.bootToLoginBins);

        double bootRate = b.boots / bucketSeconds;
        double firstRate = b.firstAttempts() / bucketSeconds;
        double attemptRate = b.totalLogins() / bucketSeconds;
        for (AttemptClass c : AttemptClass.values()) {
            s.classRates[c.ordinal()] = (1 - CLASS_RATE_WEIGHT) * s.classRates[c.ordinal()]
                    + CLASS_RATE_WEIGHT * b.logins(c) / bucketSeconds;
        }
        if (firstRate > 0) {
            double amp = Math.max(1, Math.min(MAX_AMPLIFICATION, attemptRate / firstRate));
            s.amplification += AMPLIFICATION_WEIGHT * (amp - s.amplification);
        }

        double expectedBoots = s.boots.expected(start);
        double excess = Math.max(0, bootRate - expectedBoots) * bucketSeconds;
        System.arraycopy(s.recentExcessBoots, 1, s.recentExcessBoots, 0, s.recentExcessBoots.length - 1);
        s.recentExcessBoots[s.recentExcessBoots.length - 1] = excess;
        double armedRate = b.armedBoots / bucketSeconds;
        s.armedBootRate.update(armedRate, bucketSeconds, armedAlpha, armedBeta);
        double unexplained = Math.max(0, excess / bucketSeconds - armedRate);
        s.unexplainedBootRate += UNEXPLAINED_WEIGHT * (unexplained - s.unexplainedBootRate);

        long staleMs = config.capacity().nodeStaleAfter().toMillis();
        NodeHealthBook.Health health = s.nodes.health(end, staleMs);
        if (s.scaling.scaledDownTo() > 0 && health.knownNodes() > health.freshNodes()
                && health.freshNodes() >= s.scaling.scaledDownTo()) {
            // The tier shrank to the size Stampede advised: the nodes gone silent were removed, not lost.
            s.nodes.forgetSilent(end, staleMs);
            health = s.nodes.health(end, staleMs);
        }
        StampedeConfig.Capacity cap = config.capacity();
        if (health.knownCapacity() <= 0 && cap.staticCapacity() > 0) {
            // No node reports its health: the tier is as configured for the region.
            int nodes = cap.staticNodes();
            health = new NodeHealthBook.Health(cap.staticCapacity(), cap.staticCapacity(), nodes, nodes, nodes, 0, 0,
                    nodes > 0 ? cap.staticCapacity() / nodes : 0);
        }
        return new ClosedBucket(s.segment, start, end, bucketSeconds, b, bootRate, expectedBoots, firstRate,
                s.firstAttempts.expected(start), attemptRate, health,
                health.healthyCapacity() * config.capacity().safeUtilization(), null, null);
    }

    /**
     * Watches a forced wave from its {@code rebootBy} until nine tenths of its pool have rebooted,
     * and learns from how long that took the window the region's forced waves reboot in. A pool
     * that has not drained so far within the lookahead was not forced after all, and teaches nothing.
     */
    private void learnForcedWave(SegmentState s, long end) {
        StampedeConfig.ArmedPool rule = config.forecast().armedPool();
        if (s.forcedUpdate == null) {
            for (Map.Entry<String, Long> e : s.rebootBy.entrySet()) {
                long pool = s.armed.getOrDefault(e.getKey(), 0L);
                if (end >= e.getValue() && end - e.getValue() <= bucketMs && pool >= MIN_LEARNING_POOL) {
                    s.forcedUpdate = e.getKey();
                    s.forcedStart = e.getValue();
                    s.forcedPool = pool;
                    return;
                }
            }
            return;
        }
        double drained = 1 - s.armed.getOrDefault(s.forcedUpdate, 0L) / (double) s.forcedPool;
        if (drained >= LEARNED_AT_DRAINED) {
            long window = ArmedPoolForecaster.windowFromDrain(end - s.forcedStart, LEARNED_AT_DRAINED,
                    rule.rebootPeakAt());
            s.learnedRebootWindowMs = s.learnedRebootWindowMs == 0 ? window : (s.learnedRebootWindowMs + window) / 2;
            s.forcedUpdate = null;
        } else if (end - s.forcedStart > rule.lookahead().toMillis()) {
            s.forcedUpdate = null;
        }
    }

    /** The armed pools whose update forces their reboot, still to come, with the window they are assumed to take. */
    private List<ArmedPoolForecaster.Pool> forcedPools(SegmentState s, long now) {
        StampedeConfig.ArmedPool rule = config.forecast().armedPool();
        List<ArmedPoolForecaster.Pool> pools = new ArrayList<>();
        if (!rule.enabled()) {
            return pools;
        }
        boolean learned = s.learnedRebootWindowMs > 0;
        long window = learned ? s.learnedRebootWindowMs : rule.rebootWindow().toMillis();
        for (Map.Entry<String, Long> e : s.rebootBy.entrySet()) {
            long devices = s.armed.getOrDefault(e.getKey(), 0L);
            ArmedPoolForecaster.Pool p = new ArmedPoolForecaster.Pool(e.getKey(), devices, e.getValue(), window,
                    learned ? "learned" : "default", rule.rebootPeakAt());
            if (p.pending(now) && e.getValue() - now <= rule.lookahead().toMillis()) {
                pools.add(p);
            }
        }
        return pools;
    }

    /**
     * The forced pool that would bring the most demand, looked at up to the end of its window: the
     * latent risk before the horizon reaches it. The first one to cross safe capacity wins.
     */
    private ArmedPoolForecaster.Outlook outlook(SegmentState s, ClosedBucket b, List<ArmedPoolForecaster.Pool> pools) {
        StampedeConfig.Forecast fc = config.forecast();
        long now = b.end();
        ArmedPoolForecaster.Outlook worst = null;
        for (ArmedPoolForecaster.Pool p : pools) {
            ArmedPoolForecaster.Outlook o = ArmedPoolForecaster.outlook(p, now, Math.max(bucketMs, OUTLOOK_STEP_MS),
                    ahead -> s.firstAttempts.forecast(now, ahead, baseline),
                    s.bootLogin.autoLoginShare(fc.defaultAutoLoginShare()),
                    s.bootLogin.meanDelayMs(fc.defaultBootToLogin().toMillis()), s.amplification, b.safeCapacity(),
                    fc.armedPool().lookahead().toMillis());
            boolean earlier = o.crosses() && (worst == null || !worst.crosses() || o.crossesAt() < worst.crossesAt());
            if (earlier || worst == null || !worst.crosses() && !o.crosses() && o.peakDemand() > worst.peakDemand()) {
                worst = o;
            }
        }
        return worst;
    }

    private DemandForecast forecast(SegmentState s, ClosedBucket b, List<ArmedPoolForecaster.Pool> pools) {
        StampedeConfig.Forecast fc = config.forecast();
        long now = b.end();
        double share = s.bootLogin.autoLoginShare(fc.defaultAutoLoginShare());
        double delayMs = s.bootLogin.meanDelayMs(fc.defaultBootToLogin().toMillis());
        double[] pmf = s.bootLogin.delayDistribution(bucketMs, fc.defaultBootToLogin().toMillis());
        int steps = (int) Math.max(1, fc.horizon().toMillis() / bucketMs);
        double[] forced = null;
        for (ArmedPoolForecaster.Pool p : pools) {
            double[] boots = ArmedPoolForecaster.bootsPerStep(p, now, bucketMs, steps);
            // Once the forced reboots show, the armed-boot rate and its trend say more than the
            // assumed shape: its weight fades over the first quarter of the window.
            double weight = now <= p.rebootBy() ? 1
                    : Math.exp(-(now - p.rebootBy()) / (FORCED_SHAPE_FADE * p.windowMs()));
            if (forced == null) {
                forced = new double[steps];
            }
            for (int j = 0; j < steps; j++) {
                forced[j] += weight * boots[j];
            }
        }
        return DemandForecaster.forecast(new DemandForecaster.Inputs(now, bucketMs, steps,
                ahead -> s.firstAttempts.forecast(now, ahead, baseline), b.attemptRate(), s.armedTotal(),
                s.armedBootRate.level(), s.armedBootRate.slope(), s.unexplainedBootRate, s.recentExcessBoots, share, pmf,
                delayMs, s.amplification, b.safeCapacity(), b.health().healthyCapacity(), forced));
    }

    private void plan(SegmentState s, ClosedBucket b, DemandForecast forecast, ArmedPoolForecaster.Outlook latent,
            SegmentOutput out, InForce controls) {
        long end = b.end();
        // A risk that is only latent (a forced pool beyond the horizon) is no reason to throttle yet:
        // directives start once the forecast itself nears capacity, from that forecast.
        boolean riskFiring = s.alerts.isFiring(AlertType.CAPACITY_RISK)
                && !(latent != null && latent.crosses() && !forecast.exceedsSafe());
        Control c = controls.throttle();
        ThrottleDirective directive = switch (controls.throttleMode()) {
            case OFF -> throttlePlanner.switchedOff(s.throttle, s.segment, end, c.controlId(), c.reason());
            case FIXED -> throttlePlanner.fixed(s.throttle, s.segment, end, forecast, s.classRates, c.admitPerSec(),
                    c.controlId(), c.reason(), s.alerts.openIncident(end, rules));
            case AUTO -> {
                throttlePlanner.automatic(s.throttle);
                ThrottleDirective d = throttlePlanner.plan(s.throttle, s.segment, end, forecast, s.classRates,
                        riskFiring, s.alerts.latestAlertId(AlertType.CAPACITY_RISK),
                        s.alerts.openIncident(end, rules));
                String by = c != null ? c.controlId() : settingsId;
                yield d == null || by == null ? d : d.withControlId(by);
            }
        };
        if (directive != null) {
            s.admitPerSec = directive.state() == ThrottleDirective.State.LIFTED ? -1 : directive.admitPerSec();
            out.directive(directive);
        }
        ScalingSignal signal = scalingPlanner.plan(s.scaling, s.segment, end, forecast, b.health().healthyNodes(),
                b.health().perNodeCapacity(), s.alerts.latestAlertId(AlertType.CAPACITY_RISK));
        if (signal != null) {
            out.signal(settingsId == null ? signal : signal.withControlId(settingsId));
        }
    }

    /**
     * How the controls in force mark an alert state. A reboot wave is announced by a maintenance
     * window of its update (named in its attribution, or armed in the region while the wave is not
     * attributed yet) or by one that names no update; a login surge by one that names no update, or
     * the window that announced the wave of its incident. Other types are never expected: an
     * announced wave that still overloads the tier must wake someone.
     */
    private Marking mark(SegmentState s, long now, InForce controls, AlertType type, AlertContent content) {
        Control announced = null;
        if (!controls.maintenance().isEmpty()) {
            if (type == AlertType.REBOOT_WAVE) {
                announced = controls.announcing(updatesOf(s, content));
            } else if (type == AlertType.LOGIN_SURGE) {
                announced = controls.announcing(List.of());
                String byWave = s.alerts.announcedBy(AlertType.REBOOT_WAVE, now, rules);
                for (Control m : controls.maintenance()) {
                    if (announced == null && m.controlId().equals(byWave)) {
                        announced = m;
                    }
                }
            }
        }
        if (announced != null) {
            return new Marking(true, announced.controlId(), "expected: " + announced.reason() + " (control "
                    + announced.controlId() + " by " + announced.createdBy() + ")");
        }
        return settingsId == null ? Marking.NONE : new Marking(false, settingsId, null);
    }

    /** The updates a wave is about: those its attribution names, else those armed in the segment. */
    private static List<String> updatesOf(SegmentState s, AlertContent content) {
        List<String> updates = new ArrayList<>();
        if (content.attribution() != null) {
            for (Attribution a : content.attribution()) {
                if (a.attribute().equals(Attributes.UPDATE_ID)) {
                    updates.add(a.value());
                }
            }
        }
        if (updates.isEmpty()) {
            updates.addAll(s.armed.keySet());
        }
        return updates;
    }

    private SegmentSnapshot snapshot(SegmentState s, ClosedBucket b, DemandForecast forecast) {
        BucketStats stats = b.stats();
        return new SegmentSnapshot(s.segment, b.start(), b.bootRate(), b.expectedBoots(),
                stats.armedBoots / bucketSeconds, b.firstRate(), b.expectedFirst(), b.attemptRate(),
                stats.logins(AttemptClass.RETRY) / bucketSeconds, stats.failedLogins() / bucketSeconds,
                stats.throttledLogins() / bucketSeconds, b.health().healthyCapacity(), b.safeCapacity(),
                forecast == null ? 0 : forecast.peak(),
                forecast == null || forecast.crossSafe() < 0 ? -1 : (int) (forecast.crossSafe() * bucketSeconds),
                s.admitPerSec, s.armedTotal(), s.census.devices(), stats.duplicates);
    }

    private static void emit(SegmentOutput out, Alert alert) {
        if (alert != null) {
            out.alert(alert);
        }
    }
}
