package io.stampede.topology;

import io.stampede.admission.ThrottleDirective;
import io.stampede.detect.BucketStats;
import io.stampede.detect.SegmentSnapshot;
import io.stampede.event.DeadLetter;
import io.stampede.plan.ScalingSignal;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** Every side output of the job, in one place. */
public final class OutputTags {

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
    public static final OutputTag<DeadLetter> LATE_EVENTS =
            new OutputTag<>("late-events", TypeInformation.of(DeadLetter.class));
    public static final OutputTag<ThrottleDirective> DIRECTIVES =
            new OutputTag<>("throttle-directives", TypeInformation.of(ThrottleDirective.class));
    public static final OutputTag<ScalingSignal> SIGNALS =
            new OutputTag<>("scaling-signals", TypeInformation.of(ScalingSignal.class));
    public static final OutputTag<SegmentSnapshot> SNAPSHOTS =
            new OutputTag<>("segment-snapshots", TypeInformation.of(SegmentSnapshot.class));
    /** Partial bucket counts of what the accept stage counted itself, for the segment stage. */
    public static final OutputTag<BucketStats> COUNTS =
            new OutputTag<>("accept-counts", TypeInformation.of(BucketStats.class));
    /** Each bucket the segment stage evaluated, its partial counts merged: what a backtest writes as counts. */
    public static final OutputTag<BucketStats> BUCKETS =
            new OutputTag<>("buckets", TypeInformation.of(BucketStats.class));

    private OutputTags() {}
}
