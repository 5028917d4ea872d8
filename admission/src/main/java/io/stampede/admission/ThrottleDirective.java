package io.stampede.admission;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * What the admission layer of one region should do now, as Stampede publishes it on the compacted
 * {@code throttle-directives} topic (record key = region). The field names are a contract (see
 * {@code schemas/throttle-directive.schema.json}); timestamps are RFC 3339 UTC strings.
 *
 * <p>A directive that is not renewed lapses at {@code expiresAt}: the admission layer then admits
 * everything, so a Stampede that stops never leaves the tier throttled.
 *
 * <p>{@code controlId} names the operator's control that shaped it (a THROTTLE switch, or the
 * region's SETTINGS), if any.
 */
public record ThrottleDirective(
        String directiveId,
        String region,
        String issuedAt,
        String expiresAt,
        State state,
        Double admitPerSec,
        TriggerPolicy triggerPolicy,
        RetryAfter retryAfter,
        String causeAlertId,
        String incidentId,
        String reason,
        @JsonInclude(JsonInclude.Include.NON_NULL) String controlId) {

    /** A directive as the planner made it, shaped by no control. */
    public ThrottleDirective(String directiveId, String region, String issuedAt, String expiresAt, State state,
            Double admitPerSec, TriggerPolicy triggerPolicy, RetryAfter retryAfter, String causeAlertId,
            String incidentId, String reason) {
        this(directiveId, region, issuedAt, expiresAt, state, admitPerSec, triggerPolicy, retryAfter, causeAlertId,
                incidentId, reason, null);
    }

    /** The same directive, naming the control that shaped it. */
    public ThrottleDirective withControlId(String id) {
        return new ThrottleDirective(directiveId, region, issuedAt, expiresAt, state, admitPerSec, triggerPolicy,
                retryAfter, causeAlertId, incidentId, reason, id);
    }

    public enum State {
        /** Hold admitted load at {@code admitPerSec}. */
        THROTTLE,
        /** Still limited, the limit rising step by step. */
        RELEASE,
        /** No limit: admit everything. */
        LIFTED
    }

    /** What to do with one class of attempt. */
    public enum Action {
        ADMIT,
        LIMIT,
        DEFER
    }

    /** The share of one class of attempts to admit; the rest are deferred. */
    public record ClassPolicy(Action action, double admitFraction) {

        public static final ClassPolicy ADMIT_ALL = new ClassPolicy(Action.ADMIT, 1.0);

        public static ClassPolicy admitting(double fraction) {
            if (fraction >= 0.9995) {
                return ADMIT_ALL;
            }
            if (fraction <= 0.0005) {
                return new ClassPolicy(Action.DEFER, 0.0);
            }
            return new ClassPolicy(Action.LIMIT, Math.round(fraction * 1000) / 1000.0);
        }
    }

    /** Per class of attempt, in priority order; RETRY is any attempt after the first. */
    public record TriggerPolicy(
            @JsonProperty("INTERACTIVE") ClassPolicy interactive,
            @JsonProperty("TOKEN_REFRESH") ClassPolicy tokenRefresh,
            @JsonProperty("AUTO") ClassPolicy auto,
            @JsonProperty("RETRY") ClassPolicy retry) {

        public static final TriggerPolicy ADMIT_ALL = new TriggerPolicy(ClassPolicy.ADMIT_ALL, ClassPolicy.ADMIT_ALL,
                ClassPolicy.ADMIT_ALL, ClassPolicy.ADMIT_ALL);

        public ClassPolicy of(AttemptClass c) {
            return switch (c) {
                case INTERACTIVE -> interactive;
                case TOKEN_REFRESH -> tokenRefresh;
                case AUTO -> auto;
                case RETRY -> retry;
            };
        }
    }

    /** Deferred clients retry after a uniformly random delay in [minSeconds, maxSeconds]. */
    public record RetryAfter(int minSeconds, int maxSeconds) {}

    public Instant expiresAtInstant() {
        return Instant.parse(expiresAt);
    }

    public Instant issuedAtInstant() {
        return Instant.parse(issuedAt);
    }

    /** True if this directive no longer holds at {@code now}. */
    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAtInstant());
    }
}
