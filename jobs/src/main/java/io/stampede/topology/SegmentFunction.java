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
import io.stampede.control.Control;
import io.stampede.control.ControlBook;
import io.stampede.control.ControlReader;
import io.stampede.control.ControlUpdate;
import io.stampede.control.InForce;
import io.stampede.control.ControlJson;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-segment stage, keyed by segment (region, or the fleet). It merges the partial bucket
 * counts of the parallel device stage and, when the watermark passes a bucket's end, lets the
 * {@link SegmentEngine} evaluate it. It keeps ticking bucket by bucket while data flows, so quiet
 * buckets are evaluated too, and stops after a stretch without data (and at the end of a bounded
 * input) instead of inventing empty buckets. Each bucket it evaluated goes to a side output as well
 * ({@link OutputTags#BUCKETS}), from which a backtest writes the counts it saw.
 *
 * <p>The checked controls reach every instance as broadcast state. A bucket is judged with the
 * controls in force at its end in event time, and a region with settings of its own (the
 * configuration's {@code regions:}, or a SETTINGS control) by an engine built from them. Controls
 * that come into force or stop are logged and counted when a segment first sees them do so.
 */
public final class SegmentFunction extends KeyedBroadcastProcessFunction<String, BucketStats, ControlUpdate, Alert> {

    /** Empty buckets evaluated after the last data, before the segment goes to sleep. */
    static final int IDLE_TICKS = 30;

    /** The known controls, by id, as their JSON (the same on every instance). */
    static final MapStateDescriptor<String, String> CONTROLS =
            new MapStateDescriptor<>("controls", Types.STRING, Types.STRING);

    private static final Logger LOG = LoggerFactory.getLogger(SegmentFunction.class);

    private final StampedeConfig config;
    private transient SegmentEngine engine;
    private transient Map<String, SegmentEngine> engines;
    private transient ControlBook book;
    private transient ValueState<SegmentState> state;
    private transient MapState<Long, BucketStats> buckets;
    private transient StampedeMetrics.Regions metrics;
    private transient Counter[] controlChanges;

    public SegmentFunction(StampedeConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        engine = new SegmentEngine(config);
        engines = new HashMap<>();
        state = getRuntimeContext().getState(StateNames.segmentDescriptor());
        buckets = getRuntimeContext().getMapState(StateNames.segmentBucketsDescriptor());
        metrics = new StampedeMetrics.Regions(getRuntimeContext().getMetricGroup());
        controlChanges = StampedeMetrics.controlChanges(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processBroadcastElement(ControlUpdate update, Context ctx, Collector<Alert> out) throws Exception {
        BroadcastState<String, String> known = ctx.getBroadcastState(CONTROLS);
        if (update.json() == null) {
            known.remove(update.controlId());
        } else {
            known.put(update.controlId(), update.json());
        }
        book = null;
        engines.clear();
    }

    @Override
    public void processElement(BucketStats partial, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
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
        InForce controls = book(ctx.getBroadcastState(CONTROLS)).at(s.segment(), bucketStart + engine.bucketMs());
        noteChanges(s, controls, bucketStart + engine.bucketMs());
        engineFor(s.segment(), controls.settings()).onBucket(s, b, new Output(ctx, out, metrics), controls);
        ctx.output(OutputTags.BUCKETS, b);
        state.update(s);
        if (!endOfInput && s.lastData() != Long.MIN_VALUE
                && bucketStart - s.lastData() < IDLE_TICKS * engine.bucketMs()) {
            ctx.timerService().registerEventTimeTimer(timestamp + engine.bucketMs());
        }
    }

    private ControlBook book(ReadOnlyBroadcastState<String, String> known) throws Exception {
        if (book == null) {
            ControlBook b = new ControlBook();
            for (Map.Entry<String, String> e : known.immutableEntries()) {
                b.put(ControlJson.read(e.getValue()));
            }
            book = b;
        }
        return book;
    }

    /** The engine for a segment's own settings; the shared one where it has none. */
    private SegmentEngine engineFor(String segment, Control settings) {
        if (settings == null && !config.regions().containsKey(segment)) {
            return engine;
        }
        String key = segment + (settings == null ? "" : "|" + ControlJson.write(settings));
        return engines.computeIfAbsent(key, k -> settings == null
                ? new SegmentEngine(ControlReader.regionConfig(config, segment), "config:" + segment)
                : new SegmentEngine(new ControlReader(config).settingsOf(settings), settings.controlId()));
    }

    /** Logs and counts the controls that came into force in the segment, and those that stopped. */
    private void noteChanges(SegmentState s, InForce controls, long at) {
        List<String> now = controls.ids();
        List<String> before = s.controlsInForce();
        if (now.equals(before)) {
            return;
        }
        for (String id : now) {
            if (!before.contains(id)) {
                controlChanges[0].inc();
                LOG.info("{}: control {} in force from {}", s.segment(), id, io.stampede.event.Timestamps.format(at));
            }
        }
        for (String id : before) {
            if (!now.contains(id)) {
                controlChanges[1].inc();
                LOG.info("{}: control {} no longer in force from {}", s.segment(), id,
                        io.stampede.event.Timestamps.format(at));
            }
        }
        s.controlsInForce(now);
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
