package io.stampede.topology;

import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.config.StampedeConfig;
import io.stampede.control.ControlRecord;
import io.stampede.control.ControlUpdate;
import io.stampede.detect.BucketStats;
import io.stampede.detect.Observation;
import io.stampede.detect.SegmentSnapshot;
import io.stampede.event.DeadLetter;
import io.stampede.event.Envelope;
import io.stampede.event.PersonalData;
import io.stampede.plan.ScalingSignal;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The one topology every mode runs: {@code demo}, {@code backtest} and {@code run} differ only in
 * the sources they plug in and the sinks they attach to the returned streams.
 *
 * <pre>
 *   input ─accept─┐  order-free events (most logins, node health) and the
 *   input ─accept─┤  census sketch: per-bucket counts ──────┐                   ┌─▶ alerts ─▶ correlate (1) ─▶ alerts
 *                 ├─▶ keyBy device ─▶ devices ───────────┴─▶ keyBy segment ─▶ segments ─┼─▶ throttle directives
 *                 │    (telemetry, first automatic logins:      (detect, forecast,    ├─▶ scaling signals
 *                 │     dedup, boots, armed pool, attributes;    plan)                ├─▶ segment snapshots
 *                 │     per-bucket counts)                                            └─▶ evaluated buckets
 *                 └─▶ dead letters (refused by the parse step, or late)
 *   controls ─check (1)─▶ broadcast to every segment ─┘ (refused controls are dead letters too)
 * </pre>
 *
 * <p>A backtest of counts enters at the segment stage ({@link #fromBuckets}): the same segments
 * and correlator over buckets read from a file instead of counted from events.
 */
public final class StampedeTopology {

    private StampedeTopology() {}

    /**
     * What the topology produces.
     *
     * @param buckets each bucket the segment stage evaluated, per segment in time order
     */
    public record Outputs(
            DataStream<Alert> alerts,
            DataStream<ThrottleDirective> directives,
            DataStream<ScalingSignal> signals,
            DataStream<DeadLetter> deadLetters,
            DataStream<SegmentSnapshot> snapshots,
            DataStream<BucketStats> buckets) {}

    /**
     * The watermark strategy sources must use (in {@code env.fromSource}, so watermarks are
     * generated per partition or split): bounded out-of-orderness advancing with the events (see
     * {@link EventTimeWatermarks}) and idleness from the configuration, event time from the parsed
     * event.
     */
    public static WatermarkStrategy<Envelope> watermarks(StampedeConfig config) {
        long bound = config.input().outOfOrderness().toMillis();
        return WatermarkStrategy.<Envelope>forGenerator(context -> new EventTimeWatermarks(bound))
                .withIdleness(config.input().idleness())
                .withTimestampAssigner((e, previous) -> e.eventTime());
    }

    /**
     * The watermark strategy of a source of buckets for {@link #fromBuckets}: event time at each
     * bucket's start, and no out-of-orderness, since such a source emits its buckets in time order.
     */
    public static WatermarkStrategy<BucketStats> bucketWatermarks() {
        return WatermarkStrategy.<BucketStats>forMonotonousTimestamps()
                .withTimestampAssigner((b, previous) -> b.bucketStart);
    }

    /**
     * The watermark strategy of the live control topic: controls never hold back event time (the
     * topic is written rarely and may be empty), so each applies from the first bucket judged after
     * it arrived whose end is inside its window. The source says it is idle and emits no watermark
     * (a record does not end idleness, only a watermark would): the segment stage's event time is the
     * events' alone. A watermark from here would lead it whenever every input partition falls silent
     * for {@code input.idleness}, and the segment stage would judge buckets nobody had reported yet
     * (every auth node stale: AUTH_DEGRADED in every region). A bounded source of controls (a
     * {@code --control} file, {@link #controlsOf}) needs none: it ends before any bucket is judged,
     * so every bucket sees all of its controls.
     */
    public static WatermarkStrategy<ControlRecord> liveControlWatermarks() {
        return WatermarkStrategy.<ControlRecord>forGenerator(context -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(ControlRecord event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
            }
        }).withTimestampAssigner((c, previous) -> 0L);
    }

    /** A bounded stream of the given control records (a {@code --control} file's lines; may be none). */
    public static DataStream<ControlRecord> controlsOf(StreamExecutionEnvironment env, List<ControlRecord> records) {
        // fromData needs an element: without controls, one record that stands for none (no key, no value).
        List<ControlRecord> elements = records.isEmpty() ? List.of(ControlRecord.NONE) : records;
        return env.fromData(elements, TypeInformation.of(ControlRecord.class)).setParallelism(1)
                .name("controls").uid("controls-file");
    }

    /** A named input: a stream of parsed records (logins, telemetry, or both) from one source. */
    public record Input(String name, DataStream<Envelope> records) {}

    /**
     * Wires the detection onto the input streams of parsed records.
     *
     * @param inputs one or more sources; their names become operator ids, so keep them stable
     */
    public static Outputs build(List<Input> inputs, StampedeConfig config) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("at least one input is needed");
        }
        return build(inputs, controlsOf(inputs.get(0).records().getExecutionEnvironment(), List.of()), config);
    }

    /**
     * Wires the detection onto the input streams of parsed records and the operators' controls.
     *
     * @param controls the control records, unchecked: from the control topic (with
     *     {@link #liveControlWatermarks}) or a bounded file ({@link #controlsOf})
     */
    public static Outputs build(List<Input> inputs, DataStream<ControlRecord> controls, StampedeConfig config) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("at least one input is needed");
        }
        Accepted accepted = accept(inputs, config);
        SingleOutputStreamOperator<BucketStats> devices = devices(accepted.observations(), config);
        DataStream<BucketStats> buckets = devices.union(accepted.counts());

        SingleOutputStreamOperator<ControlUpdate> checked = checkControls(controls, config);
        SingleOutputStreamOperator<Alert> segments = segments(buckets, checked, config);

        // A late event's dead letter is rebuilt from the accepted event, which has no account id; other
        // configured personal fields are replaced here, chained to the device stage.
        StampedeConfig.PersonalData personal = config.input().personalData();
        PersonalData personalData = new PersonalData(personal.fields(), personal.key());
        DataStream<DeadLetter> late = devices.getSideOutput(OutputTags.LATE_EVENTS)
                .map(personalData::protect, TypeInformation.of(DeadLetter.class))
                .setParallelism(devices.getParallelism())
                .uid("late-personal-data").name("protect late letters");

        return outputs(segments, accepted.deadLetters().union(late, checked.getSideOutput(OutputTags.DEAD_LETTERS)),
                config);
    }

    /**
     * What the accept stage gives: the events that need a device's history, the partial bucket
     * counts of the rest, and the dead letters.
     */
    public record Accepted(DataStream<Observation> observations, DataStream<BucketStats> counts,
            DataStream<DeadLetter> deadLetters) {}

    /** The accept stage after each input, chained to its source. */
    public static Accepted accept(List<Input> inputs, StampedeConfig config) {
        StampedeConfig.PersonalData personal = config.input().personalData();
        PersonalData personalData = new PersonalData(personal.fields(), personal.key());
        DataStream<Observation> observations = null;
        DataStream<BucketStats> counted = null;
        DataStream<DeadLetter> deadLetters = null;
        for (Input input : inputs) {
            // At the source's parallelism, so that it is chained to it: no shuffle of parsed records,
            // and each source's watermarks reach the device stage in order with its records (through
            // a rebalance, one accept subtask could pass on a late event before another had passed
            // on the watermark that makes it late).
            SingleOutputStreamOperator<Observation> accepted = input.records()
                    .transform("accept " + input.name(), ObservationSerializer.TYPE,
                            new AcceptOperator(personalData, config))
                    .setParallelism(input.records().getParallelism())
                    .uid("accept-" + input.name());
            DataStream<DeadLetter> refused = accepted.getSideOutput(OutputTags.DEAD_LETTERS);
            DataStream<BucketStats> counts = accepted.getSideOutput(OutputTags.COUNTS);
            observations = observations == null ? accepted : observations.union(accepted);
            counted = counted == null ? counts : counted.union(counts);
            deadLetters = deadLetters == null ? refused : deadLetters.union(refused);
        }
        return new Accepted(observations, counted, deadLetters);
    }

    /** The device stage, keyed by device: partial bucket counts of what needs a device's history. */
    public static SingleOutputStreamOperator<BucketStats> devices(DataStream<Observation> observations,
            StampedeConfig config) {
        return observations
                .keyBy(Observation::key)
                .transform("devices", TypeInformation.of(BucketStats.class), new DeviceOperator(config))
                .uid("devices");
    }

    /**
     * Wires the segment stage and the correlator onto per-segment buckets instead of events: what a
     * backtest of counts runs. Without node health in the buckets, only the demand detectors
     * (REBOOT_WAVE, LOGIN_SURGE, RETRY_STORM) have anything to go on.
     *
     * @param buckets every segment's buckets in time order, with the timestamps and watermarks of
     *     {@link #bucketWatermarks}
     */
    public static Outputs fromBuckets(DataStream<BucketStats> buckets, DataStream<ControlRecord> controls,
            StampedeConfig config) {
        SingleOutputStreamOperator<ControlUpdate> checked = checkControls(controls, config);
        SingleOutputStreamOperator<Alert> segments = segments(buckets, checked, config);
        // No event is parsed, so only refused controls are dead letters; the outputs have the same
        // shape as those of an events run.
        return outputs(segments, checked.getSideOutput(OutputTags.DEAD_LETTERS), config);
    }

    /** Every control record checked whole, in one instance so they stay in order. */
    private static SingleOutputStreamOperator<ControlUpdate> checkControls(DataStream<ControlRecord> controls,
            StampedeConfig config) {
        return controls.process(new ControlFunction(config), TypeInformation.of(ControlUpdate.class))
                .setParallelism(1).uid("check-controls").name("check controls");
    }

    /**
     * The per-segment stage: partial bucket counts merged and evaluated, keyed by segment, with
     * the checked controls broadcast to it.
     */
    private static SingleOutputStreamOperator<Alert> segments(DataStream<BucketStats> buckets,
            DataStream<ControlUpdate> controls, StampedeConfig config) {
        BroadcastStream<ControlUpdate> broadcast = controls.broadcast(SegmentFunction.CONTROLS);
        return buckets
                .keyBy(b -> b.segment)
                .connect(broadcast)
                .process(new SegmentFunction(config))
                .uid("segments").name("segments");
    }

    /** The correlator after the segment stage, and the segment stage's side outputs. */
    private static Outputs outputs(SingleOutputStreamOperator<Alert> segments, DataStream<DeadLetter> deadLetters,
            StampedeConfig config) {
        DataStream<Alert> alerts = segments
                .keyBy(a -> CorrelatorFunction.KEY)
                .process(new CorrelatorFunction(config))
                .uid("alert-correlator").name("correlate alerts")
                .setParallelism(1);
        return new Outputs(alerts, segments.getSideOutput(OutputTags.DIRECTIVES),
                segments.getSideOutput(OutputTags.SIGNALS), deadLetters,
                segments.getSideOutput(OutputTags.SNAPSHOTS), segments.getSideOutput(OutputTags.BUCKETS));
    }
}
