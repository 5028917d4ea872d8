package io.stampede.topology;

import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.config.StampedeConfig;
import io.stampede.detect.BucketStats;
import io.stampede.detect.SegmentEngine;
import io.stampede.detect.SegmentOutput;
import io.stampede.detect.SegmentSnapshot;
import io.stampede.detect.SegmentState;
import io.stampede.plan.ScalingSignal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The per-segment stage, keyed by segment (region, or the fleet). It merges the partial bucket
 * counts of the parallel device stage and, when the watermark passes a bucket's end, lets the
 * {@link SegmentEngine} evaluate it. It keeps ticking bucket by bucket while data flows, so quiet
 * buckets are evaluated too, and stops after a stretch without data (and at the end of a bounded
 * input) instead of inventing empty buckets. Each bucket it evaluated goes to a side output as well
 * ({@link OutputTags#BUCKETS}), from which a backtest writes the counts it saw.
 */
public final class SegmentFunction extends KeyedProcessFunction<String, BucketStats, Alert> {

    /** Empty buckets evaluated after the last data, before the segment goes to sleep. */
    static final int IDLE_TICKS = 30;

    private final StampedeConfig config;
    private transient SegmentEngine engine;
    private transient ValueState<SegmentState> state;
    private transient MapState<Long, BucketStats> buckets;
    private transient StampedeMetrics.Regions metrics;

    public SegmentFunction(StampedeConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        engine = new SegmentEngine(config);
        state = getRuntimeContext().getState(StateNames.segmentDescriptor());
        buckets = getRuntimeContext().getMapState(StateNames.segmentBucketsDescriptor());
        metrics = new StampedeMetrics.Regions(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(BucketStats partial, Context ctx, Collector<Alert> out) throws Exception {
        BucketStats merged = buckets.get(partial.bucketStart);
        if (merged == null) {
            buckets.put(partial.bucketStart, partial);
        } else {
            merged.merge(partial);
            buckets.put(partial.bucketStart, merged);
        }
        ctx.timerService().registerEventTimeTimer(partial.bucketStart + engine.bucketMs() - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        long bucketStart = timestamp - engine.bucketMs() + 1;
        SegmentState s = state.value();
        if (s == null) {
            s = new SegmentState(ctx.getCurrentKey());
        }
        if (bucketStart <= s.lastBucket()) {
            return;
        }
        BucketStats b = buckets.get(bucketStart);
        boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        if (b == null) {
            if (endOfInput) {
                return;
            }
            b = new BucketStats(ctx.getCurrentKey(), bucketStart);
        } else {
            buckets.remove(bucketStart);
            s.noteData(bucketStart);
        }
        engine.onBucket(s, b, new Output(ctx, out, metrics));
        ctx.output(OutputTags.BUCKETS, b);
        state.update(s);
        if (!endOfInput && s.lastData() != Long.MIN_VALUE
                && bucketStart - s.lastData() < IDLE_TICKS * engine.bucketMs()) {
            ctx.timerService().registerEventTimeTimer(timestamp + engine.bucketMs());
        }
    }

    /** Routes the engine's products to the main output (alerts) and the side outputs, and to the region metrics. */
    private static final class Output implements SegmentOutput {
        private final OnTimerContext ctx;
        private final Collector<Alert> alerts;
        private final StampedeMetrics.Regions metrics;

        Output(OnTimerContext ctx, Collector<Alert> alerts, StampedeMetrics.Regions metrics) {
            this.ctx = ctx;
            this.alerts = alerts;
            this.metrics = metrics;
        }

        @Override
        public void alert(Alert alert) {
            alerts.collect(alert);
        }

        @Override
        public void directive(ThrottleDirective directive) {
            ctx.output(OutputTags.DIRECTIVES, directive);
        }

        @Override
        public void signal(ScalingSignal signal) {
            metrics.signal(signal);
            ctx.output(OutputTags.SIGNALS, signal);
        }

        @Override
        public void snapshot(SegmentSnapshot snapshot) {
            metrics.snapshot(snapshot);
            ctx.output(OutputTags.SNAPSHOTS, snapshot);
        }
    }
}
