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
import java.util.List;
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
                    + "run --rounds times; the best round counts. Prints the figures and writes them as JSON.",
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
                    + "million events and 1.5 GB of JSON in memory; with --kafka 300000).")
    Integer devices;

    @Option(names = "--kafka", description = "Measure end-to-end latency through a real Kafka broker instead of throughput.")
    boolean kafka;

    @Option(names = "--speed", defaultValue = "60", paramLabel = "X",
            description = "With --kafka: how many times faster than real time the events are produced "
                    + "(default: ${DEFAULT-VALUE}; the 150-minute scenario then takes 2.5 minutes).")
    double speed;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "N", description = "Rounds of each measurement (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write the figures (default: stampede-out/bench.json, with --kafka "
                    + "stampede-out/bench-kafka.json).")
    Path out;

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() throws Exception {
        if (kafka) {
            return latency();
        }
        if (out == null) {
            out = Path.of("stampede-out", "bench.json");
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
        System.out.printf(Locale.ROOT, "parse only, one thread, no Flink:    %,12.0f events/s%n", singleThreadParse);
        double floor = 0;
        double full = 0;
        for (int round = 1; round <= rounds; round++) {
            double f = run(config, records, false);
            System.out.printf(Locale.ROOT, "round %d  parse-only floor (Flink):      %,12.0f events/s%n", round, f);
            double p = run(config, records, true);
            System.out.printf(Locale.ROOT, "round %d  full pipeline:                 %,12.0f events/s%n", round, p);
            floor = Math.max(floor, f);
            full = Math.max(full, p);
        }
        double ratio = full / floor;
        System.out.printf(Locale.ROOT, "%nbest: full pipeline %,.0f events/s = %.0f%% of the parse-only floor %,.0f events/s"
                + " (parallelism %d, %d cores)%n", full, 100 * ratio, floor, parallelism,
                Runtime.getRuntime().availableProcessors());
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("events", records.size());
        json.put("meanEventBytes", bytes / records.size());
        json.put("parallelism", parallelism);
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        json.put("parseOnlySingleThreadEventsPerSec", Math.round(singleThreadParse));
        json.put("parseOnlyFloorEventsPerSec", Math.round(floor));
        json.put("fullPipelineEventsPerSec", Math.round(full));
        json.put("fullToFloorRatio", Math.round(ratio * 1000) / 1000.0);
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

    private static double run(StampedeConfig config, List<RawRecord> records, boolean fullPipeline) throws Exception {
        StreamExecutionEnvironment env = Environments.create(config, Duration.ofMillis(200));
        String id = "bench-" + System.nanoTime();
        DataStream<Envelope> in = env.fromSource(
                MemorySource.of(id, records, config.job().parallelism(), config.input()),
                StampedeTopology.watermarks(config), "memory");
        if (fullPipeline) {
            StampedeTopology.Outputs o = StampedeTopology.build(List.of(new StampedeTopology.Input("memory", in)), config);
            o.alerts().sinkTo(new DiscardingSink<>());
            o.directives().sinkTo(new DiscardingSink<>());
            o.signals().sinkTo(new DiscardingSink<>());
            o.deadLetters().sinkTo(new DiscardingSink<>());
            o.snapshots().sinkTo(new DiscardingSink<>());
        } else {
            in.sinkTo(new DiscardingSink<>());
        }
        try {
            env.execute(fullPipeline ? "bench full pipeline" : "bench parse-only");
            // From the first record read to the end of the job: deployment time is left out.
            long end = System.nanoTime();
            return records.size() / ((end - MemorySource.firstRead(id)) / 1e9);
        } finally {
            MemorySource.release(id);
        }
    }
}
