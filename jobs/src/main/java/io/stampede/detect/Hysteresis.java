package io.stampede.detect;

/**
 * Turns a per-bucket condition into an alarm that does not flap: it becomes active only after the
 * condition has held for a while, and inactive only after it has been calm for a while. Between
 * "hot" and "calm" there is a band where the alarm keeps its state.
 */
public final class Hysteresis {

    public enum Transition {
        NONE,
        FIRED,
        RESOLVED
    }

    private boolean active;
    private long hotSince = Long.MIN_VALUE;
    private long calmSince = Long.MIN_VALUE;
    private long onset = Long.MIN_VALUE;
    private long endedAt = Long.MIN_VALUE;

    /**
     * @param bucketEnd end of the bucket just evaluated
     * @param hot the firing condition held in this bucket
     * @param calm the clearing condition held in this bucket
     * @param fireAfterMs how long the condition must hold before firing (one bucket fires at once)
     * @param clearAfterMs how long it must be calm before resolving
     */
    public Transition update(long bucketStart, long bucketEnd, boolean hot, boolean calm, long fireAfterMs,
            long clearAfterMs) {
        if (!active) {
            if (!hot) {
                hotSince = Long.MIN_VALUE;
                return Transition.NONE;
            }
            if (hotSince == Long.MIN_VALUE) {
                hotSince = bucketStart;
            }
            if (bucketEnd - hotSince >= fireAfterMs) {
                active = true;
                onset = hotSince;
                calmSince = Long.MIN_VALUE;
                return Transition.FIRED;
            }
            return Transition.NONE;
        }
        if (!calm) {
            calmSince = Long.MIN_VALUE;
            return Transition.NONE;
        }
        if (calmSince == Long.MIN_VALUE) {
            calmSince = bucketStart;
        }
        if (bucketEnd - calmSince >= clearAfterMs) {
            active = false;
            endedAt = calmSince;
            hotSince = Long.MIN_VALUE;
            return Transition.RESOLVED;
        }
        return Transition.NONE;
    }

    public boolean isActive() {
        return active;
    }

    /** True while the condition is building up or the alarm is active: the baseline should not learn from it. */
    public boolean isDisturbed() {
        return active || hotSince != Long.MIN_VALUE;
    }

    /** When the active (or last) episode began. */
    public long onset() {
        return onset;
    }

    /** When the last episode ended (the start of its calm stretch). */
    public long endedAt() {
        return endedAt;
    }
}
