package io.stampede.detect;

import io.stampede.alert.AlertContent;
import io.stampede.alert.AlertType;
import io.stampede.alert.Severity;

/**
 * One detector of a segment: its rule (when the condition is hot, when calm), what it learns
 * from each bucket, and what its alert says. It reads a {@link ClosedBucket} and the segment's
 * shared models in {@link SegmentState}; its own state lives there too, under its name. The
 * lifecycle around it (hysteresis, FIRED, updates, RESOLVED, incidents) is {@link Lifecycle}'s,
 * the same for every detector.
 */
public interface Detector {

    /** Buckets a condition must hold before its alert fires, unless it is steep: one hot bucket may be noise. */
    int HOLD_BUCKETS = 2;

    AlertType type();

    /**
     * Judges one closed bucket. A detector whose rule compares with something it learns only
     * outside its episodes learns it here, before the episode moves.
     */
    Condition judge(SegmentState s, ClosedBucket b);

    /** Learns from the bucket after its episode moved (baselines learn only while undisturbed). */
    default void learn(SegmentState s, ClosedBucket b, Step step) {}

    /** What the alert says now; asked while the episode is active, and when it fires or resolves. */
    Finding report(SegmentState s, ClosedBucket b, Condition c, Step step);

    /**
     * @param score how far the bucket is from normal, as the alert's evidence shows it
     * @param hot the firing condition holds in this bucket
     * @param calm the clearing condition holds
     * @param ongoing an active alert is still worth updating (when not, it waits, quiet)
     * @param fireAfterMs how long hot must last before the alert fires
     * @param clearAfterMs how long calm must last before it resolves
     */
    record Condition(double score, boolean hot, boolean calm, boolean ongoing, long fireAfterMs, long clearAfterMs) {}

    /** How the detector's episode moved in this bucket. */
    record Step(Hysteresis.Transition transition, boolean wasDisturbed, boolean disturbed) {

        public boolean fired() {
            return transition == Hysteresis.Transition.FIRED;
        }

        public boolean resolved() {
            return transition == Hysteresis.Transition.RESOLVED;
        }
    }

    record Finding(Severity severity, AlertContent content) {}
}
