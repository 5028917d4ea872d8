package io.stampede.io.kafka;

import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.config.OutputTimestamps;
import io.stampede.config.StampedeConfig;
import io.stampede.control.ControlRecord;
import io.stampede.event.DeadLetter;
import io.stampede.event.Envelope;
import io.stampede.event.InputKind;
import io.stampede.plan.ScalingSignal;
import io.stampede.topology.StampedeTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production I/O: Kafka sources for the two input topics and the control topic, and exactly-once
 * Kafka sinks for the four outputs, configured from {@link StampedeConfig.Kafka}. Client settings (security included)
 * pass through from {@code kafka.properties}.
 */
public final class KafkaIo {

    /** How long a bounded run waits to learn whether the control topic exists. */
    private static final Duration TOPIC_CHECK = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(KafkaIo.class);

    private KafkaIo() {}

    /** The client properties every consumer and producer gets: bootstrap servers and the pass-through ones. */
    public static Properties clientProperties(StampedeConfig.Kafka kafka) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", kafka.bootstrapServers());
        for (Map.Entry<String, String> e : kafka.properties().entrySet()) {
            p.setProperty(e.getKey(), e.getValue());
        }
        return p;
    }

    /**
     * Both input topics as parsed records, watermarked per partition.
     *
     * @param bounded read up to the offsets that are latest when the job starts, then finish (tests)
     */
    public static List<StampedeTopology.Input> inputs(StreamExecutionEnvironment env, StampedeConfig config,
            boolean bounded) {
        StampedeConfig.Kafka kafka = config.kafka();
        List<StampedeTopology.Input> inputs = new ArrayList<>();
        inputs.add(input(env, config, InputKind.LOGIN, kafka.topics().logins(), bounded));
        inputs.add(input(env, config, InputKind.TELEMETRY, kafka.topics().telemetry(), bounded));
        return inputs;
    }

    private static StampedeTopology.Input input(StreamExecutionEnvironment env, StampedeConfig config, InputKind kind,
            String topic, boolean bounded) {
        StampedeConfig.Kafka kafka = config.kafka();
        Properties props = clientProperties(kafka);
        if (!bounded) {
            props.setProperty("partition.discovery.interval.ms", "60000"); // a bounded source discovers none
        }
        props.setProperty("client.id.prefix", kafka.groupId() + "-" + kind.streamName());
        var builder = KafkaSource.<Envelope>builder()
                .setTopics(topic)
                .setGroupId(kafka.groupId())
                .setProperties(props)
                .setStartingOffsets(startingOffsets(kafka))
                .setDeserializer(new EnvelopeDeserializer(kind, config.input().maxRecordBytes(),
                        config.input().deadLetterKeepBytes()));
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        String name = kind.streamName();
        DataStream<Envelope> records = env.fromSource(builder.build(), StampedeTopology.watermarks(config),
                "kafka " + topic).uid("kafka-" + name);
        return new StampedeTopology.Input(name, records);
    }

    /**
     * The control topic ({@code kafka.topics.control}), read from its beginning on every start
     * without a checkpoint (a compacted topic holds every control's latest version), by one reader
     * so they are checked in order. It is subscribed by name pattern, so a topic that does not exist
     * yet does not stop the job: once created, it is found within a minute. Its watermarks never
     * hold back event time ({@link StampedeTopology#liveControlWatermarks}).
     *
     * @param bounded read up to the offsets that are latest when the job starts (tests); a topic
     *     that does not exist then has nothing to read (a source subscribed to no partition would
     *     never finish)
     */
    public static DataStream<ControlRecord> controls(StreamExecutionEnvironment env, StampedeConfig config,
            boolean bounded) {
        StampedeConfig.Kafka kafka = config.kafka();
        String topic = kafka.topics().control();
        if (bounded && !exists(kafka, topic)) {
            LOG.warn("control topic {} does not exist: this bounded run has no controls", topic);
            return StampedeTopology.controlsOf(env, List.of());
        }
        Properties props = clientProperties(kafka);
        if (!bounded) {
            props.setProperty("partition.discovery.interval.ms", "60000"); // a bounded source discovers none
        }
        props.setProperty("client.id.prefix", kafka.groupId() + "-controls");
        var builder = KafkaSource.<ControlRecord>builder()
                .setTopicPattern(Pattern.compile(Pattern.quote(topic)))
                .setGroupId(kafka.groupId())
                .setProperties(props)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new ControlDeserializer());
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return env.fromSource(builder.build(), StampedeTopology.liveControlWatermarks(), "kafka " + topic)
                .setParallelism(1).uid("kafka-controls");
    }

    private static boolean exists(StampedeConfig.Kafka kafka, String topic) {
        try {
            KafkaTopics.partitions(clientProperties(kafka), List.of(topic), TOPIC_CHECK);
            return true;
        } catch (KafkaTopics.Unavailable e) {
            return false;
        }
    }

    static OffsetsInitializer startingOffsets(StampedeConfig.Kafka kafka) {
        return switch (kafka.startFrom()) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            case "timestamp" -> OffsetsInitializer.timestamp(Instant.parse(kafka.startTimestamp()).toEpochMilli());
            default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }

    /**
     * Writes the topology's outputs to their topics, exactly once (Kafka transactions committed
     * with each checkpoint). Directives and signals are keyed by region, so the directive topic can
     * be compacted; alerts by dedupKey, so one alert's states stay in order in one partition.
     */
    public static void attach(StampedeTopology.Outputs outputs, StampedeConfig config) {
        StampedeConfig.Kafka kafka = config.kafka();
        StampedeConfig.Topics t = kafka.topics();
        OutputTimestamps stamps = kafka.outputTimestamps();
        int max = maxRequestBytes(kafka);
        outputs.alerts().sinkTo(sink(kafka, "alerts",
                        new JsonRecordSerializer<Alert>("alerts", t.alerts(), Alert::dedupKey, stamps, max)))
                .uid("kafka-alerts").name("kafka " + t.alerts()).setParallelism(1);
        outputs.directives().sinkTo(sink(kafka, "directives",
                        new JsonRecordSerializer<ThrottleDirective>("directives", t.directives(), ThrottleDirective::region,
                                stamps, max)))
                .uid("kafka-directives").name("kafka " + t.directives());
        outputs.signals().sinkTo(sink(kafka, "signals",
                        new JsonRecordSerializer<ScalingSignal>("signals", t.signals(), ScalingSignal::region, stamps, max)))
                .uid("kafka-signals").name("kafka " + t.signals());
        outputs.deadLetters().sinkTo(sink(kafka, "dead-letters",
                        new JsonRecordSerializer<DeadLetter>("dead-letters", t.deadLetters(), DeadLetter::input, stamps,
                                max)))
                .uid("kafka-dead-letters").name("kafka " + t.deadLetters());
    }

    /** The producer's max.request.size: Kafka's default (1 MiB) unless kafka.properties sets it. */
    static int maxRequestBytes(StampedeConfig.Kafka kafka) {
        String set = kafka.properties().get("max.request.size");
        return set == null ? 1_048_576 : Integer.parseInt(set.trim());
    }

    private static <T> FailSafeKafkaSink<T> sink(StampedeConfig.Kafka kafka, String output,
            JsonRecordSerializer<T> serializer) {
        Properties props = clientProperties(kafka);
        props.setProperty("transaction.timeout.ms", Long.toString(kafka.transactionTimeout().toMillis()));
        props.setProperty("client.id", kafka.transactionalIdPrefix() + "-" + output);
        return new FailSafeKafkaSink<>(KafkaSink.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(props)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(kafka.transactionalIdPrefix() + "-" + output)
                .build());
    }
}
