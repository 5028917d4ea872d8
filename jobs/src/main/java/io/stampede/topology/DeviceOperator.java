package io.stampede.topology;

import io.stampede.config.StampedeConfig;
import io.stampede.detect.BucketAccumulator;
import io.stampede.detect.BucketStats;
import io.stampede.detect.DeviceState;
import io.stampede.detect.DeviceTracker;
import io.stampede.detect.Observation;
import io.stampede.detect.ObservationKind;
import io.stampede.detect.PairingSample;
import io.stampede.event.DeadLetter;
import io.stampede.event.DeadLetterCategory;
import io.stampede.event.DeadLetters;
import io.stampede.event.EventJson;
import io.stampede.event.EventJson.TimeForm;
import io.stampede.event.InputKind;
import io.stampede.event.LoginEvent;
import io.stampede.event.TelemetryEvent;
import io.stampede.event.TelemetryType;
import io.stampede.event.Timestamps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The per-device stage, keyed by device: telemetry and the first automatic logins of the devices in
 * the boot-pairing sample ({@link PairingSample}), which need a device's history (what needs none
 * is counted in the accept stage, {@link AcceptOperator}). It holds each
 * device's events until the watermark closes their bucket and then lets the {@link DeviceTracker}
 * apply them in event-time order, so
 * the result never depends on the order in which two topics or partitions happened to be read (a
 * replay equals the live run). Duplicates were dropped in the accept stage; the device's state keeps
 * no event ids (two copies held for the same bucket are still told apart here, as they are applied
 * side by side). What that yields is folded into per-segment bucket counts
 * ({@link BucketAccumulator}) held per parallel instance; when the watermark closes a bucket the
 * counts go downstream: a few records per segment and bucket instead of one per event.
 *
 * <p>A custom operator because the counts are flushed on watermarks, which a process function does
 * not see. An event the watermark has already passed is late: within {@code allowedLateness} it is
 * applied at once ({@link DeviceTracker#observeLate}: it updates its device and counts in the
 * earliest bucket still open); later than that it becomes a dead letter. A device not heard from
 * for {@code deviceStateTtl} is forgotten by an event-time timer.
 *
 * <p>Held events are kept by this instance, outside the device's keyed state ({@link #heldEvents}),
 * with an index of which devices hold events for which bucket ({@link #held}): an event that is
 * held costs no keyed-state lookup when it arrives, only when its bucket closes and the device's
 * events are applied together. Both are saved at a checkpoint as union list state, and each
 * instance keeps those of its own key groups on restore, so rescaling works as with keyed state.
 * A savepoint taken before this kept held events in the device's state ({@link DeviceState#waiting}),
 * and restored devices still have them there: they are applied with the others.
 */
public final class DeviceOperator extends AbstractStreamOperator<BucketStats>
        implements OneInputStreamOperator<Observation, BucketStats>, Triggerable<String, String> {

    /**
     * Timer namespaces: forgetting a silent device; applying held events (no longer registered,
     * still fired from a savepoint taken before the index of held devices).
     */
    static final String APPLY = "apply";
    static final String EXPIRY = "expiry";
    private static final java.util.Comparator<Observation> EVENT_ORDER =
            java.util.Comparator.comparingLong(Observation::eventTime).thenComparing(Observation::eventId);

    private final long bucketMs;
    private final boolean fleet;
    private final long maxBootToLoginMs;
    private final PairingSample sample;
    private final long ttlMs;
    private final long allowedLatenessMs;

    private transient DeviceTracker tracker;
    private transient BucketAccumulator accumulator;
    private transient ValueState<DeviceState> devices;
    private transient ListState<BucketStats> pendingState;
    private transient InternalTimerService<String> timers;
    /** Devices holding events, by the last millisecond of the bucket they wait for, earliest first. */
    private transient TreeMap<Long, Set<String>> held;
    /** The events held, by device, in arrival order; none are in the device's keyed state. */
    private transient Map<String, List<Observation>> heldEvents;
    private transient ListState<Tuple2<Long, String>> heldState;
    private transient ListState<Observation> heldEventsState;
    private transient long watermark;
    /**
     * Whether the state was restored: it may then hold timers of held events from a savepoint taken
     * before the index, which must still fire at the end of the input.
     */
    private transient boolean restored;
    private transient Counter duplicateLogins;
    private transient Counter duplicateTelemetry;
    private transient Counter lateLogins;
    private transient Counter lateTelemetry;
    private transient Counter lateAcceptedLogins;
    private transient Counter lateAcceptedTelemetry;
    private transient LongCounter totalDuplicates;
    private transient LongCounter totalLate;
    private transient LongCounter totalLateAccepted;

    /** Takes its settings from {@code config}, the durations converted to milliseconds once, here. */
    public DeviceOperator(StampedeConfig config) {
        StampedeConfig.Input in = config.input();
        this.bucketMs = config.detection().bucket().toMillis();
        this.fleet = config.detection().fleetSegment();
        this.maxBootToLoginMs = config.forecast().maxBootToLogin().toMillis();
        this.sample = new PairingSample(config.forecast().pairingSample());
        this.ttlMs = in.deviceStateTtl().toMillis();
        this.allowedLatenessMs = in.allowedLateness().toMillis();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        accumulator = new BucketAccumulator(bucketMs, fleet);
        pendingState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>(StateNames.PENDING_BUCKETS, TypeInformation.of(BucketStats.class)));
        held = new TreeMap<>();
        heldEvents = new HashMap<>();
        heldState = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>(StateNames.HELD_DEVICES,
                Types.TUPLE(Types.LONG, Types.STRING)));
        heldEventsState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>(StateNames.HELD_EVENTS, ObservationSerializer.TYPE));
        restored = context.isRestored();
        if (restored) {
            for (BucketStats partial : pendingState.get()) {
                accumulator.restore(partial);
            }
            // Every instance gets every instance's entries: it keeps those of its own key groups.
            TaskInfo task = getRuntimeContext().getTaskInfo();
            for (Tuple2<Long, String> e : heldState.get()) {
                if (ownKey(task, e.f1)) {
                    hold(e.f0, e.f1);
                }
            }
            for (Observation o : heldEventsState.get()) {
                if (ownKey(task, o.key())) {
                    hold(o);
                }
            }
        }
    }

    private static boolean ownKey(TaskInfo task, String key) {
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(key, task.getMaxNumberOfParallelSubtasks(),
                task.getNumberOfParallelSubtasks()) == task.getIndexOfThisSubtask();
    }

    @Override
    public void open() throws Exception {
        super.open();
        tracker = new DeviceTracker(maxBootToLoginMs, bucketMs, sample);
        devices = getPartitionedState(StateNames.deviceDescriptor());
        timers = getInternalTimerService(StateNames.DEVICE_TIMERS, StringSerializer.INSTANCE, this);
        watermark = Long.MIN_VALUE;
        duplicateLogins = StampedeMetrics.duplicates(getMetricGroup(), InputKind.LOGIN);
        duplicateTelemetry = StampedeMetrics.duplicates(getMetricGroup(), InputKind.TELEMETRY);
        lateLogins = StampedeMetrics.deadLetters(getMetricGroup(), InputKind.LOGIN, DeadLetterCategory.LATE);
        lateTelemetry = StampedeMetrics.deadLetters(getMetricGroup(), InputKind.TELEMETRY, DeadLetterCategory.LATE);
        totalDuplicates = getRuntimeContext().getLongCounter(Counters.DUPLICATES);
        totalLate = getRuntimeContext().getLongCounter(Counters.LATE);
        lateAcceptedLogins = StampedeMetrics.lateAccepted(getMetricGroup(), InputKind.LOGIN);
        lateAcceptedTelemetry = StampedeMetrics.lateAccepted(getMetricGroup(), InputKind.TELEMETRY);
        totalLateAccepted = getRuntimeContext().getLongCounter(Counters.LATE_ACCEPTED);
    }

    /**
     * Applies an order-free event at once; holds the others until the watermark passes their event
     * time (then {@link #onEventTime} applies the device's held events in event-time order). An
     * event the watermark has already passed is late: applied at once within the allowed
     * lateness, a dead letter beyond it.
     */
    @Override
    public void processElement(StreamRecord<Observation> element) throws Exception {
        Observation o = element.getValue();
        boolean late = o.eventTime() <= watermark;
        if (late && watermark - o.eventTime() > allowedLatenessMs) {
            (o.kind() == ObservationKind.LOGIN ? lateLogins : lateTelemetry).inc();
            totalLate.add(1L);
            output.collect(OutputTags.LATE_EVENTS, new StreamRecord<>(lateLetter(o), element.getTimestamp()));
            return;
        }
        if (!late && DeviceTracker.needsOrder(o, sample)) {
            // At the bucket's end, when the watermark closes it, the device's events up to then are
            // applied in event-time order; until then the device's state is not touched.
            hold(o);
            return;
        }
        DeviceState s = devices.value();
        if (s == null) {
            s = new DeviceState();
        }
        if (late) {
            (o.kind() == ObservationKind.LOGIN ? lateAcceptedLogins : lateAcceptedTelemetry).inc();
            totalLateAccepted.add(1L);
            // The device's held events the watermark has passed come first, as they would have had
            // each been applied the moment the watermark passed it.
            if (apply(s, o.key(), watermark, o)) {
                duplicate(o, watermark + 1);
            } else {
                tracker.observeLate(s, o, watermark, accumulator);
            }
        } else {
            tracker.observe(s, o, accumulator);
        }
        scheduleExpiry(s);
        devices.update(s);
    }

    /** Holds the event until the watermark closes its bucket. */
    private void hold(Observation o) {
        heldEvents.computeIfAbsent(o.key(), k -> new ArrayList<>(2)).add(o);
        hold(o.eventTime() - Math.floorMod(o.eventTime(), bucketMs) + bucketMs - 1, o.key());
    }

    private void hold(long bucketEnd, String key) {
        held.computeIfAbsent(bucketEnd, b -> new HashSet<>()).add(key);
    }

    /**
     * Applies the held events of every device waiting for a bucket the watermark has closed. The
     * order among devices does not matter: each changes only its own state and adds to the counts.
     */
    private void applyHeld(long upTo) throws Exception {
        while (!held.isEmpty() && held.firstKey() <= upTo) {
            Map.Entry<Long, Set<String>> due = held.pollFirstEntry();
            for (String key : due.getValue()) {
                setCurrentKey(key);
                DeviceState s = devices.value();
                if (s == null) {
                    if (!heldEvents.containsKey(key)) {
                        continue;
                    }
                    s = new DeviceState();
                }
                apply(s, key, due.getKey(), null);
                devices.update(s);
            }
        }
    }

    private void scheduleExpiry(DeviceState s) {
        if (s.expiryTimer == Long.MIN_VALUE && s.lastSeen != Long.MIN_VALUE) {
            s.expiryTimer = s.lastSeen + ttlMs;
            timers.registerEventTimeTimer(EXPIRY, s.expiryTimer);
        }
    }

    /**
     * Applies the held events and fires the due timers first, so the pairs and departures they
     * count land in the buckets this watermark closes (their own event time, not the moment the
     * watermark happened to arrive: that keeps a replay equal to the live run), then emits the
     * closed buckets, then forwards the watermark. A device's expiry timer comes after its held
     * events are applied; it looks at what the device last did, so that order changes nothing.
     */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        applyHeld(watermark);
        // At the end of a bounded input every device's expiry timer would fire, to count nothing
        // (see onEventTime): a million timers polled at the end of a backtest of a million devices.
        // A restored job still fires them: its timers may include held events from an older
        // savepoint (looking for those would walk every timer at each restore, slowing recovery).
        boolean endOfInput = watermark == Long.MAX_VALUE;
        if (getTimeServiceManager().isPresent() && (!endOfInput || restored)) {
            getTimeServiceManager().get().advanceWatermark(mark);
        }
        for (BucketStats closed : accumulator.flush(watermark)) {
            output.collect(new StreamRecord<>(closed, closed.bucketStart + bucketMs - 1));
        }
        output.emitWatermark(mark);
    }

    @Override
    public boolean useInterruptibleTimers() {
        return false;
    }

    @Override
    public void onEventTime(InternalTimer<String, String> timer) throws Exception {
        DeviceState s = devices.value();
        if (s == null) {
            return;
        }
        if (timer.getNamespace().equals(APPLY)) {
            apply(s, timer.getKey(), timer.getTimestamp(), null);
            devices.update(s);
            return;
        }
        long expiry = s.lastSeen + ttlMs;
        for (Observation o : s.waiting) {
            expiry = Math.max(expiry, o.eventTime() + ttlMs);
        }
        for (Observation o : heldEvents.getOrDefault(timer.getKey(), List.of())) {
            expiry = Math.max(expiry, o.eventTime() + ttlMs);
        }
        if (expiry > timer.getTimestamp()) {
            s.expiryTimer = expiry;
            timers.registerEventTimeTimer(EXPIRY, expiry);
            devices.update(s);
            return;
        }
        if (watermark != Long.MAX_VALUE) {
            // At the end of a bounded input every device would expire; that is not news.
            tracker.forget(s, timer.getTimestamp(), accumulator);
        }
        devices.clear();
    }

    /**
     * Applies the device's held events up to {@code upTo}, in event-time order (with those a savepoint
     * from before kept in its state). Of two copies of an event held together, the second is counted
     * as a duplicate: the accept stage could not tell them apart (an older savepoint's held event and
     * its repetition after the restore, or copies that came through two partitions).
     *
     * @param late a late event about to be applied, or null
     * @return whether one of the held events applied is a copy of {@code late}
     */
    private boolean apply(DeviceState s, String key, long upTo, Observation late) {
        List<Observation> mine = heldEvents.get(key);
        if (s.waiting.isEmpty() && mine == null) {
            return false;
        }
        List<Observation> due;
        if (mine != null && s.waiting.isEmpty() && allDue(mine, upTo)) {
            // The usual case: the device's events wait for this bucket only; its list is applied as it is.
            heldEvents.remove(key);
            due = mine;
        } else {
            due = new ArrayList<>();
            if (mine != null) {
                takeDue(mine, upTo, due);
                if (mine.isEmpty()) {
                    heldEvents.remove(key);
                }
            }
            if (!s.waiting.isEmpty()) {
                takeDue(s.waiting, upTo, due);
                s.released();
            }
        }
        if (due.size() > 1) {
            due.sort(EVENT_ORDER);
        }
        Observation before = null;
        boolean copyOfLate = false;
        for (Observation o : due) {
            if (before != null && sameEvent(before, o)) {
                duplicate(o, o.eventTime());
                continue;
            }
            tracker.observe(s, o, accumulator);
            copyOfLate |= late != null && sameEvent(o, late);
            before = o;
        }
        scheduleExpiry(s);
        return copyOfLate;
    }

    private static boolean sameEvent(Observation a, Observation b) {
        return a.eventTime() == b.eventTime() && a.eventId().equals(b.eventId());
    }

    private void duplicate(Observation o, long countedAt) {
        (o.kind() == ObservationKind.LOGIN ? duplicateLogins : duplicateTelemetry).inc();
        totalDuplicates.add(1L);
        accumulator.duplicate(o.region(), countedAt);
    }

    private static boolean allDue(List<Observation> events, long upTo) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).eventTime() > upTo) {
                return false;
            }
        }
        return true;
    }

    private static void takeDue(List<Observation> events, long upTo, List<Observation> due) {
        Iterator<Observation> it = events.iterator();
        while (it.hasNext()) {
            Observation o = it.next();
            if (o.eventTime() <= upTo) {
                due.add(o);
                it.remove();
            }
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, String> timer) {
        // Detection runs on event time only.
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        pendingState.update(accumulator.pending());
        List<Tuple2<Long, String>> entries = new ArrayList<>();
        held.forEach((bucketEnd, keys) -> keys.forEach(k -> entries.add(Tuple2.of(bucketEnd, k))));
        heldState.update(entries);
        List<Observation> events = new ArrayList<>();
        heldEvents.values().forEach(events::addAll);
        heldEventsState.update(events);
    }

    /**
     * The late event as its input contract writes it (the account id, personal data, was left
     * behind at the parse step and is not reconstructed).
     */
    static String asInput(Observation o) {
        if (o.kind() == ObservationKind.LOGIN) {
            return EventJson.login(new LoginEvent(o.eventId(), o.eventTime(), o.key(), null, o.region(), null,
                    o.trigger(), o.attempt(), o.outcome(), o.latencyMs(), o.platform(), o.osBuild(), o.clientVersion()),
                    TimeForm.RFC3339);
        }
        TelemetryType type = TelemetryType.valueOf(o.kind().name());
        TelemetryEvent e;
        if (o.kind() == ObservationKind.NODE_HEALTH) {
            int slash = o.key().indexOf('/');
            e = new TelemetryEvent(o.eventId(), o.eventTime(), type, null, o.region(), null, null, null, null, null,
                    null, o.key().substring(0, slash), o.key().substring(slash + 1), o.capacityPerSec(), o.inflight(),
                    o.cpu(), o.p99LatencyMs(), o.errorRate(), o.healthy());
        } else {
            e = new TelemetryEvent(o.eventId(), o.eventTime(), type, o.key(), o.region(), o.platform(), o.osBuild(),
                    o.clientVersion(), o.rebootReason(), o.updateId(),
                    o.kind() == ObservationKind.UPDATE_INSTALLED ? o.rebootRequired() : null, null, null, -1, -1, -1,
                    -1, -1, null);
        }
        return EventJson.telemetry(e, TimeForm.RFC3339);
    }

    private static DeadLetter lateLetter(Observation o) {
        InputKind kind = o.kind() == ObservationKind.LOGIN ? InputKind.LOGIN : InputKind.TELEMETRY;
        return DeadLetters.late(kind, o.eventId(), o.eventTime(), asInput(o),
                "late: event time " + Timestamps.format(o.eventTime())
                        + " is behind the watermark by more than input.allowedLateness; it was not counted");
    }
}
