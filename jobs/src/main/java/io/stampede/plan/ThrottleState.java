package io.stampede.plan;

/** What the throttle planner of one region remembers between buckets. */
public final class ThrottleState {

    public enum Mode {
        IDLE,
        THROTTLE,
        RELEASE
    }

    Mode mode = Mode.IDLE;
    /** Admitted fraction per attempt class (INTERACTIVE, TOKEN_REFRESH, AUTO, RETRY). */
    double[] fractions = {1, 1, 1, 1};
    double[] lastFractions;
    long lastIssued = Long.MIN_VALUE;
    long lastReleaseStep = Long.MIN_VALUE;
    String causeAlertId;
    String incidentId;
    /** The THROTTLE FIXED control whose fractions these are, or null. */
    String fixedBy;

    public Mode mode() {
        return mode;
    }

    public double fraction(int classOrdinal) {
        return fractions[classOrdinal];
    }
}
