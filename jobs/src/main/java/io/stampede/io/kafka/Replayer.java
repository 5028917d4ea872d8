package io.stampede.io.kafka;

import io.stampede.config.StampedeConfig;
import io.stampede.event.InputKind;
import io.stampede.io.ByteLines;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes input events into the login and telemetry topics, paced by their event time: recorded
 * JSONL files (merged into one timeline by event time) or generated ones, such as a simulator
 * scenario's (see {@link Generator}). Records are
 * published byte for byte as they were read, bad ones too (the job dead-letters them), keyed by
 * device (see {@link ReplayRecord}) so that a device's events stay in order in one partition.
 *
 * <p>Each record's Kafka timestamp is the moment it is published, not its event time: the job
 * takes event time from the payload, and a recording older than a topic's retention, or moved
 * ahead of the clock by {@code --shift-to-now} at a fast speed, would otherwise be deleted by
 * the broker's retention at once, or refused ({@code message.timestamp.after.max.ms}).
 *
 * <p>A broker that stops answering is waited for: the producer retries every record until the
 * outage timeout given to {@link #producer}. Nothing is published after the first record Kafka
 * gave up on (so no device's events are reordered by a re-publish), and the {@link Totals} say
 * what Kafka acknowledged and from where the rest of each input would have to be published again.
 *
 * <p>One thread publishes; {@link #stop()} and {@link #abandon()} may be called from another (Ctrl-C).
 */
public final class Replayer {

    /** Longer lines are not published (Kafka would refuse them anyway); they are counted as too large. */
    static final int MAX_LINE_BYTES = 16 << 20;

    /** How often progress is reported. */
    private static final long PROGRESS_NANOS = 500_000_000L;

    /** Records waiting this long without any acknowledgement: the broker has stopped answering. */
    static final Duration SILENCE = Duration.ofSeconds(5);

    /** Input records made second by second of event time, e.g. a simulator scenario's (the CLI plugs it in). */
    public interface Generator {
        boolean hasNext();

        /** Event time (ms) of the second the next {@link #step} makes. */
        long nextSecondMillis();

        /** Makes the next second's records and hands each to {@code out}. */
        void step(BiConsumer<InputKind, byte[]> out);

        /** The share made so far, from 0 to 1. */
        double progress();
    }

    /** Told about the replay's progress about twice a second, and about a broker that stops answering. */
    public interface Progress {
        /**
         * @param published records handed to the producer so far
         * @param share how much of the input is done, 0..1
         * @param eventClock the highest event time published so far (epoch ms), or {@link ReplayRecord#NO_TIME}
         */
        void update(long published, double share, long eventClock);

        /** The broker acknowledged nothing for {@code silent} while {@code waiting} records wait (another thread). */
        default void brokerSilent(long waiting, Duration silent) {}

        /** The broker acknowledges records again, {@code silent} after its last answer before (another thread). */
        default void brokerBack(Duration silent) {}
    }

    /**
     * Where an input stops being published: this record and every one after it in the input were
     * not acknowledged by Kafka, or not read.
     *
     * @param kind the input
     * @param line the line of the input file (1 is the first), or 0 for a simulated scenario
     * @param eventMillis its event time as read (before any shift), or {@link ReplayRecord#NO_TIME}
     */
    public record Resume(InputKind kind, long line, long eventMillis) {}

    /**
     * What a replay published.
     *
     * @param logins records handed to the login topic's producer
     * @param telemetry records handed to the telemetry topic's producer
     * @param loginsPublished login records Kafka acknowledged
     * @param telemetryPublished telemetry records Kafka acknowledged
     * @param notPublished records handed to the producer that Kafka did not acknowledge (gave up, or abandoned)
     * @param withoutKey records published without a key (no device id: bad records, mostly)
     * @param withoutTime records without a readable event time (published where they were read)
     * @param tooLarge records not published because they are too large (for Kafka, or longer than 16 MiB)
     * @param seconds how long the replay took, wall-clock
     * @param stopped whether the replay was stopped ({@link #stop()}) before the end of its input
     * @param failure why Kafka gave up on a record, or null
     * @param resume per input not published to its end, where its unpublished part begins
     */
    public record Totals(long logins, long telemetry, long loginsPublished, long telemetryPublished,
            long notPublished, long withoutKey, long withoutTime, long tooLarge, double seconds, boolean stopped,
            Exception failure, List<Resume> resume) {

        /** Records Kafka acknowledged. */
        public long published() {
            return loginsPublished + telemetryPublished;
        }

        /** Whether the whole input was published (records too large for Kafka aside). */
        public boolean complete() {
            return failure == null && notPublished == 0 && resume.isEmpty();
        }

        public double eventsPerSecond() {
            return published() / Math.max(1e-3, seconds);
        }
    }

    private final Producer<byte[], byte[]> producer;
    private final String loginTopic;
    private final String telemetryTopic;
    private final boolean shiftToNow;
    private final ReplayPacer pacer;

    private final Sent logins = new Sent(InputKind.LOGIN);
    private final Sent telemetry = new Sent(InputKind.TELEMETRY);
    private final AtomicLong tooLarge = new AtomicLong();
    private final List<String> unreadable = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Records handed to the producer whose acknowledgement (or failure) has not come yet. */
    private final AtomicLong waiting = new AtomicLong();
    /** When Kafka last acknowledged a record, or when records started waiting after none had been. */
    private final AtomicLong lastAnswerNanos = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean stopped;
    private volatile boolean abandoned;
    private long withoutKey;
    private long withoutTime;
    private long shiftMillis;
    private boolean shiftKnown;
    private long lastProgress;
    private long scenarioRecords;

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
     * idempotent, lz4. Once the broker has answered, it waits up to {@code outageTimeout} for a
     * broker that stops answering: {@code send} blocks at most that long for room in its buffer,
     * and each record is retried (with backoff) until that long after it was handed over.
     */
    public static KafkaProducer<byte[], byte[]> producer(StampedeConfig.Kafka kafka, Duration outageTimeout) {
        return new KafkaProducer<>(producerProperties(kafka, outageTimeout), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    static Properties producerProperties(StampedeConfig.Kafka kafka, Duration outageTimeout) {
        Properties p = KafkaIo.clientProperties(kafka);
        long outage = Math.max(1_000, outageTimeout.toMillis());
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "stampede-replay");
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(30_000, outage / 2)));
        // While the broker is down, try to connect every few seconds rather than every second.
        p.putIfAbsent(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
        // The outage timeout is the replay's own option: client properties shared with the job do not change it.
        p.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(outage));
        p.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(outage));
        p.setProperty(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
        // Not negotiable: retries neither lose, duplicate nor reorder records (idempotence allows at most
        // 5 requests in flight per connection and keeps each partition in order).
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return p;
    }

    /** Asks the replay to stop after the record it is publishing; what was handed over is still flushed. */
    public void stop() {
        stopped = true;
    }

    /**
     * Stops the replay and gives up at once on what the producer has not delivered yet (Ctrl-C
     * while the broker is down): those records are counted as not published.
     */
    public void abandon() {
        abandoned = true;
        stopped = true;
        producer.close(Duration.ZERO);
    }

    /**
     * Publishes one or two JSONL files (gzip when the name ends in .gz), merged by event time.
     *
     * @param loginFile login events, or null
     * @param telemetryFile telemetry events, or null
     */
    public Totals replayFiles(Path loginFile, Path telemetryFile, Progress progress) throws IOException {
        long started = System.nanoTime();
        lastProgress = started;
        List<Resume> resume = new ArrayList<>();
        try (Lines l = Lines.open(loginFile, InputKind.LOGIN); Lines t = Lines.open(telemetryFile, InputKind.TELEMETRY);
                Watcher watcher = new Watcher(progress)) {
            long size = l.size + t.size;
            l.advance();
            t.advance();
            while (!stopped && failure.get() == null && (l.head != null || t.head != null)) {
                // Telemetry first on a tie: a boot comes before the login it causes.
                Lines next = l.head == null ? t : t.head == null ? l : l.time() < t.time() ? l : t;
                ReplayRecord r = next.head;
                if (r.hasTime()) {
                    pace(r.eventMillis());
                    if (stopped) {
                        break;
                    }
                }
                if (!publish(next.kind, next.line, r)) {
                    break;
                }
                next.advance();
                maybeReport(progress, size == 0 ? 1 : (double) (l.counted.count + t.counted.count) / size);
            }
            tooLarge.addAndGet(l.tooLong + t.tooLong);
            for (Lines in : List.of(l, t)) {
                if (in.unreadable != null) {
                    unreadable.add(in.unreadable);
                }
            }
            drain();
            for (Lines in : List.of(l, t)) {
                Resume unread = in.head == null ? null : new Resume(in.kind, in.line, in.head.eventMillis());
                Resume from = sent(in.kind).earliest(unread, true);
                if (from != null) {
                    resume.add(from);
                }
            }
        }
        return totals(started, resume);
    }

    /** Why input files could not be read to their end (after {@link #replayFiles}); empty when they could. */
    public List<String> unreadable() {
        return List.copyOf(unreadable);
    }

    /** Publishes generated records, second by second of event time. */
    public Totals replayGenerated(Generator generator, Progress progress) {
        long started = System.nanoTime();
        lastProgress = started;
        if (shiftToNow) {
            shiftMillis = System.currentTimeMillis() - generator.nextSecondMillis();
            shiftKnown = true;
        }
        try (Watcher watcher = new Watcher(progress)) {
            while (!stopped && failure.get() == null && generator.hasNext()) {
                pace(generator.nextSecondMillis());
                if (stopped) {
                    break;
                }
                generator.step((kind, json) -> publish(kind, ++scenarioRecords, ReplayRecord.of(json)));
                maybeReport(progress, generator.progress());
            }
            drain();
        }
        List<Resume> resume = new ArrayList<>();
        for (Sent s : List.of(logins, telemetry)) {
            Resume from = s.earliest(generator.hasNext() ? new Resume(s.kind, 0, generator.nextSecondMillis()) : null, false);
            if (from != null) {
                resume.add(from);
            }
        }
        return totals(started, resume);
    }

    private void pace(long eventMillis) {
        long wait = pacer.waitNanos(eventMillis, System.nanoTime());
        long until = System.nanoTime() + wait;
        while (wait > 0 && !stopped) {
            LockSupport.parkNanos(Math.min(wait, 100_000_000L));
            wait = until - System.nanoTime();
        }
    }

    /**
     * Hands one record to the producer, stamped with the time of publishing.
     *
     * @param position its line in its file, or its number in a scenario
     * @return false when it was not handed over (Kafka gave up on an earlier record, or the
     *     producer refused it): the replay stops there
     */
    private boolean publish(InputKind kind, long position, ReplayRecord record) {
        Sent sent = sent(kind);
        if (failure.get() != null || abandoned) {
            sent.notHandedOver(position, record.eventMillis());
            return false;
        }
        ReplayRecord r = record;
        if (r.hasTime() && shiftToNow) {
            if (!shiftKnown) {
                shiftMillis = System.currentTimeMillis() - r.eventMillis();
                shiftKnown = true;
            }
            r = r.shifted(shiftMillis);
        }
        String topic = kind == InputKind.LOGIN ? loginTopic : telemetryTopic;
        sent.unacknowledged.put(position, record.eventMillis());
        if (waiting.getAndIncrement() == 0) {
            lastAnswerNanos.set(System.nanoTime());
        }
        try {
            producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(), r.key(), r.value()),
                    (metadata, e) -> acknowledged(sent, position, e));
        } catch (RuntimeException e) {
            // Closed, or interrupted: the record was not handed over.
            sent.unacknowledged.remove(position);
            waiting.decrementAndGet();
            if (!abandoned) {
                failure.compareAndSet(null, e);
            }
            sent.notHandedOver(position, record.eventMillis());
            return false;
        }
        sent.handed++;
        if (!r.hasTime()) {
            withoutTime++;
        }
        if (r.key() == null) {
            withoutKey++;
        }
        return true;
    }

    /** The producer's callback (its I/O thread, or the sender's when the producer fails at once). */
    private void acknowledged(Sent sent, long position, Exception e) {
        waiting.decrementAndGet();
        if (e == null) {
            sent.unacknowledged.remove(position);
            sent.acknowledged.incrementAndGet();
            lastAnswerNanos.set(System.nanoTime());
        } else if (e instanceof RecordTooLargeException) {
            sent.unacknowledged.remove(position);
            tooLarge.incrementAndGet();
        } else if (!abandoned) {
            failure.compareAndSet(null, e);
        }
    }

    /** Waits for every record handed over, or gives up on them when Kafka gave up on one. */
    private void drain() {
        if (failure.get() == null) {
            try {
                producer.flush();
            } catch (RuntimeException e) {
                if (!abandoned) {
                    failure.compareAndSet(null, e);
                }
            }
        }
        if (failure.get() != null && !abandoned) {
            // Kafka gave up on a record: what was handed over after it must not land after it.
            producer.close(Duration.ZERO);
        }
    }

    private Sent sent(InputKind kind) {
        return kind == InputKind.LOGIN ? logins : telemetry;
    }

    private void maybeReport(Progress progress, double share) {
        long now = System.nanoTime();
        if (progress != null && now - lastProgress >= PROGRESS_NANOS) {
            lastProgress = now;
            progress.update(logins.handed + telemetry.handed, share, pacer.eventClock());
        }
    }

    private Totals totals(long started, List<Resume> resume) {
        return new Totals(logins.handed, telemetry.handed, logins.acknowledged.get(), telemetry.acknowledged.get(),
                logins.unacknowledged.size() + telemetry.unacknowledged.size(), withoutKey, withoutTime,
                tooLarge.get(), (System.nanoTime() - started) / 1e9, stopped, failure.get(), List.copyOf(resume));
    }

    /** One input's records handed to the producer that Kafka has not acknowledged (yet), by position. */
    private static final class Sent {
        final InputKind kind;
        /** Position to event time as read; a record leaves when Kafka acknowledges it. */
        final ConcurrentSkipListMap<Long, Long> unacknowledged = new ConcurrentSkipListMap<>();
        final AtomicLong acknowledged = new AtomicLong();
        long handed;
        /** The first record that was not handed over because the replay had to stop. */
        Resume firstNotHandedOver;

        Sent(InputKind kind) {
            this.kind = kind;
        }

        void notHandedOver(long position, long eventMillis) {
            if (firstNotHandedOver == null) {
                firstNotHandedOver = new Resume(kind, position, eventMillis);
            }
        }

        /**
         * Where this input's unpublished part begins: its first unacknowledged record, else the
         * first one not handed over, else {@code unread} (the next record not read; may be null).
         *
         * @param lines whether positions are file lines (else scenario record numbers, reported as 0)
         */
        Resume earliest(Resume unread, boolean lines) {
            Map.Entry<Long, Long> first = unacknowledged.firstEntry();
            Resume from = first != null ? new Resume(kind, first.getKey(), first.getValue())
                    : firstNotHandedOver != null ? firstNotHandedOver : unread;
            return from == null || lines ? from : new Resume(kind, 0, from.eventMillis());
        }
    }

    /**
     * Checks a few times a second whether the broker still answers and tells the progress when
     * that changes, from its own thread: the publishing one may be blocked in the producer.
     */
    private final class Watcher implements AutoCloseable {
        private final Thread thread;
        private volatile boolean done;

        Watcher(Progress progress) {
            OutageWatch watch = new OutageWatch(SILENCE.toNanos());
            thread = new Thread(() -> {
                while (!done) {
                    LockSupport.parkNanos(200_000_000L);
                    long now = System.nanoTime();
                    switch (watch.check(now, waiting.get(), lastAnswerNanos.get())) {
                        case SILENT -> {
                            if (progress != null) {
                                progress.brokerSilent(waiting.get(), Duration.ofNanos(now - watch.silentSinceNanos()));
                            }
                        }
                        case BACK -> {
                            if (progress != null) {
                                progress.brokerBack(Duration.ofNanos(watch.silentNanos()));
                            }
                        }
                        case NONE -> { }
                    }
                }
            }, "replay-broker-watch");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() {
            done = true;
            LockSupport.unpark(thread);
        }
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
        /** The line {@link #head} was read from (1 is the first). */
        long line;
        long tooLong;
        /** Why the file could not be read to its end, or null. */
        String unreadable;
        private final String name;
        private final ByteLines lines;

        private Lines(String name, InputKind kind, long size, CountingInputStream counted, InputStream in) {
            this.name = name;
            this.kind = kind;
            this.size = size;
            this.counted = counted;
            this.in = in;
            this.lines = new ByteLines(in, MAX_LINE_BYTES);
        }

        static Lines open(Path file, InputKind kind) throws IOException {
            if (file == null) {
                CountingInputStream none = new CountingInputStream(InputStream.nullInputStream());
                return new Lines("", kind, 0, none, none);
            }
            CountingInputStream counted = new CountingInputStream(Files.newInputStream(file));
            InputStream in = counted;
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(counted, 1 << 16);
            }
            return new Lines(file.toString(), kind, Files.size(file), counted, in);
        }

        long time() {
            return head.hasTime() ? head.eventMillis() : lastTime;
        }

        /**
         * Reads the next non-empty line into {@link #head} (null at the end). A file that cannot be
         * read further (a truncated or corrupt .gz) ends there, with {@link #unreadable} saying so.
         */
        void advance() {
            head = null;
            if (unreadable != null) {
                return;
            }
            try {
                read();
            } catch (IOException e) {
                unreadable = ByteLines.unreadable(name, line + 1, e) + ", its lines before were published";
            }
        }

        private void read() throws IOException {
            while (lines.next()) {
                line++;
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
