package io.stampede.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.config.StampedeConfig;
import io.stampede.detect.BucketStats;
import io.stampede.detect.Observation;
import io.stampede.detect.ObservationKind;
import io.stampede.event.Outcome;
import io.stampede.event.RebootReason;
import io.stampede.event.Trigger;
import io.stampede.io.Json;
import io.stampede.topology.Environments;
import io.stampede.topology.ObservationSerializer;
import io.stampede.topology.ScratchFolder;
import io.stampede.topology.StampedeTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * {@code stampede bench --state}: what the device stage's state costs at a fleet size. It runs the
 * device stage alone on an embedded cluster, fed by a generator (no JSON held in memory, so fleets
 * of tens of millions fit): each device installs an update that needs a reboot and boots once,
 * the state of a device in the middle of a rollout. Then it measures the heap the state takes (heap
 * backend), takes a native savepoint (what a checkpoint of that backend writes: its size and how
 * long it took), and times a restart from that savepoint against a restart without state.
 */
final class StateBench {

    private static final long T0 = 1_795_000_000_000L;
    private static final String[] REGIONS = {"us-east", "us-west", "eu-west", "ap-south"};
    private static final String[] BUILDS = {"22631.4460", "22631.4391", "26100.2314", "19045.5131"};
    private static final long TICK_MS = 1_000;
    /** How far the clock moves event time on past the fleet's events while the state is measured: 5 minutes. */
    private static final long CLOCK_TICKS = 300;

    /** What the sink has seen: the latest bucket the device stage emitted (shared with the job in this JVM). */
    static final AtomicLong LATEST_BUCKET = new AtomicLong(Long.MIN_VALUE);
    /** Devices whose events the generator has made; the clock waits for all of them. */
    static final AtomicLong GENERATED = new AtomicLong();

    private StateBench() {}

    static ObjectNode run(StampedeConfig config, int devices, String backend) throws Exception {
        return run(config, devices, backend, true);
    }

    /**
     * Builds the state of {@code devices} devices and measures it.
     *
     * @param snapshots also take a savepoint and time a restore from it; without, only the build
     *     and (on the heap backend) the heap per device
     */
    static ObjectNode run(StampedeConfig config, int devices, String backend, boolean snapshots) throws Exception {
        long spread = Duration.ofHours(1).toMillis();
        long end = T0 + spread + 1_000;
        long bucketMs = config.detection().bucket().toMillis();
        Path savepoints = Files.createDirectories(ScratchFolder.get().resolve("state-bench-" + System.nanoTime()));
        LATEST_BUCKET.set(Long.MIN_VALUE);
        GENERATED.set(0);
        long baseline = heapUsedAfterGc();

        // As the live job snapshots (ProductionJob): compressed, to files; incremental per the configuration.
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", backend);
        conf.set(ExecutionOptions.SNAPSHOT_COMPRESSION, true);
        conf.setString("execution.checkpointing.dir", savepoints.resolve("checkpoints").toUri().toString());
        conf.setString("execution.checkpointing.incremental", Boolean.toString(config.job().incrementalCheckpoints()));
        long started = System.nanoTime();
        JobClient job = start(config, conf, devices, spread);
        awaitBucket(end + 2 * bucketMs + config.input().outOfOrderness().toMillis());
        double buildSeconds = (System.nanoTime() - started) / 1e9;
        long heapUsed = heapUsedAfterGc() - baseline;

        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("backend", backend);
        n.put("devices", devices);
        n.put("parallelism", config.job().parallelism());
        n.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        n.put("buildSeconds", Math.round(buildSeconds * 10) / 10.0);
        n.put("deviceEventsPerSec", Math.round(2.0 * devices / buildSeconds));
        if ("hashmap".equals(backend)) {
            n.put("heapBytesPerDevice", Math.round((double) heapUsed / devices));
        }
        if (!snapshots) {
            job.cancel().get();
            deleteQuietly(savepoints);
            return n;
        }
        long t = System.nanoTime();
        String savepoint = job.triggerSavepoint(savepoints.toUri().toString(), SavepointFormatType.NATIVE).get();
        double savepointSeconds = (System.nanoTime() - t) / 1e9;
        long savepointBytes = size(Path.of(java.net.URI.create(savepoint)));
        job.cancel().get();

        double fresh = timeToFirstBucket(config, conf, null);
        double restored = timeToFirstBucket(config, conf, savepoint);

        n.put("savepointBytes", savepointBytes);
        n.put("savepointBytesPerDevice", Math.round((double) savepointBytes / devices));
        n.put("savepointSeconds", Math.round(savepointSeconds * 100) / 100.0);
        n.put("restoreSeconds", Math.round(Math.max(0, restored - fresh) * 100) / 100.0);
        System.out.printf(Locale.ROOT, "state of %,d devices, %s backend: %s%s B/device in a native savepoint of %.0f MB"
                        + " taken in %.1f s; restore %.1f s; built at %,.0f device events/s%n", devices, backend,
                "hashmap".equals(backend) ? String.format(Locale.ROOT, "%,d B/device on the heap, ",
                        Math.round((double) heapUsed / devices)) : "",
                String.format(Locale.ROOT, "%,d", Math.round((double) savepointBytes / devices)), savepointBytes / 1e6,
                savepointSeconds, Math.max(0, restored - fresh), 2.0 * devices / buildSeconds);
        deleteQuietly(savepoints);
        return n;
    }

