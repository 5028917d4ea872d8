package io.stampede.cli;

import io.stampede.config.ConfigException;
import io.stampede.config.StampedeConfig;
import io.stampede.control.Control;
import io.stampede.control.ControlReader;
import io.stampede.io.kafka.KafkaIo;
import io.stampede.io.kafka.KafkaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The control topic as {@code stampede control} uses it: one record written and acknowledged by
 * every in-sync replica, or every control's latest version read from the beginning to the end.
 * The topic must exist (a broker that creates topics on first use would make an uncompacted one).
 */
final class ControlTopic {

    /** A control id's latest version: the control, or why the job refuses the record. */
    record Entry(String key, Control control, String refusal) {}

    private final StampedeConfig.Kafka kafka;
    private final String topic;
    private final Duration timeout;
    private final int partitions;

    ControlTopic(StampedeConfig.Kafka kafka, BrokerCheck broker) {
        this.kafka = kafka;
        this.topic = kafka.topics().control();
        this.timeout = broker.timeout();
        this.partitions = broker.partitions(kafka, List.of(topic)).get(topic);
    }

    /**
     * Writes one record (null value: a tombstone) and waits for the broker's acknowledgement.
     *
     * @return where it was written, for the user
     */
    String write(String key, String value) {
        Properties p = new Properties();
        p.putAll(KafkaIo.clientProperties(kafka));
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "stampede-control");
        p.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        p.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(Math.max(millis, 1000)));
        p.setProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(Math.max(millis, 1000)));
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "0");
        KafkaProducer<String, String> producer;
        try {
            producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        } catch (KafkaException e) {
            throw new ConfigException("the Kafka producer refused its settings (kafka.properties): " + e.getMessage(), e);
        }
        try (producer) {
            RecordMetadata m = producer.send(new ProducerRecord<>(topic, key, value))
                    .get(timeout.toMillis() + 5_000L, TimeUnit.MILLISECONDS);
            return topic + " (partition " + m.partition() + ", offset " + m.offset() + ")";
        } catch (ExecutionException e) {
            throw new KafkaTopics.Unavailable("writing to " + topic + " at " + kafka.bootstrapServers() + " failed: "
                    + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new KafkaTopics.Unavailable("Kafka at " + kafka.bootstrapServers() + " did not acknowledge the write "
                    + "to " + topic + " within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaTopics.Unavailable("interrupted while writing to " + topic);
        }
    }

    /** Every control id's latest version, in the order of their starts; forgotten ones left out. */
    List<Entry> read(ControlReader reader) {
        Properties p = new Properties();
        p.putAll(KafkaIo.clientProperties(kafka));
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "stampede-control-list");
        p.setProperty(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        Map<String, Entry> latest = new LinkedHashMap<>();
        KafkaConsumer<String, String> consumer;
        try {
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        } catch (KafkaException e) {
            throw new ConfigException("the Kafka consumer refused its settings (kafka.properties): " + e.getMessage(), e);
        }
        try (consumer) {
            List<TopicPartition> assigned = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                assigned.add(new TopicPartition(topic, i));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reachedEnd(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaTopics.Unavailable("reading " + topic + " at " + kafka.bootstrapServers()
                            + " did not reach its end within " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) {
                        continue;
                    }
                    if (r.value() == null) {
                        latest.remove(r.key());
                        continue;
                    }
                    ControlReader.Result result = reader.read(r.value());
                    latest.remove(r.key());
                    latest.put(r.key(), new Entry(r.key(), result.control(), result.refusal()));
                }
            }
        } catch (KafkaException e) {
            throw new KafkaTopics.Unavailable("reading " + topic + " at " + kafka.bootstrapServers() + " failed: "
                    + e.getMessage());
        }
        List<Entry> out = new ArrayList<>(latest.values());
        out.sort(Comparator.comparingLong((Entry e) -> e.control() == null ? Long.MIN_VALUE
                : e.control().effectiveFromMs()).thenComparing(Entry::key));
        return out;
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
