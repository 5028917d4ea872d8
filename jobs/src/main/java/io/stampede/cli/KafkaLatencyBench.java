package io.stampede.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.config.StampedeConfig;
import io.stampede.event.InputKind;
import io.stampede.event.Timestamps;
import io.stampede.io.Json;
import io.stampede.io.kafka.KafkaIo;
import io.stampede.io.kafka.ProductionJob;
import io.stampede.io.kafka.ReplayRecord;
import io.stampede.sim.FleetSimulator;
import io.stampede.sim.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The end-to-end latency of the live job on a real broker: a simulated wave is produced into fresh
 * input topics at a multiple of real time while the job runs on the in-process cluster, and every
 * output is matched to the moment the event that let it be computed was produced.
 *
 * <p>An output about the bucket ending at event time {@code E} can only be computed once the
 * watermark has passed {@code E}, that is once an event of time {@code E + outOfOrderness} has been
 * read from every partition; the latency of the output is the time from the produce of that event
 * (the start of the simulated second that holds it) to the output's arrival at a consumer. Two
 * consumers measure it: one with {@code read_uncommitted} (the output has been written: processing
 * latency) and one with {@code read_committed} (its transaction has been committed at a checkpoint:
 * what a downstream system can see).
 */
final class KafkaLatencyBench {

    private static final String[] OUTPUTS = {"alerts", "directives", "signals"};
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(30);

    private final StampedeConfig config;
    private final Scenario scenario;
    private final double speed;
    private final String prefix;

    private final AtomicLongArray sentNanos;
    private final long startMs;
    private final long warmupEndMs;
    private final long completionOffsetMs;

    KafkaLatencyBench(StampedeConfig config, Scenario scenario, double speed, String prefix) {
        this.config = config;
        this.scenario = scenario;
        this.speed = speed;
        this.prefix = prefix;
        this.startMs = scenario.start().toEpochMilli();
        this.sentNanos = new AtomicLongArray((int) scenario.duration().toSeconds() + 1);
        this.warmupEndMs = startMs + config.detection().warmupTime().toMillis();
        this.completionOffsetMs = config.input().outOfOrderness().toMillis();
    }

