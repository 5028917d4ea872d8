package io.stampede.topology;

import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.config.StampedeConfig;
import io.stampede.detect.BucketStats;
import io.stampede.detect.Observation;
import io.stampede.detect.SegmentSnapshot;
import io.stampede.event.DeadLetter;
import io.stampede.event.Envelope;
import io.stampede.event.PersonalData;
import io.stampede.plan.ScalingSignal;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The one topology every mode runs: {@code demo}, {@code backtest} and {@code run} differ only in
 * the sources they plug in and the sinks they attach to the returned streams.
 *
 * <pre>
 *   input ─accept─┐                                            ┌─▶ alerts ─▶ correlate (1) ─▶ alerts
 *   input ─accept─┼─▶ keyBy device ─▶ devices ─▶ keyBy segment ─▶ segments ─┼─▶ throttle directives
 *                 │    (dedup, boots, armed pool,     (detect, forecast,    ├─▶ scaling signals
 *                 │     census; per-bucket counts)     plan)                ├─▶ segment snapshots
 *                 │                                                         └─▶ evaluated buckets
 *                 └─▶ dead letters (refused by the parse step, or late)
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
        StampedeConfig.PersonalData personal = config.input().personalData();
        PersonalData personalData = new PersonalData(personal.fields(), personal.key());
        DataStream<Observation> observations = null;
        DataStream<DeadLetter> deadLetters = null;
        for (Input input : inputs) {
            // At the source's parallelism, so that it is chained to it: no shuffle of parsed records,
            // and each source's watermarks reach the device stage in order with its records (through
            // a rebalance, one accept subtask could pass on a late event before another had passed
            // on the watermark that makes it late).
            SingleOutputStreamOperator<Observation> accepted = input.records()
                    .process(new AcceptFunction(personalData), ObservationSerializer.TYPE)
                    .setParallelism(input.records().getParallelism())
                    .uid("accept-" + input.name()).name("accept " + input.name());
            DataStream<DeadLetter> refused = accepted.getSideOutput(OutputTags.DEAD_LETTERS);
            observations = observations == null ? accepted : observations.union(accepted);
            deadLetters = deadLetters == null ? refused : deadLetters.union(refused);
        }

        SingleOutputStreamOperator<BucketStats> buckets = observations
                .keyBy(Observation::key)
                .transform("devices", TypeInformation.of(BucketStats.class), new DeviceOperator(config))
                .uid("devices");

        SingleOutputStreamOperator<Alert> segments = segments(buckets, config);

        // A late event's dead letter is rebuilt from the accepted event, which has no account id; other
        // configured personal fields are replaced here, chained to the device stage.
        DataStream<DeadLetter> late = buckets.getSideOutput(OutputTags.LATE_EVENTS)
                .map(personalData::protect, TypeInformation.of(DeadLetter.class))
                .setParallelism(buckets.getParallelism())
                .uid("late-personal-data").name("protect late letters");

        return outputs(segments, deadLetters.union(late), config);
    }

    /**
     * Wires the segment stage and the correlator onto per-segment buckets instead of events: what a
     * backtest of counts runs. Without node health in the buckets, only the demand detectors
     * (REBOOT_WAVE, LOGIN_SURGE, RETRY_STORM) have anything to go on.
     *
     * @param buckets every segment's buckets in time order, with the timestamps and watermarks of
     *     {@link #bucketWatermarks}
     */
    public static Outputs fromBuckets(DataStream<BucketStats> buckets, StampedeConfig config) {
        SingleOutputStreamOperator<Alert> segments = segments(buckets, config);
        // Nothing is parsed, so nothing is refused: the segment stage's dead-letter output stays
        // empty, and the outputs have the same shape as those of an events run.
        return outputs(segments, segments.getSideOutput(OutputTags.DEAD_LETTERS), config);
    }

    /** The per-segment stage: partial bucket counts merged and evaluated, keyed by segment. */
    private static SingleOutputStreamOperator<Alert> segments(DataStream<BucketStats> buckets, StampedeConfig config) {
        return buckets
                .keyBy(b -> b.segment)
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
