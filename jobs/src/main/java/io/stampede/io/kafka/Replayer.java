package io.stampede.io.kafka;

import io.stampede.config.StampedeConfig;
import io.stampede.event.InputKind;
import io.stampede.io.ByteLines;
import io.stampede.sim.FleetSimulator;
import io.stampede.sim.Scenario;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes input events into the login and telemetry topics, paced by their event time: recorded
 * JSONL files (merged into one timeline by event time) or a simulator scenario. Records are
 * published byte for byte as they were read, bad ones too (the job dead-letters them), keyed by
 * device (see {@link ReplayRecord}) so that a device's events stay in order in one partition.
 *
 * <p>One thread publishes; {@link #stop()} may be called from another (Ctrl-C).
 */
public final class Replayer {

    /** Longer lines are not published (Kafka would refuse them anyway); they are counted as too large. */
    static final int MAX_LINE_BYTES = 16 << 20;

    /** How often progress is reported. */
    private static final long PROGRESS_NANOS = 500_000_000L;

    /** Told about the replay's progress about twice a second. */
    public interface Progress {
        /**
         * @param published records handed to the producer so far
         * @param share how much of the input is done, 0..1
         * @param eventClock the highest event time published so far (epoch ms), or {@link ReplayRecord#NO_TIME}
         */
        void update(long published, double share, long eventClock);
    }

    /**
     * What a replay published.
     *
     * @param published records Kafka acknowledged
     * @param logins records handed to the login topic's producer
     * @param telemetry records handed to the telemetry topic's producer
     * @param withoutKey records published without a key (no device id: bad records, mostly)
     * @param withoutTime records without a readable event time (published where they were read)
     * @param tooLarge records not published because they are too large (for Kafka, or longer than 16 MiB)
     * @param seconds how long the replay took, wall-clock
     * @param stopped whether the replay was stopped before the end of its input
     */
    public record Totals(long published, long logins, long telemetry, long withoutKey, long withoutTime,
            long tooLarge, double seconds, boolean stopped) {

        public double eventsPerSecond() {
            return published / Math.max(1e-3, seconds);
        }
    }

    private final Producer<byte[], byte[]> producer;
    private final String loginTopic;
    private final String telemetryTopic;
    private final boolean shiftToNow;
    private final ReplayPacer pacer;

    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong tooLarge = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean stopped;
    private long logins;
    private long telemetry;
    private long withoutKey;
    private long withoutTime;
    private long shiftMillis;
    private boolean shiftKnown;
    private long lastProgress;

    public Replayer(Producer<byte[], byte[]> producer, String loginTopic, String telemetryTopic, ReplaySpeed speed,
            boolean shiftToNow) {
        this.producer = producer;
        this.loginTopic = loginTopic;
        this.telemetryTopic = telemetryTopic;
        this.shiftToNow = shiftToNow;
        this.pacer = new ReplayPacer(speed);
    }

    /**
     * The producer a replay uses: the configured client properties (security included), acks=all,
     * idempotent, lz4; it waits at most {@code timeout} for the broker (metadata, buffer space,
     * delivery) before failing.
     */
    public static KafkaProducer<byte[], byte[]> producer(StampedeConfig.Kafka kafka, Duration timeout) {
        Properties p = KafkaIo.clientProperties(kafka);
        long wait = Math.max(1_000, timeout.toMillis());
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "stampede-replay");
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(wait));
        p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(15_000, wait / 2)));
        p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(wait));
        // Not negotiable: nothing may be lost or written twice by producer retries.
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Asks the replay to stop after the record it is publishing; what was handed over is still flushed. */
    public void stop() {
        stopped = true;
    }

    /**
     * Publishes one or two JSONL files (gzip when the name ends in .gz), merged by event time.
     *
     * @param loginFile login events, or null
     * @param telemetryFile telemetry events, or null
     * @throws KafkaTopics.Unavailable when Kafka does not take the records
     */
    public Totals replayFiles(Path loginFile, Path telemetryFile, Progress progress) throws IOException {
        long started = System.nanoTime();
        lastProgress = started;
        try (Lines l = Lines.open(loginFile, InputKind.LOGIN); Lines t = Lines.open(telemetryFile, InputKind.TELEMETRY)) {
            long size = l.size + t.size;
            l.advance();
            t.advance();
            while (!stopped && (l.head != null || t.head != null)) {
                // Telemetry first on a tie: a boot comes before the login it causes.
                Lines next = l.head == null ? t : t.head == null ? l : l.time() < t.time() ? l : t;
                ReplayRecord r = next.head;
                if (r.hasTime()) {
                    pace(r.eventMillis());
                }
                publish(next.kind, r);
                next.advance();
                maybeReport(progress, size == 0 ? 1 : (double) (l.counted.count + t.counted.count) / size);
            }
            tooLarge.addAndGet(l.tooLong + t.tooLong);
        }
        return finish(started);
    }

    /** Publishes a simulator scenario (nobody throttling), second by second of event time. */
    public Totals replayScenario(Scenario scenario, Progress progress) {
        long started = System.nanoTime();
        lastProgress = started;
        FleetSimulator sim = new FleetSimulator(scenario, null, 0);
        if (shiftToNow) {
            shiftMillis = System.currentTimeMillis() - scenario.start().toEpochMilli();
            shiftKnown = true;
        }
        while (!stopped && sim.hasNext()) {
            pace(sim.nextSecondMillis());
            sim.step((kind, json) -> publish(kind, ReplayRecord.of(json)));
            maybeReport(progress, sim.secondsPlayed() / (double) Math.max(1, sim.totalSeconds()));
        }
        return finish(started);
    }

    private void pace(long eventMillis) {
        long wait = pacer.waitNanos(eventMillis, System.nanoTime());
        long until = System.nanoTime() + wait;
        while (wait > 0 && !stopped) {
            LockSupport.parkNanos(Math.min(wait, 100_000_000L));
            wait = until - System.nanoTime();
        }
    }

    private void publish(InputKind kind, ReplayRecord record) {
        Exception failed = failure.get();
        if (failed != null) {
            throw unavailable(failed);
        }
        ReplayRecord r = record;
        if (!r.hasTime()) {
            withoutTime++;
        } else if (shiftToNow) {
            if (!shiftKnown) {
                shiftMillis = System.currentTimeMillis() - r.eventMillis();
                shiftKnown = true;
            }
            r = r.shifted(shiftMillis);
        }
        if (r.key() == null) {
            withoutKey++;
        }
        String topic = kind == InputKind.LOGIN ? loginTopic : telemetryTopic;
        try {
            producer.send(new ProducerRecord<>(topic, r.key(), r.value()), (metadata, e) -> {
                if (e == null) {
                    acknowledged.incrementAndGet();
                } else if (e instanceof RecordTooLargeException) {
                    tooLarge.incrementAndGet();
                } else {
                    failure.compareAndSet(null, e);
                }
            });
        } catch (KafkaException e) {
            throw unavailable(e);
        }
        if (kind == InputKind.LOGIN) {
            logins++;
        } else {
            telemetry++;
        }
    }

    private void maybeReport(Progress progress, double share) {
        long now = System.nanoTime();
        if (progress != null && now - lastProgress >= PROGRESS_NANOS) {
            lastProgress = now;
            progress.update(logins + telemetry, share, pacer.eventClock());
        }
    }

    private Totals finish(long started) {
        try {
            producer.flush();
        } catch (KafkaException e) {
            throw unavailable(e);
        }
        Exception failed = failure.get();
        if (failed != null) {
            throw unavailable(failed);
        }
        return new Totals(acknowledged.get(), logins, telemetry, withoutKey, withoutTime, tooLarge.get(),
                (System.nanoTime() - started) / 1e9, stopped);
    }

    private static KafkaTopics.Unavailable unavailable(Exception e) {
        String why = e instanceof TimeoutException
                ? "Kafka did not take the records in time (is the broker still running?): " + e.getMessage()
                : "Kafka refused the records: " + e;
        return new KafkaTopics.Unavailable(why);
    }

    /** Lines of one input file as records, with the event time the merge orders them by. */
    private static final class Lines implements AutoCloseable {
        final InputKind kind;
        final long size;
        final CountingInputStream counted;
        final InputStream in;
        ReplayRecord head;
        /** The last event time read from this file: where a record without one is placed. */
        long lastTime = Long.MIN_VALUE;
        long tooLong;
        private final ByteLines lines;

        private Lines(InputKind kind, long size, CountingInputStream counted, InputStream in) {
            this.kind = kind;
            this.size = size;
            this.counted = counted;
            this.in = in;
            this.lines = new ByteLines(in, MAX_LINE_BYTES);
        }

        static Lines open(Path file, InputKind kind) throws IOException {
            if (file == null) {
                CountingInputStream none = new CountingInputStream(InputStream.nullInputStream());
                return new Lines(kind, 0, none, none);
            }
            CountingInputStream counted = new CountingInputStream(Files.newInputStream(file));
            InputStream in = counted;
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(counted, 1 << 16);
            }
            return new Lines(kind, Files.size(file), counted, in);
        }

        long time() {
            return head.hasTime() ? head.eventMillis() : lastTime;
        }

        /** Reads the next non-empty line into {@link #head} (null at the end). */
        void advance() throws IOException {
            head = null;
            while (lines.next()) {
                if (lines.total() > MAX_LINE_BYTES) {
                    tooLong++;
                } else if (lines.length() > 0) {
                    head = ReplayRecord.of(Arrays.copyOf(lines.bytes(), lines.length()));
                    if (head.hasTime()) {
                        lastTime = head.eventMillis();
                    }
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Counts the bytes read from a file, for progress (before decompression). */
    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
