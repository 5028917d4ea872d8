package io.stampede.plan;

/** What the scaling planner of one region remembers between buckets. */
public final class ScalingState {
    long lastEmitted = Long.MIN_VALUE;
    int lastDesiredNodes = -1;
    ScalingSignal.Direction lastDirection;
    /** Since when fewer nodes than the current ones would do, or MIN. */
    long lowSince = Long.MIN_VALUE;

    /** The node count of the last scale-down advised, until a scale-up is; 0 when none was. */
    int scaledDownTo;

    public int scaledDownTo() {
        return scaledDownTo;
    }
}
