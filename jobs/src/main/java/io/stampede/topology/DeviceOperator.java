package io.stampede.topology;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stampede.detect.BucketAccumulator;
import io.stampede.detect.BucketStats;
import io.stampede.detect.DeviceState;
import io.stampede.detect.DeviceTracker;
import io.stampede.detect.Observation;
import io.stampede.detect.ObservationKind;
import io.stampede.event.DeadLetter;
import io.stampede.event.DeadLetters;
import io.stampede.event.InputKind;
import io.stampede.event.Timestamps;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The per-device stage, keyed by device (or auth node). For each observation it lets the
 * {@link DeviceTracker} update the device's state, and folds what that yields into per-segment
 * bucket counts ({@link BucketAccumulator}) held per parallel instance. When the watermark closes
 * a bucket the counts go downstream: a few records per segment and bucket instead of one per event.
 *
 * <p>A custom operator because the counts are flushed on watermarks, which a process function does
 * not see. Events whose bucket has already been flushed are late and become dead letters; a device
 * not heard from for {@code deviceStateTtl} is forgotten by an event-time timer.
 */
public final class DeviceOperator extends AbstractStreamOperator<BucketStats>
        implements OneInputStreamOperator<Observation, BucketStats>, Triggerable<String, VoidNamespace> {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final long bucketMs;
    private final boolean fleet;
    private final long dedupWindowMs;
    private final long maxBootToLoginMs;
    private final long ttlMs;

    private transient DeviceTracker tracker;
    private transient BucketAccumulator accumulator;
    private transient ValueState<DeviceState> devices;
    private transient ListState<BucketStats> pendingState;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient long watermark;
    private transient Counter duplicates;
    private transient Counter late;
    private transient LongCounter totalDuplicates;
    private transient LongCounter totalLate;

    public DeviceOperator(long bucketMs, boolean fleet, long dedupWindowMs, long maxBootToLoginMs, long ttlMs) {
        this.bucketMs = bucketMs;
        this.fleet = fleet;
        this.dedupWindowMs = dedupWindowMs;
        this.maxBootToLoginMs = maxBootToLoginMs;
        this.ttlMs = ttlMs;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        accumulator = new BucketAccumulator(bucketMs, fleet);
        pendingState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>(StateNames.PENDING_BUCKETS, TypeInformation.of(BucketStats.class)));
        if (context.isRestored()) {
            for (BucketStats partial : pendingState.get()) {
                accumulator.restore(partial);
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        tracker = new DeviceTracker(dedupWindowMs, maxBootToLoginMs, bucketMs);
        devices = getPartitionedState(StateNames.deviceDescriptor());
        timers = getInternalTimerService(StateNames.DEVICE_EXPIRY_TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        watermark = Long.MIN_VALUE;
        duplicates = getMetricGroup().counter("duplicates");
        late = getMetricGroup().counter("lateEvents");
        totalDuplicates = getRuntimeContext().getLongCounter(Counters.DUPLICATES);
        totalLate = getRuntimeContext().getLongCounter(Counters.LATE);
    }

    @Override
    public void processElement(StreamRecord<Observation> element) throws Exception {
        Observation o = element.getValue();
        if (!accumulator.isOpen(o.eventTime(), watermark)) {
            late.inc();
            totalLate.add(1L);
            output.collect(OutputTags.LATE_EVENTS, new StreamRecord<>(lateLetter(o), element.getTimestamp()));
            return;
        }
        DeviceState s = devices.value();
        if (s == null) {
            s = new DeviceState();
        }
        if (tracker.observe(s, o, accumulator)) {
            long expiry = s.lastSeen + ttlMs;
            if (s.expiryTimer == Long.MIN_VALUE) {
                s.expiryTimer = expiry;
                timers.registerEventTimeTimer(VoidNamespace.INSTANCE, expiry);
            }
        } else {
            duplicates.inc();
            totalDuplicates.add(1L);
        }
        devices.update(s);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        for (BucketStats closed : accumulator.flush(watermark)) {
            output.collect(new StreamRecord<>(closed, closed.bucketStart + bucketMs - 1));
        }
        super.processWatermark(mark);
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        DeviceState s = devices.value();
        if (s == null) {
            return;
        }
        long expiry = s.lastSeen + ttlMs;
        if (expiry > timer.getTimestamp()) {
            s.expiryTimer = expiry;
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, expiry);
            devices.update(s);
            return;
        }
        if (watermark != Long.MAX_VALUE) {
            // Count the departure in the first bucket that is still open.
            tracker.forget(s, Math.max(timer.getTimestamp(), watermark + 1), accumulator);
        }
        devices.clear();
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        // Detection runs on event time only.
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        pendingState.update(accumulator.pending());
    }

    private static DeadLetter lateLetter(Observation o) throws Exception {
        InputKind kind = o.kind() == ObservationKind.LOGIN ? InputKind.LOGIN : InputKind.TELEMETRY;
        return DeadLetters.late(kind, o.eventId(), o.eventTime(), JSON.writeValueAsString(o),
                "late: event time " + Timestamps.format(o.eventTime())
                        + " is behind the watermark by more than input.outOfOrderness allows; its window was closed");
    }
}
