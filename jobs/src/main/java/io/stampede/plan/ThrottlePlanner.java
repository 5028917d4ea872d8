package io.stampede.plan;

import io.stampede.admission.AttemptClass;
import io.stampede.admission.ThrottleDirective;
import io.stampede.admission.ThrottleDirective.ClassPolicy;
import io.stampede.admission.ThrottleDirective.RetryAfter;
import io.stampede.admission.ThrottleDirective.TriggerPolicy;
import io.stampede.config.StampedeConfig;
import io.stampede.event.Timestamps;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Sizes the throttle directives of one region. While capacity is at risk it holds the load that
 * reaches the tier at safe capacity: interactive logins are admitted first, token refreshes next,
 * and what budget is left is shared by automatic logins and retries; the rest are deferred with a
 * jittered retry-after window long enough for the deferred backlog to drain within capacity.
 * Fractions are computed from the demand forecast for the time the directive is in force, so a
 * directive is never more restrictive than that forecast requires. They fall at once when demand
 * grows, but rise only step by step (a release step per bucket while the risk lasts, per release
 * interval once it has passed), so a forecast error cannot let the whole deferred backlog in at
 * once; when they are all back to one the directive is lifted. Directives are renewed before they
 * expire; one that is not renewed lapses.
 */
public final class ThrottlePlanner {

    private static final DateTimeFormatter COMPACT =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final double WORTH_REISSUING = 0.02;
    private static final int MIN_WINDOW_SECONDS = 30;

    private final boolean enabled;
    private final double releaseStep;
    // The durations in the units the plan works in, converted once.
    private final long ttlMs;
    private final long renewEveryMs;
    private final long controlLatencyMs;
    private final long releaseIntervalMs;
    private final int minRetryAfterSeconds;
    private final int maxRetryAfterSeconds;
    private final long startWithinMs;

    public ThrottlePlanner(StampedeConfig.Throttle settings) {
        this.enabled = settings.enabled();
        this.releaseStep = settings.releaseStep();
        this.ttlMs = settings.ttl().toMillis();
        this.renewEveryMs = settings.renewEvery().toMillis();
        this.controlLatencyMs = settings.controlLatency().toMillis();
        this.releaseIntervalMs = settings.releaseInterval().toMillis();
        this.minRetryAfterSeconds = (int) settings.minRetryAfter().toSeconds();
        this.maxRetryAfterSeconds = (int) settings.maxRetryAfter().toSeconds();
        this.startWithinMs = settings.startWithin().toMillis();
    }

    /**
     * Plans the region's directive at {@code now}.
     *
     * @param classRates current attempts per second per class (INTERACTIVE, TOKEN_REFRESH, AUTO, RETRY)
     * @param riskFiring whether the region's CAPACITY_RISK alert is firing
     * @return the directive to publish, or null if nothing needs saying
     */
    public ThrottleDirective plan(ThrottleState s, String region, long now, DemandForecast forecast,
            double[] classRates, boolean riskFiring, String riskAlertId, String incidentId) {
        if (!enabled) {
            return null;
        }
        // With every node unhealthy the budget is zero: deferring all logins is what lets an
        // overloaded tier recover, so directives go on (they never stop while the risk lasts).
        double budget = Math.max(0, forecast.safeCapacity());
        double[] demand = classDemandAt(forecast, classRates);
        double total = demand[0] + demand[1] + demand[2] + demand[3];
        boolean need = total > budget;
        double[] target = allocate(budget, demand);
        ThrottleState.Mode before = s.mode;
        switch (s.mode) {
            case IDLE -> {
                // A risk further ahead than startWithin is for the autoscaler: deferring logins now would
                // only cost users waiting, long before the tier needs it.
                boolean soon = forecast.exceedsSafe() && forecast.crossSafe() * forecast.stepMs() <= startWithinMs;
                if (!(riskFiring && soon) && !need) {
                    return null;
                }
                s.mode = ThrottleState.Mode.THROTTLE;
                s.fractions = target.clone();
                s.causeAlertId = riskAlertId;
                s.incidentId = incidentId;
            }
            case THROTTLE -> {
                // While the risk lasts the fractions follow the target down at once, and up by a
                // release step per bucket at most.
                s.fractions = limitRise(s, now, target, 0);
                if (riskAlertId != null) {
                    s.causeAlertId = riskAlertId;
                    s.incidentId = incidentId;
                }
                if (!riskFiring && !need) {
                    s.mode = ThrottleState.Mode.RELEASE;
                    s.lastReleaseStep = now;
                }
            }
            case RELEASE -> {
                if (riskFiring || need) {
                    s.mode = ThrottleState.Mode.THROTTLE;
                    s.fractions = limitRise(s, now, target, 0);
                } else {
                    s.fractions = limitRise(s, now, target, releaseIntervalMs);
                    if (allOne(s.fractions)) {
                        s.mode = ThrottleState.Mode.IDLE;
                        s.lastIssued = now;
                        return lifted(s, region, now);
                    }
                }
            }
        }
        boolean reissue = before != s.mode || elapsed(now, s.lastIssued) >= renewEveryMs
                || changed(s.fractions, s.lastFractions);
        if (!reissue) {
            return null;
        }
        s.lastIssued = now;
        s.lastFractions = s.fractions.clone();
        return directive(s, region, now, forecast, demand, budget);
    }

