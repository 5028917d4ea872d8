package io.stampede.event;

/** How the auth front door answered a login attempt. */
public enum Outcome {
    SUCCESS,
    FAILURE,
    REJECTED,
    TIMEOUT,
    /** Deferred on purpose by the admission layer; not a failure of the tier. */
    THROTTLED;

    /** True for the outcomes that mean the tier could not serve the attempt. */
    public boolean isFailure() {
        return this == FAILURE || this == REJECTED || this == TIMEOUT;
    }
}
