package io.stampede.detect;

import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.plan.ScalingSignal;

/** Where a segment's detectors and planners put what they produce. */
public interface SegmentOutput {
    void alert(Alert alert);

    void directive(ThrottleDirective directive);

    void signal(ScalingSignal signal);

    void snapshot(SegmentSnapshot snapshot);
}
