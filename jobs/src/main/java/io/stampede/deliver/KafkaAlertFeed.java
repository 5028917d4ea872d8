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
import java.util.TreeMap;
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
 * the topic in transactions) and commits, per partition, only up to the oldest state some receiver
 * is not yet done with (delivered, or recorded as failed), with each receiver's own position in the
 * commit's metadata: a deliverer killed at any moment resumes where something was still to do, and
 * sends each receiver only what that receiver had not taken. It reads every partition itself
 * instead of sharing them in a group: the books of an incident need all its alerts, which are keyed
 * by dedupKey and so spread over partitions. A second deliverer in the same group would deliver
 * everything twice, harmlessly (same Alertmanager labels, same PagerDuty dedup_key).
 */
public final class KafkaAlertFeed {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaAlertFeed.class);
    /** Short, so a settled delivery is saved soon (PagerDuty waits for it before its next event). */
    private static final Duration POLL = Duration.ofMillis(100);

    /** A state read, to hand over in detection order, with where it came from. */
    private record Read(Alert alert, Origin origin) {}

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Duration lookback;
    private final Clock clock;
    private final Deliverer deliverer;
    private final Duration drainGrace;
    private volatile boolean running = true;
    private long restored;
    private FeedProgress progress;
    private long savedGeneration = -1;

    KafkaAlertFeed(Consumer<byte[], byte[]> consumer, String topic, Duration lookback, Clock clock,
            Deliverer deliverer, Duration drainGrace) {
        this.consumer = consumer;
        this.topic = topic;
        this.lookback = lookback;
        this.clock = clock;
        this.deliverer = deliverer;
        this.drainGrace = drainGrace;
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
                deliverer, config.delivery().requestTimeout());
    }

    /**
     * Reads and delivers until {@link #stop}; closes the consumer when done. The history of every
     * partition is read before anything new is delivered: an incident's alerts lie in several
     * partitions, and a resolution must not be judged before all its alerts are known.
     */
    public void run() {
        try {
            Map<TopicPartition, Map<String, Long>> restoreUntil = seekToStart();
            Set<TopicPartition> restoring = new HashSet<>(restoreUntil.keySet());
            restoring.removeIf(tp -> consumer.position(tp) >= historyEnd(restoreUntil.get(tp)));
            List<Read> held = new ArrayList<>();
            try {
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                    List<Read> fresh = new ArrayList<>();
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        progress.read(r.partition(), r.offset());
                        Alert alert = parse(r);
                        if (alert == null) {
                            continue;
                        }
                        Map<String, Long> until = restoreUntil.get(new TopicPartition(r.topic(), r.partition()));
                        Set<String> deliveredBefore = new HashSet<>();
                        until.forEach((receiver, offset) -> {
                            if (r.offset() < offset) {
                                deliveredBefore.add(receiver);
                            }
                        });
                        if (deliveredBefore.size() == until.size()) {
                            deliverer.restore(alert);
                            restored++;
                        } else {
                            fresh.add(new Read(alert, progress.origin(r.partition(), r.offset(), deliveredBefore::contains)));
                        }
                    }
                    if (!restoring.isEmpty()) {
                        held.addAll(fresh);
                        restoring.removeIf(tp -> consumer.position(tp) >= historyEnd(restoreUntil.get(tp)));
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
                    save();
                }
            } catch (WakeupException e) {
                if (running) {
                    throw e;
                }
            }
            if (restoring.isEmpty()) {
                finish();
            }
        } finally {
            consumer.close();
        }
    }

    /** Up to where some receiver has delivered before: nothing new is handed over until every partition is past it. */
    private static long historyEnd(Map<String, Long> restoreUntil) {
        return restoreUntil.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /**
     * On stop: lets what is queued go out for a while, saving positions as deliveries settle, then
     * saves the last positions. What is still queued after that is delivered again by the next start.
     */
    private void finish() {
        long deadline = System.nanoTime() + drainGrace.toNanos();
        try {
            while (!deliverer.awaitIdle(POLL) && System.nanoTime() - deadline < 0) {
                saveOnStop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        saveOnStop();
    }

    /**
     * In the order they were detected: within one poll the partitions' records come in no
     * particular order, and an incident's alerts are spread over partitions.
     */
    private void handOver(List<Read> reads) {
        reads.sort(Comparator.comparing((Read r) -> Instant.parse(r.alert().detectedAt()))
                .thenComparingInt(r -> r.alert().sequence()));
        reads.forEach(r -> deliverer.accept(r.alert(), r.origin()));
    }

    /** Ends {@link #run}; callable from any thread. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    /**
     * Seeks every partition to where reading starts; returns, per partition and receiver, the
     * offset below which the receiver had already been handed everything.
     */
    private Map<TopicPartition, Map<String, Long>> seekToStart() {
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
        Map<TopicPartition, Map<String, Long>> restoreUntil = new HashMap<>();
        Map<String, Map<Integer, Long>> start = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            OffsetAndTimestamp l = atLookback.get(tp);
            StartPosition position = StartPosition.of(c == null ? null : c.offset(), l == null ? null : l.offset(),
                    ends.get(tp));
            consumer.seek(tp, position.start());
            Map<String, Long> saved = c == null ? Map.of() : FeedProgress.positions(c.metadata());
            Map<String, Long> until = new TreeMap<>();
            for (String receiver : deliverer.receivers()) {
                // A receiver ahead of the committed offset saved its own position; one new here starts there.
                long offset = Math.max(position.restoreUntil(), saved.getOrDefault(receiver, position.restoreUntil()));
                until.put(receiver, offset);
                start.computeIfAbsent(receiver, r -> new HashMap<>()).put(tp.partition(), offset);
            }
            restoreUntil.put(tp, until);
            LOG.info("alerts topic '{}' partition {}: reading from offset {}, delivering from offset {}", topic,
                    tp.partition(), position.start(), until);
        }
        progress = new FeedProgress(deliverer.receivers(), start);
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

    /** Commits the positions if they moved since the last commit. */
    private void save() {
        long generation = progress.generation();
        if (generation == savedGeneration) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            Map<String, Long> positions = progress.positions(tp.partition());
            long lowest = positions.values().stream().mapToLong(Long::longValue).min().orElse(consumer.position(tp));
            offsets.put(tp, new OffsetAndMetadata(lowest, FeedProgress.metadata(positions)));
        }
        try {
            consumer.commitSync(offsets);
            savedGeneration = generation;
            progress.saved(generation);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // The next save covers these positions too; until then a restart would deliver more again.
            LOG.warn("alerts topic '{}': committing offsets failed: {}", topic, e.getMessage());
        }
    }

    private void saveOnStop() {
        try {
            save();
        } catch (WakeupException pending) {
            // The stop's wakeup came after the last blocking call and was used up here: try again.
            save();
        }
    }
}
