package io.stampede.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A real Kafka broker for the integration tests: Testcontainers' Kafka container when a Docker
 * engine is available, otherwise Apache Kafka's own in-JVM KRaft cluster (one combined
 * controller and broker). Either way the tests talk to real Kafka over the network.
 */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaClusterTestKit kit;
    private final KafkaContainer container;
    private final String bootstrap;

    private KafkaBroker(KafkaClusterTestKit kit, KafkaContainer container, String bootstrap) {
        this.kit = kit;
        this.container = container;
        this.bootstrap = bootstrap;
    }

    /**
     * Broker settings every test broker gets. Retention is explicit: the broker default (7 days,
     * counted from record timestamps) would delete records of dated scenarios once they are a week
     * old, and a test would then depend on the day it runs. A test about retention sets it per topic.
     */
    private static final Map<String, String> TEST_SETTINGS = Map.of(
            "log.retention.ms", "-1",
            // Retention is checked every second rather than every 5 minutes, so that a record retention
            // would delete is gone within the test that wrote it, not at random in a later one.
            "log.retention.check.interval.ms", "1000");

    public static KafkaBroker start() throws Exception {
        if (dockerAvailable()) {
            KafkaContainer container = new KafkaContainer("apache/kafka:4.2.0");
            TEST_SETTINGS.forEach((key, value) ->
                    container.withEnv("KAFKA_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), value));
            container.start();
            return new KafkaBroker(null, container, container.getBootstrapServers());
        }
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumControllerNodes(1)
                        .setNumBrokerNodes(1)
                        .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                        .build());
        TEST_SETTINGS.forEach(builder::setConfigProp);
        KafkaClusterTestKit kit = builder
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        return new KafkaBroker(kit, null, kit.bootstrapServers());
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    String kind() {
        return container != null ? "Testcontainers Kafka container" : "in-JVM KRaft cluster";
    }

    public void createTopics(Map<String, Integer> partitions, Map<String, Map<String, String>> configs) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            partitions.forEach((name, n) -> topics.add(
                    new NewTopic(name, n, (short) 1).configs(configs.getOrDefault(name, Map.of()))));
            admin.createTopics(topics).all().get();
        }
    }

    /** True once the consumer group has committed offsets at the end of every partition of the topics. */
    boolean consumedToEnd(String group, List<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            var partitions = admin.describeTopics(topics).allTopicNames().get();
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
            partitions.forEach((topic, d) -> d.partitions().forEach(p -> latest.put(
                    new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                    org.apache.kafka.clients.admin.OffsetSpec.latest())));
            var ends = admin.listOffsets(latest).all().get();
            for (var e : ends.entrySet()) {
                var c = committed.get(e.getKey());
                if (e.getValue().offset() > 0 && (c == null || c.offset() < e.getValue().offset())) {
                    return false;
                }
            }
            return true;
        }
    }

    KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrap);
        p.setProperty("linger.ms", "20");
        p.setProperty("batch.size", "262144");
        p.setProperty("max.request.size", "5242880");
        // Not idempotent: with this in-JVM broker an idempotent producer now and then has the first batch
        // of a partition refused for good (OutOfOrderSequenceException, retried until it expires) while
        // the later batches land, which silently lost ~500 events of a scenario. One request in flight
        // keeps each partition in order without it; a retried duplicate is dropped by its eventId.
        p.setProperty("enable.idempotence", "false");
        p.setProperty("acks", "all");
        p.setProperty("max.in.flight.requests.per.connection", "1");
        p.setProperty("delivery.timeout.ms", "300000");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Everything committed to {@code topic} so far, read with read_committed, in partition-offset order. */
    List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrap);
        p.setProperty("group.id", "test-" + UUID.randomUUID());
        p.setProperty("auto.offset.reset", "earliest");
        p.setProperty("isolation.level", "read_committed");
        p.setProperty("enable.auto.commit", "false");
        p.setProperty("max.partition.fetch.bytes", "10485760");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            int idle = 0;
            while (idle < 3) {
                var records = consumer.poll(Duration.ofMillis(700));
                if (records.isEmpty() && !consumer.assignment().isEmpty()) {
                    idle++;
                } else {
                    idle = 0;
                }
                records.forEach(out::add);
            }
        }
        out.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
        return out;
    }

    /** Whether {@link #stopBroker()} and {@link #startBroker()} work: the in-JVM cluster only. */
    boolean restartable() {
        return kit != null;
    }

    /** Shuts the broker down, as an outage (its controller keeps running). */
    void stopBroker() {
        kit.brokers().values().forEach(b -> {
            b.shutdown();
            b.awaitShutdown();
        });
    }

    /** Starts the stopped broker again, on the same port (the test kit binds it again). */
    void startBroker() {
        kit.brokers().values().forEach(b -> b.startup());
    }

    @Override
    public void close() throws Exception {
        if (kit != null) {
            kit.close();
        }
        if (container != null) {
            container.stop();
        }
    }
}