    /** Seconds from submission to the first bucket out of the device stage; the job is cancelled then. */
    private static double timeToFirstBucket(StampedeConfig config, Configuration base, String savepoint)
            throws Exception {
        Configuration conf = new Configuration(base);
        if (savepoint != null) {
            conf.setString("execution.state-recovery.path", savepoint);
        }
        LATEST_BUCKET.set(Long.MIN_VALUE);
        long t = System.nanoTime();
        JobClient job = start(config, conf, 0, 0);
        awaitBucket(Long.MIN_VALUE + 1);
        double seconds = (System.nanoTime() - t) / 1e9;
        job.cancel().get();
        return seconds;
    }

    private static JobClient start(StampedeConfig config, Configuration conf, int devices, long spread)
            throws Exception {
        StreamExecutionEnvironment env = Environments.create(config, Duration.ofMillis(200), conf);
        // The devices' events, then the ticks of one clock device that move event time on until the
        // job is cancelled.
        WatermarkStrategy<Observation> watermarks = WatermarkStrategy.<Observation>forBoundedOutOfOrderness(
                config.input().outOfOrderness()).withTimestampAssigner((o, previous) -> o.eventTime());
        DataStream<Observation> fleet = env.fromSequence(0, Math.max(devices, 1) - 1).uid("state-bench-devices")
                .flatMap(new Generate(devices, spread), ObservationSerializer.TYPE).uid("state-bench-generate")
                .assignTimestampsAndWatermarks(watermarks).uid("state-bench-watermarks");
        DataStream<Observation> clock = env.fromSequence(0, Long.MAX_VALUE / 1_000).setParallelism(1)
                .uid("state-bench-ticks")
                .flatMap(new Tick(T0 + spread + 1_000, devices, devices > 0 ? CLOCK_TICKS : Long.MAX_VALUE),
                        ObservationSerializer.TYPE).setParallelism(1)
                .uid("state-bench-tick")
                .assignTimestampsAndWatermarks(watermarks).setParallelism(1).uid("state-bench-clock");
        DataStream<Observation> events = fleet.union(clock);
        StampedeTopology.devices(events, config)
                .map((MapFunction<BucketStats, Long>) b -> {
                    LATEST_BUCKET.accumulateAndGet(b.bucketStart, Math::max);
                    return b.bucketStart;
                }).uid("state-bench-latest")
                .sinkTo(new DiscardingSink<>());
        return env.executeAsync("stampede bench --state");
    }

    /** Two events per device: a boot, then an install that arms it. */
    private static final class Generate implements FlatMapFunction<Long, Observation> {
        private final int devices;
        private final long spread;

        Generate(int devices, long spread) {
            this.devices = devices;
            this.spread = spread;
        }

        @Override
        public void flatMap(Long i, Collector<Observation> out) throws Exception {
            if (i < devices) {
                String device = "device-" + i;
                String region = REGIONS[(int) (i % REGIONS.length)];
                long t = T0 + i * spread / devices;
                out.collect(new Observation(ObservationKind.BOOT, device, "b-" + i, t, region, null, null, 0, -1,
                        "windows", BUILDS[(int) (i % BUILDS.length)], "7.5." + (i % 3), "KB-2026-10", RebootReason.USER,
                        false, -1, -1, -1, -1, -1, false));
                out.collect(new Observation(ObservationKind.UPDATE_INSTALLED, device, "u-" + i, t + 500, region, null,
                        null, 0, -1, null, null, null, "KB-2026-11", null, true, -1, -1, -1, -1, -1, false));
                GENERATED.incrementAndGet();
            }
        }
    }

    /** One clock device's logins, {@link #TICK_MS} of event time apart, about a thousand a second. */
    private static final class Tick implements FlatMapFunction<Long, Observation> {
        private final long from;
        private final int devices;
        private final long limit;

        Tick(long from, int devices, long limit) {
            this.from = from;
            this.devices = devices;
            this.limit = limit;
        }

        @Override
        public void flatMap(Long tick, Collector<Observation> out) throws Exception {
            // Event time moves on once every device's events are out: the clock's own events would
            // otherwise be held (the watermark is the fleet's, far behind) and pile up in its state.
            while (GENERATED.get() < devices) {
                Thread.sleep(10);
            }
            Thread.sleep(tick < limit ? 1 : 10);
            if (tick >= limit) {
                // Event time stands still: the devices' state stays, and is not forgotten a day later.
                return;
            }
            // A login the device stage counts (an automatic first attempt), so every bucket has something in it.
            out.collect(new Observation(ObservationKind.LOGIN, "bench-clock", "tick-" + tick, from + tick * TICK_MS,
                    REGIONS[0], Trigger.AUTO, Outcome.SUCCESS, 1, 40, null, null, null, null, null, false, -1, -1, -1,
                    -1, -1, false));
        }
    }

    private static void awaitBucket(long bucketStart) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofHours(2).toNanos();
        while (LATEST_BUCKET.get() < bucketStart) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the device stage did not get through the generated fleet in 2 hours");
            }
            Thread.sleep(5);
        }
    }

    private static long heapUsedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Scratch space: the launcher's scratch folder is removed at exit anyway.
        }
    }
}
