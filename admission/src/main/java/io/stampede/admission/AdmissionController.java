package io.stampede.admission;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Admission control for the auth tier, following Stampede's throttle directives. For each login
 * attempt it answers admit, or defer with a jittered retry-after.
 *
 * <p>Decisions are per attempt and stateless across the tier: each attempt of a class is admitted
 * with the directive's admitted fraction for that class, so any number of front-door instances
 * can apply the same directive without coordinating, and together they admit the planned share.
 * Deferred clients are told to retry after a uniformly random delay within the directive's
 * window, so they do not come back in step.
 *
 * <p>Fails open: with no directive, an expired one, or a lifted one, every attempt is admitted.
 * A Stampede that stops publishing therefore never leaves the tier throttled.
 *
 * <p>Thread-safe. Time is passed in, so the same code serves a live tier (pass {@code Instant.now()})
 * and a simulation.
 */
public final class AdmissionController {

    private final Map<String, ThrottleDirective> directives = new ConcurrentHashMap<>();
    private final RandomGenerator random;

    public AdmissionController(RandomGenerator random) {
        this.random = Objects.requireNonNull(random);
    }

    /**
     * Takes a directive into account. An older directive than the one in force for its region
     * (by {@code issuedAt}) is ignored, so replays and out-of-order deliveries are harmless.
     *
     * @return true if the directive is now the one in force
     */
    public boolean apply(ThrottleDirective directive) {
        Instant issued = directive.issuedAtInstant();
        boolean[] taken = {false};
        directives.compute(directive.region(), (region, current) -> {
            if (current == null || !issued.isBefore(current.issuedAtInstant())) {
                taken[0] = true;
                return directive;
            }
            return current;
        });
        return taken[0];
    }

    /** Forgets a region's directive (e.g. a tombstone on the compacted topic). */
    public void clear(String region) {
        directives.remove(region);
    }

    /** The directive for the region, whether or not it is still in force, or null. */
    public ThrottleDirective directive(String region) {
        return directives.get(region);
    }

    /** Decides for one attempt. */
    public Decision decide(String region, AttemptClass attemptClass, Instant now) {
        ThrottleDirective d = directives.get(region);
        if (d == null) {
            return Decision.ADMIT_NO_DIRECTIVE;
        }
        if (d.isExpired(now)) {
            return Decision.ADMIT_EXPIRED;
        }
        if (d.state() == ThrottleDirective.State.LIFTED) {
            return Decision.ADMIT_LIFTED;
        }
        ThrottleDirective.ClassPolicy policy = d.triggerPolicy().of(attemptClass);
        boolean admit = switch (policy.action()) {
            case ADMIT -> true;
            case DEFER -> false;
            case LIMIT -> random.nextDouble() < policy.admitFraction();
        };
        if (admit) {
            return Decision.ADMIT_BY_POLICY;
        }
        return Decision.defer(retryAfter(d.retryAfter()), attemptClass.name() + " deferred by " + d.directiveId());
    }

    /** Decides for one attempt described as the login contract does (trigger name, attempt number). */
    public Decision decide(String region, String trigger, int attempt, Instant now) {
        return decide(region, AttemptClass.of(trigger, attempt), now);
    }

    private int retryAfter(ThrottleDirective.RetryAfter window) {
        int min = Math.max(0, window.minSeconds());
        int max = Math.max(min, window.maxSeconds());
        return min == max ? min : min + random.nextInt(max - min + 1);
    }
}