    /**
     * Throttling switched off in the region by an operator (a THROTTLE OFF control): a directive in
     * force is lifted at once, and nothing more is said while the switch holds. The admission layer
     * then admits everything.
     *
     * @return the LIFTED directive, or null if nothing was in force
     */
    public ThrottleDirective switchedOff(ThrottleState s, String region, long now, String controlId, String why) {
        if (s.mode == ThrottleState.Mode.IDLE) {
            return null;
        }
        s.mode = ThrottleState.Mode.IDLE;
        s.fractions = new double[] {1, 1, 1, 1};
        s.lastIssued = now;
        s.lastFractions = s.fractions.clone();
        return new ThrottleDirective(directiveId(region, now), region, Timestamps.format(now),
                Timestamps.format(now + ttlMs), ThrottleDirective.State.LIFTED, null, TriggerPolicy.ADMIT_ALL,
                new RetryAfter(0, 0), s.causeAlertId, s.incidentId,
                "throttling switched off by control " + controlId + " (" + why + "); every login is admitted",
                controlId);
    }

    /**
     * A fixed admission set by an operator (a THROTTLE FIXED control): {@code admitPerSec} shared
     * among the classes in priority order, renewed like any directive, whatever the forecast. When
     * the control ends the planner carries on from these fractions, so it releases step by step.
     */
    public ThrottleDirective fixed(ThrottleState s, String region, long now, DemandForecast forecast,
            double[] classRates, double admitPerSec, String controlId, String why, String incidentId) {
        double[] demand = classDemandAt(forecast, classRates);
        double[] target = allocate(admitPerSec, demand);
        boolean reissue = s.mode != ThrottleState.Mode.THROTTLE || !controlId.equals(s.fixedBy)
                || elapsed(now, s.lastIssued) >= renewEveryMs || changed(target, s.lastFractions);
        s.mode = ThrottleState.Mode.THROTTLE;
        s.fractions = target;
        s.fixedBy = controlId;
        if (incidentId != null) {
            s.incidentId = incidentId;
        }
        if (!reissue) {
            return null;
        }
        s.lastIssued = now;
        s.lastFractions = target.clone();
        TriggerPolicy policy = new TriggerPolicy(
                ClassPolicy.admitting(target[0]), ClassPolicy.admitting(target[1]),
                ClassPolicy.admitting(target[2]), ClassPolicy.admitting(target[3]));
        return new ThrottleDirective(directiveId(region, now), region, Timestamps.format(now),
                Timestamps.format(now + ttlMs), ThrottleDirective.State.THROTTLE, round(admitPerSec), policy,
                retryAfter(forecast, demand, target, admitPerSec), null, s.incidentId,
                String.format("admission fixed at %.0f/s by control %s (%s)", admitPerSec, controlId, why), controlId);
    }

    /** Hands the region back to the planner after a FIXED control: it carries on from where that left it. */
    public void automatic(ThrottleState s) {
        s.fixedBy = null;
    }

    /**
     * Each class's demand while the directive is in force (from when it takes effect until the
     * next renewal would): the current rates, with the highest growth the forecast expects in that
     * time attributed to automatic logins (the wave brings those).
     */
    private double[] classDemandAt(DemandForecast f, double[] rates) {
        double[] d = rates.clone();
        double now = d[0] + d[1] + d[2] + d[3];
        double then = 0;
        long until = controlLatencyMs + renewEveryMs;
        for (long ahead = controlLatencyMs; ahead <= until; ahead += f.stepMs()) {
            then = Math.max(then, f.demandAt(ahead));
        }
        if (then > now) {
            d[AttemptClass.AUTO.ordinal()] += then - now;
        }
        return d;
    }

    /** Admitted fraction per class so that admitted load fits the budget, in priority order. */
    static double[] allocate(double budget, double[] demand) {
        double[] f = new double[4];
        double left = budget;
        for (AttemptClass c : new AttemptClass[] {AttemptClass.INTERACTIVE, AttemptClass.TOKEN_REFRESH}) {
            double d = demand[c.ordinal()];
            f[c.ordinal()] = d <= 0 ? 1 : Math.max(0, Math.min(1, left / d));
            left -= f[c.ordinal()] * d;
        }
        double rest = demand[AttemptClass.AUTO.ordinal()] + demand[AttemptClass.RETRY.ordinal()];
        double shared = rest <= 0 ? 1 : Math.max(0, Math.min(1, left / rest));
        f[AttemptClass.AUTO.ordinal()] = shared;
        f[AttemptClass.RETRY.ordinal()] = shared;
        return f;
    }