    /** The topics the run uses, created for it and deleted after it. */
    static Map<String, String> topics(String prefix) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("logins", prefix + "-logins");
        t.put("telemetry", prefix + "-telemetry");
        t.put("alerts", prefix + "-alerts");
        t.put("directives", prefix + "-directives");
        t.put("signals", prefix + "-signals");
        t.put("deadLetters", prefix + "-dead-letters");
        return t;
    }

    /** Runs the measurement; returns the figures as JSON. */
    ObjectNode run() throws Exception {
        Properties client = KafkaIo.clientProperties(config.kafka());
        client.setProperty("request.timeout.ms", "15000");
        client.setProperty("default.api.timeout.ms", "20000");
        Map<String, String> topics = topics(prefix);
        try (Admin admin = Admin.create(client)) {
            try {
                admin.describeCluster().nodes().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new StampedeCli.UserException("cannot reach Kafka at " + config.kafka().bootstrapServers()
                        + " (" + rootMessage(e) + "); start the local stack with './stampede local up' or point "
                        + "kafka.bootstrapServers at a broker");
            }
            List<NewTopic> create = new ArrayList<>();
            topics.forEach((k, name) -> create.add(new NewTopic(name,
                    k.equals("logins") || k.equals("telemetry") ? 3 : 1, (short) 1)));
            admin.createTopics(create).all().get(30, TimeUnit.SECONDS);
            try {
                return measure(client, topics);
            } finally {
                admin.deleteTopics(topics.values()).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private ObjectNode measure(Properties client, Map<String, String> topics) throws Exception {
        Recorder emitted = new Recorder(client, topics, false);
        Recorder committed = new Recorder(client, topics, true);
        JobClient job = ProductionJob.build(config, false).executeAsync(ProductionJob.JOB_NAME + "-latency-bench");
        Thread emittedThread = new Thread(emitted, "latency-read-uncommitted");
        Thread committedThread = new Thread(committed, "latency-read-committed");
        try {
            awaitRunning(job);
            emittedThread.start();
            committedThread.start();
            long events = produce(client, topics);
            long settle = 2 * config.job().checkpointInterval().toMillis() + 5_000;
            System.out.printf(Locale.ROOT, "Produced %,d events; waiting up to %.1f s for the last outputs to commit...%n",
                    events, settle / 1e3);
            awaitCommitted(emitted, committed, settle);
        } finally {
            emitted.stop();
            committed.stop();
            emittedThread.join(10_000);
            committedThread.join(10_000);
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        return report(emitted, committed);
    }

    /**
     * Waits until every output written has also been committed and nothing new has been written for
     * a checkpoint interval (the job's last outputs are out), or {@code maxMs} has passed.
     */
    private void awaitCommitted(Recorder emitted, Recorder committed, long maxMs) throws InterruptedException {
        long quietMs = config.job().checkpointInterval().toMillis() + 1_000;
        long deadline = System.currentTimeMillis() + maxMs;
        long written = -1;
        long lastWrite = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline) {
            long now = System.currentTimeMillis();
            if (emitted.records != written) {
                written = emitted.records;
                lastWrite = now;
            } else if (committed.records >= written && now - lastWrite >= quietMs) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the job did not start within 2 minutes");
            }
            Thread.sleep(100);
        }
        // Tasks deploy after the job switches to RUNNING; give the sources time to be assigned their partitions.
        Thread.sleep(3_000);
    }

    /** Produces the scenario paced at {@code speed} times real time; remembers when each second began. */
    private long produce(Properties client, Map<String, String> topics) {
        Properties p = new Properties();
        p.putAll(client);
        p.setProperty("acks", "all");
        p.setProperty("enable.idempotence", "true");
        p.setProperty("linger.ms", "5");
        long[] count = {0};
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            FleetSimulator sim = new FleetSimulator(scenario, null, 0);
            long wallStart = System.nanoTime();
            int lastPercent = -1;
            while (sim.hasNext()) {
                long t = sim.nextSecondMillis();
                long due = wallStart + (long) ((t - startMs) * 1e6 / speed);
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                sentNanos.set(sim.secondsPlayed(), System.nanoTime());
                sim.step((kind, json) -> {
                    String topic = kind == InputKind.LOGIN ? topics.get("logins") : topics.get("telemetry");
                    // Keyed as a replay keys them: a device's events stay in order in one partition.
                    producer.send(new ProducerRecord<>(topic, ReplayRecord.of(json).key(), json), (m, e) -> {
                        if (e != null) {
                            sendFailure.compareAndSet(null, e);
                        }
                    });
                    count[0]++;
                });
                int percent = 100 * sim.secondsPlayed() / sim.totalSeconds();
                if (percent % 10 == 0 && percent != lastPercent) {
                    lastPercent = percent;
                    System.out.printf(Locale.ROOT, "  %3d%% of the scenario produced (%,d events)%n", percent, count[0]);
                }
            }
            producer.flush();
        }
        if (sendFailure.get() != null) {
            // A latency measured over a stream with holes in it would not mean anything.
            throw new IllegalStateException("the broker did not take every event: " + sendFailure.get().getMessage(),
                    sendFailure.get());
        }
        return count[0];
    }

    /**
     * Event time of the bucket end an output was computed at: {@code issuedAt} for directives and
     * signals, {@code detectedAt} for the first message of an alert (updates and resolutions are
     * left out: they are sent on their own schedule). Long.MIN_VALUE when the record does not count.
     */
    static long evaluatedAt(String output, JsonNode json) {
        if (output.equals("alerts")) {
            return json.path("sequence").asInt() == 1 ? Timestamps.parse(json.path("detectedAt").asText())
                    : Long.MIN_VALUE;
        }
        return Timestamps.parse(json.path("issuedAt").asText());
    }

    private ObjectNode report(Recorder emitted, Recorder committed) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("scenario", scenario.name());
        json.put("devices", scenario.devices());
        json.put("speed", speed);
        json.put("checkpointIntervalMs", config.job().checkpointInterval().toMillis());
        json.put("outOfOrdernessMs", completionOffsetMs);
        json.put("parallelism", config.job().parallelism());
        json.put("cores", Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%nLatency from the produce of the completing event to the output at a consumer "
                + "(ms; checkpoint interval %d ms, %.0fx real time):%n", config.job().checkpointInterval().toMillis(),
                speed);
        System.out.printf(Locale.ROOT, "  %-22s %-11s %8s %8s %8s %8s %8s%n", "read as", "output", "count", "p50", "p90",
                "p99", "max");
        for (Recorder r : List.of(emitted, committed)) {
            ObjectNode side = json.putObject(r.committed ? "committed" : "written");
            Histogram all = new Histogram(HIGHEST_MICROS, 3);
            for (String output : OUTPUTS) {
                Histogram h = r.histograms.get(output);
                all.add(h);
                side.set(output, figures(h));
                print(r, output, h);
            }
            side.set("all", figures(all));
            print(r, "all", all);
            side.put("unmatched", r.unmatched);
            side.put("beforeCompletion", r.early);
        }
        return json;
    }

    private static void print(Recorder r, String output, Histogram h) {
        String as = r.committed ? "read_committed" : "read_uncommitted";
        if (h.getTotalCount() == 0) {
            System.out.printf(Locale.ROOT, "  %-22s %-11s %8d %8s %8s %8s %8s%n", as, output, 0, "-", "-", "-", "-");
            return;
        }
        System.out.printf(Locale.ROOT, "  %-22s %-11s %8d %8.0f %8.0f %8.0f %8.0f%n", as, output, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getMaxValue() / 1e3);
    }

    private static ObjectNode figures(Histogram h) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("count", h.getTotalCount());
        if (h.getTotalCount() > 0) {
            n.put("p50Ms", h.getValueAtPercentile(50) / 1e3);
            n.put("p90Ms", h.getValueAtPercentile(90) / 1e3);
            n.put("p99Ms", h.getValueAtPercentile(99) / 1e3);
            n.put("maxMs", h.getMaxValue() / 1e3);
        }
        return n;
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Reads the output topics from the beginning and records each output's latency. */
    private final class Recorder implements Runnable {
        final boolean committed;
        final Map<String, Histogram> histograms = new LinkedHashMap<>();
        private final Map<String, String> outputOfTopic = new LinkedHashMap<>();
        private final KafkaConsumer<byte[], byte[]> consumer;
        private volatile boolean running = true;
        long unmatched;
        long early;
        /** Records read so far, whatever they are. */
        volatile long records;

        Recorder(Properties client, Map<String, String> topics, boolean committed) {
            this.committed = committed;
            Properties p = new Properties();
            p.putAll(client);
            p.setProperty("isolation.level", committed ? "read_committed" : "read_uncommitted");
            p.setProperty("enable.auto.commit", "false");
            p.setProperty("fetch.max.wait.ms", "10");
            consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (String output : OUTPUTS) {
                histograms.put(output, new Histogram(HIGHEST_MICROS, 3));
                outputOfTopic.put(topics.get(output), output);
                partitions.add(new TopicPartition(topics.get(output), 0));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        void stop() {
            running = false;
            consumer.wakeup();
        }

        @Override
        public void run() {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        long arrived = System.nanoTime();
                        record(outputOfTopic.get(r.topic()), r.value(), arrived);
                        records++;
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                // stop() was called
            } catch (Exception e) {
                System.err.println("latency bench: reading outputs failed: " + e);
            }
        }

        private void record(String output, byte[] value, long arrived) {
            long at;
            try {
                at = evaluatedAt(output, Json.MAPPER.readTree(value));
            } catch (Exception e) {
                unmatched++;
                return;
            }
            if (at == Long.MIN_VALUE || at < warmupEndMs) {
                return;
            }
            int second = (int) ((at + completionOffsetMs - startMs) / 1000);
            long sent = second >= 0 && second < sentNanos.length() ? sentNanos.get(second) : 0;
            if (sent == 0) {
                unmatched++;
                return;
            }
            long micros = (arrived - sent) / 1000;
            if (micros < 0) {
                early++;
                micros = 0;
            }
            histograms.get(output).recordValue(Math.min(micros, HIGHEST_MICROS));
        }
    }
}
