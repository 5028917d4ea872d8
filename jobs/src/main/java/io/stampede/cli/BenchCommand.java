package io.stampede.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.config.ConfigLoader;
import io.stampede.config.StampedeConfig;
import io.stampede.event.ContractValidator;
import io.stampede.event.Envelope;
import io.stampede.event.EventParser;
import io.stampede.io.Json;
import io.stampede.io.MemorySource;
import io.stampede.io.RawRecord;
import io.stampede.sim.FleetSimulator;
import io.stampede.sim.Scenario;
import io.stampede.topology.Environments;
import io.stampede.topology.StampedeTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stampede bench}: throughput of the full pipeline against a parse-only floor. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measures throughput of the full pipeline beside a parse-only floor.",
            "",
            "Events/s through the full Stampede topology, from serialized JSON held in memory to its outputs, beside a "
                    + "parse-only floor measured in the same run (the same source and parsing, nothing after it), on an "
                    + "in-process Flink mini cluster, timed from the first record read to the end of the job. Each is "
                    + "run --rounds times, each round running every measurement once, and the median counts; the ratio "
                    + "is taken within each round. Before them --warmup rounds run the same way and are reported apart: "
                    + "the JIT compiles each topology's code and, as the topologies take turns, recompiles it, which a "
                    + "live job that runs one topology for hours pays once. Beside events/s, the CPU time the whole JVM spent "
                    + "per event over the same span (every thread: tasks, garbage collector, compiler), and the ratio by "
                    + "it: steadier when the machine is shared, and split by thread: Flink's source threads (parsing and the "
                    + "accept stage), the device stage's, the segments', the correlator's, other Java threads, the garbage "
                    + "collector's and the JIT compiler's (read where Linux shows them), and the JVM's other threads. Per stage: the pipeline cut after the accept stage "
                    + "(parse, dedup and counting of order-free events) and after the device stage. Then the heap the device "
                    + "stage's state takes per device, for as many devices. Prints the figures and writes them as "
                    + "JSON.",
            "",
            "With --state it measures the device stage's state instead (see --state).",
            "",
            "With --kafka it measures latency instead, on a real broker (kafka.bootstrapServers; './stampede local up' "
                    + "starts one on 127.0.0.1:9092): the update-wave scenario is produced into fresh topics at --speed "
                    + "times real time while the live job runs in process with exactly-once sinks, and each output is "
                    + "timed from the produce of the event that let it be computed to its arrival at a read_uncommitted "
                    + "consumer (written) and at a read_committed one (committed at a checkpoint). Prints p50/p90/p99/max "
                    + "per output and writes them as JSON. The topics are deleted afterwards.",
            ""})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--devices", paramLabel = "N",
            description = "Fleet size of the update-wave scenario that makes the events (default: 1000000, about 5 "
                    + "million events and 1.5 GB of JSON in memory; with --kafka 300000; with --state the devices whose "
                    + "state is measured, default 1000000).")
    Integer devices;

    @Option(names = "--kafka", description = "Measure end-to-end latency through a real Kafka broker instead of throughput.")
    boolean kafka;

    @Option(names = "--state", description = "Measure the device stage's state instead: heap bytes per device, the size and "
            + "duration of a native savepoint (what a checkpoint writes) and the restore time, at --devices.")
    boolean state;

    @Option(names = "--backend", paramLabel = "NAME", split = ",",
            description = "With --state: hashmap, rocksdb or both (default: hashmap,rocksdb).")
    List<String> backends = List.of("hashmap", "rocksdb");

    @Option(names = "--speed", defaultValue = "60", paramLabel = "X",
            description = "With --kafka: how many times faster than real time the events are produced "
                    + "(default: ${DEFAULT-VALUE}; the 150-minute scenario then takes 2.5 minutes).")
    double speed;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "N", description = "Rounds of each measurement (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "2", paramLabel = "N",
            description = "Rounds run first and not counted, while the JIT compiles (default: ${DEFAULT-VALUE}; "
                    + "0 measures from a cold JVM).")
    int warmup;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write the figures (default: stampede-out/bench.json, with --kafka "
                    + "stampede-out/bench-kafka.json, with --state stampede-out/bench-state.json).")
    Path out;

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() throws Exception {
        if (kafka) {
            return latency();
        }
        if (state) {
            return state();
        }
        if (out == null) {
            out = Path.of("stampede-out", "bench.json");
        }
        if (rounds < 1 || warmup < 0) {
            throw new StampedeCli.UserException("--rounds must be at least 1 and --warmup at least 0, got --rounds "
                    + rounds + " --warmup " + warmup);
        }
        OutputFolder.prepareFile(out, "--out");
        int devices = this.devices == null ? 1_000_000 : this.devices;
        StampedeConfig config = configOptions.load();
        int parallelism = config.job().parallelism();
        System.out.printf("Generating events (update-wave scenario, %,d devices)...%n", devices);
        List<RawRecord> records = new ArrayList<>();
        long bytes = 0;
        FleetSimulator sim = new FleetSimulator(Scenario.updateWave(devices, 7), null, 0);
        while (sim.hasNext()) {
            sim.step((kind, json) -> records.add(new RawRecord(kind, json)));
        }
        for (RawRecord r : records) {
            bytes += r.bytes().length;
        }
        System.out.printf(Locale.ROOT, "%,d events, %.0f MB of JSON, mean %d bytes%n", records.size(), bytes / 1e6,
                bytes / records.size());

        double singleThreadParse = parseInJvm(records);
        System.out.printf(Locale.ROOT, "parse only, one thread, no Flink:  %,12.0f events/s%n", singleThreadParse);
        Map<Stage, List<Double>> figures = new EnumMap<>(Stage.class);
        Map<Stage, List<Double>> cpuFigures = new EnumMap<>(Stage.class);
        Map<Stage, List<Double>> warmupFigures = new EnumMap<>(Stage.class);
        Map<Stage, Map<ThreadCpu.Group, List<Double>>> byThread = new EnumMap<>(Stage.class);
        boolean threadSplit = ThreadCpu.supported();
        List<Double> ratios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        for (int round = 1 - warmup; round <= rounds; round++) {
            boolean counted = round >= 1;
            String name = counted ? "round " + round : "warm-up " + (round + warmup);
            Map<Stage, Figure> thisRound = new EnumMap<>(Stage.class);
            for (Stage stage : Stage.values()) {
                Figure f = run(config, records, stage);
                thisRound.put(stage, f);
                (counted ? figures : warmupFigures).computeIfAbsent(stage, k -> new ArrayList<>()).add(f.eventsPerSec());
                if (counted) {
                    cpuFigures.computeIfAbsent(stage, k -> new ArrayList<>()).add(f.cpuMicrosPerEvent());
                }
                System.out.printf(Locale.ROOT, "%-9s  %-32s %,12.0f events/s  %5.2f CPU us/event%n", name,
                        stage.label + ":", f.eventsPerSec(), f.cpuMicrosPerEvent());
                if (counted) {
                    f.byThread().forEach((g, us) -> byThread.computeIfAbsent(stage, k -> new EnumMap<>(ThreadCpu.Group.class))
                            .computeIfAbsent(g, k -> new ArrayList<>()).add(us));
                }
                if (threadSplit) {
                    System.out.printf(Locale.ROOT, "%-9s    by thread, CPU us/event: %s%n", "", f.byThreadLine());
                }
            }
            double ratio = thisRound.get(Stage.FULL).eventsPerSec() / thisRound.get(Stage.FLOOR).eventsPerSec();
            double cpuRatio = thisRound.get(Stage.FLOOR).cpuMicrosPerEvent() / thisRound.get(Stage.FULL).cpuMicrosPerEvent();
            if (counted) {
                ratios.add(ratio);
                cpuRatios.add(cpuRatio);
            }
            System.out.printf(Locale.ROOT, "%-9s  full pipeline / floor:           %11.0f %%  (by CPU time per event: %.0f %%)%n",
                    name, 100 * ratio, 100 * cpuRatio);
        }
        double floor = median(figures.get(Stage.FLOOR));
        double full = median(figures.get(Stage.FULL));
        double ratio = median(ratios);
        System.out.printf(Locale.ROOT, "%nmedian of %d rounds after %d warm-up: full pipeline %,.0f events/s = %.0f%% of the "
                + "parse-only floor %,.0f events/s (ratio within each round; parallelism %d, %d cores)%n", rounds,
                warmup, full, 100 * ratio, floor, parallelism, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "per stage (median): up to accept %,.0f, up to devices %,.0f events/s%n",
                median(figures.get(Stage.ACCEPT)), median(figures.get(Stage.DEVICES)));
        System.out.printf(Locale.ROOT, "CPU time per event, every thread of the JVM (median): floor %.2f us, up to accept "
                + "%.2f, up to devices %.2f, full pipeline %.2f; floor / full %.0f %% (steadier than events/s when "
                + "the machine is shared)%n", median(cpuFigures.get(Stage.FLOOR)), median(cpuFigures.get(Stage.ACCEPT)),
                median(cpuFigures.get(Stage.DEVICES)), median(cpuFigures.get(Stage.FULL)), 100 * median(cpuRatios));
        if (threadSplit) {
            StringBuilder split = new StringBuilder();
            byThread.get(Stage.FULL).forEach((g, values) -> split.append(split.isEmpty() ? "" : ", ").append(g.label)
                    .append(String.format(Locale.ROOT, " %.2f", median(values))));
            System.out.printf(Locale.ROOT, "full pipeline by thread, CPU us/event (median): %s%n", split);
        }
        System.out.printf(Locale.ROOT, "targets: %,d events/s and %.0f%% of the floor%n", 1_000_000, 70.0);
        int events = records.size();
        long meanBytes = bytes / events;
        // The device stage's state of as many devices, on the heap: measured without the events in
        // memory (bench --state also measures RocksDB, savepoints and restores).
        records.clear();
        ObjectNode heap = StateBench.run(config, devices, "hashmap", false);
        long perDevice = heap.path("heapBytesPerDevice").asLong();
        System.out.printf(Locale.ROOT, "device state: %,d bytes per device on the heap (%,d devices; bench --state "
                + "measures RocksDB, savepoints and restores)%n", perDevice, devices);
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("devices", devices);
        json.put("events", events);
        json.put("meanEventBytes", meanBytes);
        json.put("deviceStateHeapBytesPerDevice", perDevice);
        json.put("parallelism", parallelism);
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        json.put("rounds", rounds);
        json.put("warmupRounds", warmup);
        json.put("parseOnlySingleThreadEventsPerSec", Math.round(singleThreadParse));
        json.put("parseOnlyFloorEventsPerSec", Math.round(floor));
        json.put("fullPipelineEventsPerSec", Math.round(full));
        json.put("fullToFloorRatio", Math.round(ratio * 1000) / 1000.0);
        json.put("fullToFloorCpuRatio", Math.round(median(cpuRatios) * 1000) / 1000.0);
        ObjectNode stages = json.putObject("stages");
        for (Stage stage : Stage.values()) {
            ObjectNode n = stages.putObject(stage.key);
            n.put("description", stage.label);
            n.put("medianEventsPerSec", Math.round(median(figures.get(stage))));
            n.put("bestEventsPerSec", Math.round(figures.get(stage).stream().mapToDouble(d -> d).max().orElse(0)));
            n.put("medianCpuMicrosPerEvent", Math.round(median(cpuFigures.get(stage)) * 1000) / 1000.0);
            if (threadSplit) {
                ObjectNode split = n.putObject("medianCpuMicrosPerEventByThread");
                byThread.get(stage).forEach((g, values) -> split.put(g.key, Math.round(median(values) * 1000) / 1000.0));
            }
            figures.get(stage).forEach(v -> n.withArray("rounds").add(Math.round(v)));
            warmupFigures.getOrDefault(stage, List.of()).forEach(v -> n.withArray("warmupRounds").add(Math.round(v)));
        }
        ratios.forEach(r -> json.withArray("fullToFloorRatioPerRound").add(Math.round(r * 1000) / 1000.0));
        cpuRatios.forEach(r -> json.withArray("fullToFloorCpuRatioPerRound").add(Math.round(r * 1000) / 1000.0));
        json.put("targetEventsPerSec", 1_000_000);
        json.put("targetRatio", 0.7);
        write(json);
        return 0;
    }

    private Integer latency() throws Exception {
        if (!(speed > 0)) {
            throw new StampedeCli.UserException("--speed must be a positive number, got " + speed);
        }
        if (out == null) {
            out = Path.of("stampede-out", "bench-kafka.json");
        }
        OutputFolder.prepareFile(out, "--out");
        String prefix = "stampede-bench-" + System.currentTimeMillis();
        List<String> overrides = new ArrayList<>();
        KafkaLatencyBench.topics(prefix).forEach((k, topic) -> overrides.add("kafka.topics." + k + "=" + topic));
        overrides.addAll(List.of("kafka.groupId=" + prefix, "kafka.startFrom=earliest",
                "kafka.transactionalIdPrefix=" + prefix));
        List<String> all = new ArrayList<>(configOptions.overrides);
        all.addAll(overrides);
        StampedeConfig config = ConfigLoader.load(configOptions.file, all);
        Scenario scenario = Scenario.updateWave(devices == null ? 300_000 : devices, 7);
        System.out.printf(Locale.ROOT, "Latency through Kafka at %s: update-wave scenario, %,d devices, %.0fx real time, "
                        + "checkpoints every %d ms, parallelism %d%n", config.kafka().bootstrapServers(),
                scenario.devices(), speed, config.job().checkpointInterval().toMillis(), config.job().parallelism());
        write(new KafkaLatencyBench(config, scenario, speed, prefix).run());
        return 0;
    }

    private Integer state() throws Exception {
        if (out == null) {
            out = Path.of("stampede-out", "bench-state.json");
        }
        OutputFolder.prepareFile(out, "--out");
        for (String b : backends) {
            if (!b.equals("hashmap") && !b.equals("rocksdb")) {
                throw new StampedeCli.UserException("--backend takes hashmap or rocksdb, got " + b);
            }
        }
        int n = devices == null ? 1_000_000 : devices;
        StampedeConfig config = configOptions.load();
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        for (String b : backends) {
            json.withArray("results").add(StateBench.run(config, n, b));
        }
        write(json);
        return 0;
    }

    private void write(ObjectNode json) throws Exception {
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        System.out.println("Wrote " + out);
    }

    /** The parser alone on one thread, best of three passes (the first warms the JIT up). */
    private static double parseInJvm(List<RawRecord> records) {
        EventParser parser = new EventParser(1 << 20, ContractValidator.shared());
        double best = 0;
        for (int pass = 0; pass < 3; pass++) {
            long accepted = 0;
            long started = System.nanoTime();
            for (RawRecord r : records) {
                if (parser.parse(r.kind(), r.bytes()).isAccepted()) {
                    accepted++;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            best = Math.max(best, accepted / seconds);
        }
        return best;
    }

    /** How far into the topology a run goes; each stage includes the ones before it. */
    enum Stage {
        FLOOR("parseOnlyFloor", "parse-only floor (Flink)"),
        ACCEPT("upToAccept", "up to the accept stage"),
        DEVICES("upToDevices", "up to the device stage"),
        FULL("fullPipeline", "full pipeline");

        final String key;
        final String label;

        Stage(String key, String label) {
            this.key = key;
            this.label = label;
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * One run of one stage: events/s from the first record read to the end of the job, and the CPU
     * time the whole JVM spent over the same span (every thread: tasks, garbage collector, compiler)
     * per event.
     */
    record Figure(double eventsPerSec, double cpuMicrosPerEvent, Map<ThreadCpu.Group, Double> byThread) {

        /** The CPU time per event of the groups of threads that had any, as a line. */
        String byThreadLine() {
            StringBuilder line = new StringBuilder();
            byThread.forEach((g, us) -> {
                if (us >= 0.005) {
                    line.append(line.isEmpty() ? "" : ", ").append(g.label).append(' ')
                            .append(String.format(Locale.ROOT, "%.2f", us));
                }
            });
            return line.toString();
        }
    }

    private static Figure run(StampedeConfig config, List<RawRecord> records, Stage stage) throws Exception {
        StreamExecutionEnvironment env = Environments.create(config, Duration.ofMillis(200));
        String id = "bench-" + System.nanoTime();
        DataStream<Envelope> in = env.fromSource(
                MemorySource.of(id, records, config.job().parallelism(), config.input()),
                StampedeTopology.watermarks(config), "memory");
        switch (stage) {
            case FLOOR -> in.sinkTo(new DiscardingSink<>());
            case ACCEPT, DEVICES -> {
                StampedeTopology.Accepted accepted = StampedeTopology.accept(
                        List.of(new StampedeTopology.Input("memory", in)), config);
                accepted.counts().sinkTo(new DiscardingSink<>());
                accepted.deadLetters().sinkTo(new DiscardingSink<>());
                if (stage == Stage.ACCEPT) {
                    accepted.observations().sinkTo(new DiscardingSink<>());
                } else {
                    StampedeTopology.devices(accepted.observations(), config).sinkTo(new DiscardingSink<>());
                }
            }
            case FULL -> {
                StampedeTopology.Outputs o = StampedeTopology.build(List.of(new StampedeTopology.Input("memory", in)),
                        config);
                o.alerts().sinkTo(new DiscardingSink<>());
                o.directives().sinkTo(new DiscardingSink<>());
                o.signals().sinkTo(new DiscardingSink<>());
                o.deadLetters().sinkTo(new DiscardingSink<>());
                o.snapshots().sinkTo(new DiscardingSink<>());
            }
        }
        try (ThreadCpu threads = ThreadCpu.forStore(id)) {
            env.execute("bench " + stage.label);
            // From the first record read to the end of the job: deployment time is left out.
            long end = System.nanoTime();
            long cpu = MemorySource.processCpuNanos() - MemorySource.firstReadCpu(id);
            Map<ThreadCpu.Group, Double> byThread = new EnumMap<>(ThreadCpu.Group.class);
            threads.split(cpu).forEach((g, nanos) -> byThread.put(g, nanos / 1e3 / records.size()));
            return new Figure(records.size() / ((end - MemorySource.firstRead(id)) / 1e9), cpu / 1e3 / records.size(),
                    byThread);
        } finally {
            MemorySource.release(id);
        }
    }
}
