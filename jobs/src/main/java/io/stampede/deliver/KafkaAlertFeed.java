package io.stampede.deliver;

import io.stampede.alert.Alert;
import io.stampede.config.ConfigException;
import io.stampede.config.StampedeConfig;
import io.stampede.io.kafka.KafkaIo;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the alerts topic to a {@link Deliverer}. It reads committed records only (the job writes
 * the topic in transactions) and commits its offsets once records are handed to the deliverer's
 * queues. It reads every partition itself instead of sharing them in a group: the books of an
 * incident need all its alerts, which are keyed by dedupKey and so spread over partitions. A
 * second deliverer in the same group would deliver everything twice, harmlessly (same
 * Alertmanager labels, same PagerDuty dedup_key).
 */
public final class KafkaAlertFeed {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaAlertFeed.class);
    private static final Duration POLL = Duration.ofSeconds(1);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Duration lookback;
    private final Clock clock;
    private final Deliverer deliverer;
    private volatile boolean running = true;
    private long restored;

    KafkaAlertFeed(Consumer<byte[], byte[]> consumer, String topic, Duration lookback, Clock clock,
            Deliverer deliverer) {
        this.consumer = consumer;
        this.topic = topic;
        this.lookback = lookback;
        this.clock = clock;
        this.deliverer = deliverer;
    }

    public static KafkaAlertFeed create(StampedeConfig config, Deliverer deliverer, Clock clock) {
        Properties p = KafkaIo.clientProperties(config.kafka());
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, config.delivery().groupId());
        p.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, config.delivery().groupId());
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Only when a committed offset has been deleted by retention: start from what is left.
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        return new KafkaAlertFeed(consumer, config.kafka().topics().alerts(), config.delivery().lookback(), clock,
                deliverer);
    }

    /**
     * Reads and delivers until {@link #stop}; closes the consumer when done. The history of every
     * partition is read before anything new is delivered: an incident's alerts lie in several
     * partitions, and a resolution must not be judged before all its alerts are known.
     */
    public void run() {
        try {
            Map<TopicPartition, Long> restoreUntil = seekToStart();
            Set<TopicPartition> restoring = new HashSet<>(restoreUntil.keySet());
            restoring.removeIf(tp -> consumer.position(tp) >= restoreUntil.get(tp));
            List<Alert> held = new ArrayList<>();
            try {
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                    List<Alert> fresh = new ArrayList<>();
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        Alert alert = parse(r);
                        if (alert == null) {
                            continue;
                        }
                        if (r.offset() < restoreUntil.get(new TopicPartition(r.topic(), r.partition()))) {
                            deliverer.restore(alert);
                            restored++;
                        } else {
                            fresh.add(alert);
                        }
                    }
                    if (!restoring.isEmpty()) {
                        held.addAll(fresh);
                        restoring.removeIf(tp -> consumer.position(tp) >= restoreUntil.get(tp));
                        if (!restoring.isEmpty()) {
                            // Read no further where the history is done until it is done everywhere.
                            Set<TopicPartition> done = new HashSet<>(consumer.assignment());
                            done.removeAll(restoring);
                            consumer.pause(done);
                            continue;
                        }
                        consumer.resume(consumer.paused());
                        LOG.info("alerts topic '{}': {} earlier alert states re-read; delivering what comes next",
                                topic, restored);
                        fresh = new ArrayList<>(held);
                        held.clear();
                    }
                    handOver(fresh);
                    if (!records.isEmpty() || !fresh.isEmpty()) {
                        commit();
                    }
                }
            } catch (WakeupException e) {
                if (running) {
                    throw e;
                }
            }
            if (restoring.isEmpty()) {
                // A stop may have cut the last commit short; everything polled has been handed over.
                commitOnStop();
            }
        } finally {
            consumer.close();
        }
    }

    /**
     * In the order they were detected: within one poll the partitions' records come in no
     * particular order, and an incident's alerts are spread over partitions.
     */
    private void handOver(List<Alert> alerts) {
        alerts.sort(Comparator.comparing((Alert a) -> Instant.parse(a.detectedAt())).thenComparingInt(Alert::sequence));
        alerts.forEach(deliverer::accept);
    }

    /** Ends {@link #run}; callable from any thread. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    private Map<TopicPartition, Long> seekToStart() {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        if (partitions.isEmpty()) {
            throw new ConfigException("kafka.topics.alerts: topic '" + topic + "' does not exist");
        }
        consumer.assign(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        long lookbackMillis = clock.millis() - lookback.toMillis();
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(tp -> times.put(tp, lookbackMillis));
        Map<TopicPartition, OffsetAndTimestamp> atLookback = consumer.offsetsForTimes(times);
        Map<TopicPartition, Long> restoreUntil = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            OffsetAndTimestamp l = atLookback.get(tp);
            StartPosition start = StartPosition.of(c == null ? null : c.offset(), l == null ? null : l.offset(),
                    ends.get(tp));
            consumer.seek(tp, start.start());
            restoreUntil.put(tp, start.restoreUntil());
            LOG.info("alerts topic '{}' partition {}: reading from offset {}, delivering from offset {}", topic,
                    tp.partition(), start.start(), start.restoreUntil());
        }
        return restoreUntil;
    }

    /** The record's alert, or {@code null} (logged) if it holds none. */
    private Alert parse(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        try {
            return AlertJson.read(r.value());
        } catch (IOException e) {
            LOG.warn("alerts topic '{}' partition {} offset {}: skipped, not an alert: {}", topic, r.partition(),
                    r.offset(), e.getMessage());
            return null;
        }
    }

    private void commitOnStop() {
        try {
            consumer.commitSync();
        } catch (WakeupException pending) {
            // The stop's wakeup came after the last blocking call and was used up here: try again.
            commit();
        } catch (KafkaException e) {
            LOG.warn("alerts topic '{}': committing offsets on stop failed: {}", topic, e.getMessage());
        }
    }

    private void commit() {
        try {
            consumer.commitSync();
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // The next commit covers these records too; delivering them twice would be harmless.
            LOG.warn("alerts topic '{}': committing offsets failed: {}", topic, e.getMessage());
        }
    }
}
