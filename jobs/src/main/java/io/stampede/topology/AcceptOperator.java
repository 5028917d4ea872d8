package io.stampede.topology;

import io.stampede.config.StampedeConfig;
import io.stampede.detect.AttemptClasses;
import io.stampede.detect.BucketAccumulator;
import io.stampede.detect.BucketStats;
import io.stampede.detect.NodeSample;
import io.stampede.detect.Observation;
import io.stampede.detect.ObservationKind;
import io.stampede.detect.PairingSample;
import io.stampede.detect.RecentIds;
import io.stampede.event.DeadLetter;
import io.stampede.event.DeadLetterCategory;
import io.stampede.event.DeadLetters;
import io.stampede.event.Envelope;
import io.stampede.event.InputKind;
import io.stampede.event.LoginEvent;
import io.stampede.event.PersonalData;
import io.stampede.event.Timestamps;
import io.stampede.event.Trigger;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right after each source, chained to it: turns accepted events into {@link Observation}s (leaving
 * personal data behind) and counts every event that needs no device's history where it was parsed,
 * so that most events never cross the network.
 *
 * <ul>
 *   <li>Duplicates of every event are dropped here, with a set of recent event ids held per parallel
 *       instance ({@link RecentIds}), and counted: so the device stage keeps no ids per device, and
 *       a duplicate never crosses the network.
 *   <li>Logins other than a sampled device's first automatic attempt (token refreshes, interactive
 *       logins, retries, and the first automatic attempts of the devices outside the boot-pairing
 *       sample, {@link PairingSample}) and node health are order-free for counting: they are folded
 *       into per-segment bucket counts ({@link BucketAccumulator}) that go to the segment stage
 *       when the watermark closes the bucket (side output {@link OutputTags#COUNTS}).
 *   <li>Every device is counted in the bucket's sketch of distinct devices (the census).
 *   <li>The rest (telemetry, and the sampled devices' first automatic logins, which pair with
 *       boots) go on to the device stage, keyed by device
 *       ({@link io.stampede.detect.DeviceTracker#needsOrder}).
 * </ul>
 *
 * <p>An event the watermark of this instance has passed by more than {@code allowedLateness} is a
 * dead letter here, whatever its kind; a late one within it is counted in the earliest bucket still
 * open. Dead letters leave with their personal values replaced, so the refused record in clear never
 * crosses the network or reaches a checkpoint.
 */
public final class AcceptOperator extends AbstractStreamOperator<Observation>
        implements OneInputStreamOperator<Envelope, Observation> {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptOperator.class);
    private static final long IMPLAUSIBLE_WARNING_EVERY_MILLIS = 600_000;
    private static final long TOO_LATE = Long.MIN_VALUE;

    private final PersonalData personalData;
    private final long bucketMs;
    private final boolean fleet;
    private final long dedupWindowMs;
    private final long allowedLatenessMs;
    private final PairingSample sample;

    private transient BucketAccumulator accumulator;
    private transient RecentIds recentIds;
    private transient ListState<BucketStats> pendingState;
    private transient ListState<RecentIds.Snapshot> idsState;
    private transient long watermark;

    private transient Counter acceptedLogins;
    private transient Counter acceptedTelemetry;
    private transient Map<InputKind, Map<DeadLetterCategory, Counter>> refused;
    private transient LongCounter totalLogins;
    private transient LongCounter totalTelemetry;
    private transient Map<InputKind, Map<DeadLetterCategory, LongCounter>> totalRefused;
    private transient Counter duplicateLogins;
    private transient Counter duplicateTelemetry;
    private transient Counter lateAcceptedLogins;
    private transient Counter lateAcceptedTelemetry;
    private transient LongCounter totalDuplicates;
    private transient LongCounter totalLate;
    private transient LongCounter totalLateAccepted;
    private transient long aheadBound;
    private transient long implausible;
    private transient long lastImplausibleWarning;
    private transient LongMinimum firstEventTime;
    private transient LongMaximum lastEventTime;

    public AcceptOperator(PersonalData personalData, StampedeConfig config) {
        this.personalData = personalData;
        this.bucketMs = config.detection().bucket().toMillis();
        this.fleet = config.detection().fleetSegment();
        this.dedupWindowMs = config.input().dedupWindow().toMillis();
        this.allowedLatenessMs = config.input().allowedLateness().toMillis();
        this.sample = new PairingSample(config.forecast().pairingSample());
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        accumulator = new BucketAccumulator(bucketMs, fleet);
        recentIds = new RecentIds(dedupWindowMs);
        pendingState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>(StateNames.ACCEPT_PENDING_BUCKETS, TypeInformation.of(BucketStats.class)));
        idsState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>(StateNames.RECENT_IDS, TypeInformation.of(RecentIds.Snapshot.class)));
        if (context.isRestored()) {
            for (BucketStats partial : pendingState.get()) {
                accumulator.restore(partial);
            }
            for (RecentIds.Snapshot ids : idsState.get()) {
                recentIds.addAll(ids);
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        watermark = Long.MIN_VALUE;
        MetricGroup root = getMetricGroup();
        acceptedLogins = StampedeMetrics.inputEvents(root, InputKind.LOGIN);
        acceptedTelemetry = StampedeMetrics.inputEvents(root, InputKind.TELEMETRY);
        totalLogins = getRuntimeContext().getLongCounter(Counters.accepted(InputKind.LOGIN.streamName()));
        totalTelemetry = getRuntimeContext().getLongCounter(Counters.accepted(InputKind.TELEMETRY.streamName()));
        duplicateLogins = StampedeMetrics.duplicates(root, InputKind.LOGIN);
        duplicateTelemetry = StampedeMetrics.duplicates(root, InputKind.TELEMETRY);
        lateAcceptedLogins = StampedeMetrics.lateAccepted(root, InputKind.LOGIN);
        lateAcceptedTelemetry = StampedeMetrics.lateAccepted(root, InputKind.TELEMETRY);
        totalDuplicates = getRuntimeContext().getLongCounter(Counters.DUPLICATES);
        totalLate = getRuntimeContext().getLongCounter(Counters.LATE);
        totalLateAccepted = getRuntimeContext().getLongCounter(Counters.LATE_ACCEPTED);
        aheadBound = System.currentTimeMillis() + Timestamps.IMPLAUSIBLY_AHEAD_MILLIS;
        lastImplausibleWarning = Long.MIN_VALUE / 2;
        firstEventTime = new LongMinimum();
        lastEventTime = new LongMaximum();
        getRuntimeContext().addAccumulator(Counters.FIRST_EVENT_TIME, firstEventTime);
        getRuntimeContext().addAccumulator(Counters.LAST_EVENT_TIME, lastEventTime);
        refused = new EnumMap<>(InputKind.class);
        totalRefused = new EnumMap<>(InputKind.class);
        for (InputKind kind : InputKind.values()) {
            Map<DeadLetterCategory, Counter> byReason = new EnumMap<>(DeadLetterCategory.class);
            Map<DeadLetterCategory, LongCounter> totals = new EnumMap<>(DeadLetterCategory.class);
            for (DeadLetterCategory c : DeadLetterCategory.values()) {
                byReason.put(c, StampedeMetrics.deadLetters(root, kind, c));
                totals.put(c, getRuntimeContext().getLongCounter(Counters.deadLetters(kind.streamName(), c.name())));
            }
            refused.put(kind, byReason);
            totalRefused.put(kind, totals);
        }
    }

    @Override
    public void processElement(StreamRecord<Envelope> element) {
        Envelope e = element.getValue();
        LoginEvent login = e.login();
        if (login != null) {
            acceptedLogins.inc();
            totalLogins.add(1L);
            if (login.trigger() == Trigger.AUTO && login.attempt() == 1 && sample.contains(login.deviceId())) {
                accept(Observation.of(login), element);
            } else {
                countLogin(login, element);
            }
        } else if (e.telemetry() != null) {
            acceptedTelemetry.inc();
            totalTelemetry.add(1L);
            accept(Observation.of(e.telemetry()), element);
        } else {
            InputKind kind = InputKind.LOGIN.streamName().equals(e.deadLetter().input()) ? InputKind.LOGIN
                    : InputKind.TELEMETRY;
            refused(kind, e.deadLetter(), element.getTimestamp());
        }
    }

    /**
     * Where a login that needs no device's history is counted: the path most events take, so it
     * makes no observation of the event (unless it is too late and becomes a dead letter).
     */
    private void countLogin(LoginEvent login, StreamRecord<Envelope> element) {
        long counted = countedAt(login.eventTime());
        if (counted == TOO_LATE) {
            late(Observation.of(login), element);
            return;
        }
        accumulator.heard(login.region(), counted, login.deviceId());
        if (counted != login.eventTime()) {
            lateAcceptedLogins.inc();
            totalLateAccepted.add(1L);
        }
        if (!recentIds.add(login.eventId())) {
            duplicate(true, login.region(), counted);
        } else {
            accumulator.login(login.region(), counted, AttemptClasses.of(login.trigger(), login.attempt()),
                    login.outcome(), login.latencyMs());
        }
    }

    /**
     * Telemetry and the sampled devices' first automatic logins: node health is counted here, the
     * rest goes to the device
     * stage unless it is a duplicate.
     */
    private void accept(Observation o, StreamRecord<Envelope> element) {
        long counted = countedAt(o.eventTime());
        if (counted == TOO_LATE) {
            late(o, element);
            return;
        }
        boolean login = o.kind() == ObservationKind.LOGIN;
        if (o.kind() != ObservationKind.NODE_HEALTH) {
            accumulator.heard(o.region(), counted, o.key());
            if (recentIds.add(o.eventId())) {
                // The device stage counts it late or not by its own watermark.
                output.collect(element.replace(o));
            } else {
                duplicate(login, o.region(), counted);
            }
            return;
        }
        if (counted != o.eventTime()) {
            lateAcceptedTelemetry.inc();
            totalLateAccepted.add(1L);
        }
        if (!recentIds.add(o.eventId())) {
            duplicate(false, o.region(), counted);
        } else {
            accumulator.node(o.region(), counted, new NodeSample(o.key(), counted, o.capacityPerSec(), o.inflight(),
                    o.cpu(), o.p99LatencyMs(), o.errorRate(), o.healthy()));
        }
    }

    private void duplicate(boolean login, String region, long counted) {
        (login ? duplicateLogins : duplicateTelemetry).inc();
        totalDuplicates.add(1L);
        accumulator.duplicate(region, counted);
    }

    /**
     * The event time an event is counted at: its own, or for one the watermark has passed the
     * earliest bucket still open (no closed bucket ever changes); {@link #TOO_LATE} beyond the
     * allowed lateness.
     */
    private long countedAt(long t) {
        firstEventTime.add(t);
        lastEventTime.add(t);
        if (t < Timestamps.IMPLAUSIBLY_EARLY || t > aheadBound) {
            checkPlausible(t);
        }
        if (t > watermark) {
            return t;
        }
        return watermark - t > allowedLatenessMs ? TOO_LATE : watermark + 1;
    }

    private void late(Observation o, StreamRecord<Envelope> element) {
        // Counted apart from the letters the parse step refused (the summary's "late").
        totalLate.add(1L);
        refused.get(o.kind() == ObservationKind.LOGIN ? InputKind.LOGIN : InputKind.TELEMETRY)
                .get(DeadLetterCategory.LATE).inc();
        output.collect(OutputTags.DEAD_LETTERS, new StreamRecord<>(personalData.protect(lateLetter(o)),
                element.getTimestamp()));
    }

    private void refused(InputKind kind, DeadLetter letter, long timestamp) {
        refused.get(kind).get(letter.category()).inc();
        totalRefused.get(kind).get(letter.category()).add(1L);
        output.collect(OutputTags.DEAD_LETTERS, new StreamRecord<>(personalData.protect(letter), timestamp));
    }

    /** Emits the buckets the watermark closed before passing the watermark on. */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        recentIds.advance(watermark);
        List<BucketStats> closed = accumulator.flush(watermark);
        for (BucketStats b : closed) {
            output.collect(OutputTags.COUNTS, new StreamRecord<>(b, b.bucketStart + bucketMs - 1));
        }
        super.processWatermark(mark);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        pendingState.update(accumulator.pending());
        idsState.update(List.of(recentIds.snapshot()));
    }

    /**
     * Says in the log, at most every ten minutes, that event times look wrong (the wall clock is
     * only read here, for the message: detection runs on event time whatever this finds).
     */
    private void checkPlausible(long t) {
        long now = System.currentTimeMillis();
        aheadBound = now + Timestamps.IMPLAUSIBLY_AHEAD_MILLIS;
        if (t >= Timestamps.IMPLAUSIBLY_EARLY && t <= aheadBound) {
            return;
        }
        implausible++;
        if (now - lastImplausibleWarning >= IMPLAUSIBLE_WARNING_EVERY_MILLIS) {
            lastImplausibleWarning = now;
            LOG.warn("{} accepted event(s) with implausible event times, the latest at {} ({}); detection follows "
                    + "event time, so check the producers: are epoch seconds given where eventTime expects epoch "
                    + "milliseconds, or is a clock wrong? (said at most every 10 minutes)", implausible,
                    Timestamps.format(t), t < Timestamps.IMPLAUSIBLY_EARLY ? "before the year 2000"
                            : "more than a day after now");
            implausible = 0;
        }
    }

    /**
     * A late event's dead letter: the event as its input contract writes it (the account id,
     * personal data, was left behind at the parse step and is not reconstructed).
     */
    static DeadLetter lateLetter(Observation o) {
        InputKind kind = o.kind() == ObservationKind.LOGIN ? InputKind.LOGIN : InputKind.TELEMETRY;
        return DeadLetters.late(kind, o.eventId(), o.eventTime(), DeviceOperator.asInput(o),
                "late: event time " + Timestamps.format(o.eventTime())
                        + " is behind the watermark by more than input.allowedLateness; it was not counted");
    }
}
