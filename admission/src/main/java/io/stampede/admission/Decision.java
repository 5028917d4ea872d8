package io.stampede.admission;

/**
 * The answer for one login attempt: admit it, or defer it and tell the client to retry after
 * {@code retryAfterSeconds}.
 */
public record Decision(boolean admitted, int retryAfterSeconds, String reason) {

    static final Decision ADMIT_NO_DIRECTIVE = new Decision(true, 0, "no directive in force");
    static final Decision ADMIT_EXPIRED = new Decision(true, 0, "directive expired: failing open");
    static final Decision ADMIT_LIFTED = new Decision(true, 0, "throttling lifted");
    static final Decision ADMIT_BY_POLICY = new Decision(true, 0, "admitted by the directive");

    public static Decision defer(int retryAfterSeconds, String reason) {
        return new Decision(false, retryAfterSeconds, reason);
    }
}
