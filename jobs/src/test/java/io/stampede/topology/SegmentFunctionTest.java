package io.stampede.topology;

import static io.stampede.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.Fixtures;
import io.stampede.alert.Alert;
import io.stampede.detect.BucketStats;
import io.stampede.detect.SegmentSnapshot;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import io.stampede.control.ControlUpdate;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SegmentFunctionTest {

    private static final long BUCKET = 10_000;
    private KeyedBroadcastOperatorTestHarness<String, BucketStats, ControlUpdate, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new SegmentFunction(Fixtures.config()),
                b -> b.segment, Types.STRING, SegmentFunction.CONTROLS);
        // No controls: their input has ended, as a bounded control file's does before any bucket.
        harness.processBroadcastWatermark(new Watermark(Long.MAX_VALUE));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static BucketStats partial(long bucket, long logins) {
        BucketStats b = new BucketStats("eu", bucket);
        b.logins[0] = logins;
        return b;
    }

    private List<SegmentSnapshot> snapshots() {
        return harness.getSideOutput(OutputTags.SNAPSHOTS).stream().map(StreamRecord::getValue)
                .collect(Collectors.toList());
    }

    @Test
    void mergesThePartialCountsOfABucketBeforeEvaluatingIt() throws Exception {
        harness.processElement(new StreamRecord<>(partial(T0, 30), T0 + BUCKET - 1));
        harness.processElement(new StreamRecord<>(partial(T0, 20), T0 + BUCKET - 1));
        harness.processWatermark(new Watermark(T0 + BUCKET - 1));
        assertThat(snapshots()).hasSize(1);
        assertThat(snapshots().get(0).attemptsPerSec()).isEqualTo(5.0);
        assertThat(((org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>)
                ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) harness.getOperator())
                        .getKeyedStateBackend()).numKeyValueStateEntries()).as("only the segment's own state is left").isEqualTo(1);
    }

    @Test
    void passesOnEachBucketItEvaluatedWithItsPartialCountsMerged() throws Exception {
        harness.processElement(new StreamRecord<>(partial(T0, 30), T0 + BUCKET - 1));
        harness.processElement(new StreamRecord<>(partial(T0, 20), T0 + BUCKET - 1));
        harness.processWatermark(new Watermark(T0 + 2 * BUCKET - 1));
        assertThat(harness.getSideOutput(OutputTags.BUCKETS)).extracting(r -> r.getValue().bucketStart + " "
                + r.getValue().totalLogins()).containsExactly(T0 + " 50", (T0 + BUCKET) + " 0");
    }

    @Test
    void evaluatesQuietBucketsAndStopsTickingAfterAStretchWithoutData() throws Exception {
        harness.processElement(new StreamRecord<>(partial(T0, 30), T0 + BUCKET - 1));
        harness.processWatermark(new Watermark(T0 + 5 * BUCKET));
        assertThat(snapshots()).hasSize(5);
        assertThat(snapshots().get(4).attemptsPerSec()).isZero();
        harness.processWatermark(new Watermark(T0 + (SegmentFunction.IDLE_TICKS + 10) * BUCKET));
        assertThat(snapshots()).as("the bucket with data and the quiet ones after it").hasSize(SegmentFunction.IDLE_TICKS + 1);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void atTheEndOfABoundedInputInventsNoEmptyBuckets() throws Exception {
        harness.processElement(new StreamRecord<>(partial(T0, 30), T0 + BUCKET - 1));
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(snapshots()).hasSize(1);
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