    /** Fractions may fall at once but rise only by the release step, at most once per {@code intervalMs}. */
    private double[] limitRise(ThrottleState s, long now, double[] target, long intervalMs) {
        boolean stepDue = elapsed(now, s.lastReleaseStep) >= intervalMs;
        double[] out = new double[4];
        boolean rose = false;
        for (int i = 0; i < 4; i++) {
            if (target[i] <= s.fractions[i]) {
                out[i] = target[i];
            } else if (stepDue) {
                out[i] = Math.min(target[i], s.fractions[i] + releaseStep);
                rose = true;
            } else {
                out[i] = s.fractions[i];
            }
        }
        if (rose) {
            s.lastReleaseStep = now;
        }
        return out;
    }

    private ThrottleDirective directive(ThrottleState s, String region, long now, DemandForecast f, double[] demand,
            double budget) {
        TriggerPolicy policy = new TriggerPolicy(
                ClassPolicy.admitting(s.fractions[0]), ClassPolicy.admitting(s.fractions[1]),
                ClassPolicy.admitting(s.fractions[2]), ClassPolicy.admitting(s.fractions[3]));
        RetryAfter retryAfter = retryAfter(f, demand, s.fractions, budget);
        double deferred = 0;
        for (int i = 0; i < 4; i++) {
            deferred += demand[i] * (1 - s.fractions[i]);
        }
        String reason;
        if (s.mode == ThrottleState.Mode.RELEASE) {
            reason = String.format("risk has passed; releasing: automatic logins and retries admitted at %.0f%%",
                    100 * s.fractions[AttemptClass.AUTO.ordinal()]);
        } else if (deferred > 0.5) {
            reason = String.format("demand %.0f/s exceeds safe capacity %.0f/s; deferring %.0f/s of automatic logins "
                    + "and retries", demand[0] + demand[1] + demand[2] + demand[3], budget, deferred);
        } else if (f.crossSafe() >= 0) {
            reason = String.format("forecast demand %.0f/s will exceed safe capacity %.0f/s at %s; admitting up to %.0f/s",
                    f.peak(), budget, Timestamps.format(f.timeOf(f.crossSafe())), budget);
        } else {
            reason = String.format("demand is back under safe capacity %.0f/s (forecast peak %.0f/s); every login is "
                    + "admitted while the capacity risk winds down", budget, f.peak());
        }
        return new ThrottleDirective(directiveId(region, now), region, Timestamps.format(now),
                Timestamps.format(now + ttlMs),
                s.mode == ThrottleState.Mode.RELEASE ? ThrottleDirective.State.RELEASE : ThrottleDirective.State.THROTTLE,
                round(budget), policy, retryAfter, s.causeAlertId, s.incidentId, reason);
    }

    private ThrottleDirective lifted(ThrottleState s, String region, long now) {
        s.lastFractions = s.fractions.clone();
        return new ThrottleDirective(directiveId(region, now), region, Timestamps.format(now),
                Timestamps.format(now + ttlMs), ThrottleDirective.State.LIFTED, null, TriggerPolicy.ADMIT_ALL,
                new RetryAfter(0, 0), s.causeAlertId, s.incidentId, "risk has passed; every login is admitted again");
    }

    /**
     * The retry-after window: deferred clients come back spread over it, so its length is the
     * backlog (what the horizon's excess demand and the current deferrals add up to) divided by
     * the spare capacity expected to serve it, within the configured bounds.
     */
    private RetryAfter retryAfter(DemandForecast f, double[] demand, double[] fractions, double budget) {
        double dt = f.stepMs() / 1000.0;
        double excess = 0;
        double spare = 0;
        int spareSteps = 0;
        for (double d : f.demand()) {
            if (d > budget) {
                excess += (d - budget) * dt;
            } else {
                spare += budget - d;
                spareSteps++;
            }
        }
        double deferredNow = 0;
        for (int i = 0; i < 4; i++) {
            deferredNow += demand[i] * (1 - fractions[i]);
        }
        double backlog = excess + deferredNow * minRetryAfterSeconds;
        double drainRate = Math.max(spareSteps > 0 ? spare / spareSteps : 0, 0.1 * budget);
        int min = minRetryAfterSeconds;
        int window = (int) Math.ceil(backlog / drainRate);
        window = Math.max(MIN_WINDOW_SECONDS, Math.min(maxRetryAfterSeconds - min, window));
        return new RetryAfter(min, min + window);
    }

    /** Time since {@code since}, or forever if it never happened. */
    static long elapsed(long now, long since) {
        return since == Long.MIN_VALUE ? Long.MAX_VALUE : now - since;
    }

    private static String directiveId(String region, long now) {
        return "dir-" + region + "-" + COMPACT.format(Instant.ofEpochMilli(now));
    }

    private static boolean changed(double[] a, double[] b) {
        if (b == null) {
            return true;
        }
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) >= WORTH_REISSUING) {
                return true;
            }
        }
        return false;
    }

    private static boolean allOne(double[] f) {
        for (double v : f) {
            if (v < 0.9995) {
                return false;
            }
        }
        return true;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
