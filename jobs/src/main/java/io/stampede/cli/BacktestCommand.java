package io.stampede.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.alert.AlertType;
import io.stampede.config.StampedeConfig;
import io.stampede.event.DeadLetterCategory;
import io.stampede.event.Envelope;
import io.stampede.event.InputKind;
import io.stampede.io.Json;
import io.stampede.io.JsonLinesFormat;
import io.stampede.io.OutputFiles;
import io.stampede.report.ReportWriter;
import io.stampede.topology.Counters;
import io.stampede.topology.Environments;
import io.stampede.topology.StampedeTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stampede backtest}: the pipeline over recorded files, in event time. */
@Command(name = "backtest",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the pipeline over recorded JSONL files in event time and writes its outputs to a folder.",
            "",
            "Reads login-events and telemetry-events files (gzip when the name ends in .gz) on an in-process Flink "
                    + "mini cluster and writes alerts.jsonl, throttle-directives.jsonl, scaling-signals.jsonl, "
                    + "dead-letters.jsonl, segment-snapshots.jsonl, summary.json and report.html. The same events give "
                    + "the same alerts as the live job saw.",
            ""})
public final class BacktestCommand implements Callable<Integer> {

    @Option(names = "--logins", split = ",", paramLabel = "FILE",
            description = "login-events JSONL file(s); several are read in the order given, as one timeline.")
    List<Path> logins = new ArrayList<>();

    @Option(names = "--telemetry", split = ",", paramLabel = "FILE",
            description = "telemetry-events JSONL file(s); several are read in the order given.")
    List<Path> telemetry = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if missing).")
    Path out;

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() throws Exception {
        if (logins.isEmpty() && telemetry.isEmpty()) {
            throw new StampedeCli.UserException("give at least one input: --logins FILE and/or --telemetry FILE");
        }
        for (Path p : concat(logins, telemetry)) {
            if (!Files.isRegularFile(p)) {
                throw new StampedeCli.UserException("input file " + p + " does not exist or is not a file");
            }
        }
        StampedeConfig config = configOptions.load();
        Files.createDirectories(out);
        StreamExecutionEnvironment env = Environments.create(config, Duration.ofMillis(200));
        List<StampedeTopology.Input> inputs = new ArrayList<>();
        add(env, config, inputs, InputKind.LOGIN, logins);
        add(env, config, inputs, InputKind.TELEMETRY, telemetry);
        StampedeTopology.Outputs outputs = StampedeTopology.build(inputs, config);
        OutputFiles.attach(outputs, out);
        System.out.printf("Backtest of %d file(s) on an in-process Flink mini cluster, parallelism %d...%n",
                logins.size() + telemetry.size(), config.job().parallelism());
        long started = System.nanoTime();
        JobExecutionResult result = env.execute("stampede backtest");
        double seconds = (System.nanoTime() - started) / 1e9;

        RunOutputs outs = RunOutputs.read(out);
        ObjectNode summary = summary(result, outs, seconds);
        Files.writeString(out.resolve(OutputFiles.SUMMARY),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        ReportWriter.backtest(out.resolve(OutputFiles.REPORT), "inputs: " + describe(), outs, summary);
        ObjectNode counts = (ObjectNode) summary.get("counts");
        System.out.printf(Locale.ROOT, "%,d events accepted, %,d dead letters, %,d duplicates dropped in %.1f s%n",
                counts.get("eventsAccepted").asLong(), counts.get("deadLetters").asLong(),
                counts.get("duplicates").asLong(), seconds);
        outs.alerts().stream().filter(a -> a.sequence() == 1).forEach(a -> System.out.println(AlertLines.of(a)));
        System.out.println("Wrote " + out.resolve(OutputFiles.SUMMARY) + " and " + out.resolve(OutputFiles.REPORT));
        return 0;
    }

    private static void add(StreamExecutionEnvironment env, StampedeConfig config, List<StampedeTopology.Input> inputs,
            InputKind kind, List<Path> files) {
        int i = 0;
        for (Path file : files) {
            String name = kind.streamName() + (files.size() > 1 ? "-" + i : "");
            FileSource<Envelope> source = FileSource.forRecordStreamFormat(
                    new JsonLinesFormat(kind, file.getFileName().toString(), config.input().maxRecordBytes(),
                            config.input().deadLetterKeepBytes()),
                    new org.apache.flink.core.fs.Path(file.toAbsolutePath().toUri())).build();
            DataStream<Envelope> records = env.fromSource(source, StampedeTopology.watermarks(config), name)
                    .setParallelism(1).uid("file-" + name);
            inputs.add(new StampedeTopology.Input(name, records));
            i++;
        }
    }

    private ObjectNode summary(JobExecutionResult result, RunOutputs outs, double seconds) {
        Map<String, Object> acc = result.getAllAccumulatorResults();
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode inputs = root.putObject("inputs");
        inputs.set("logins", Json.MAPPER.valueToTree(logins.stream().map(Path::toString).toList()));
        inputs.set("telemetry", Json.MAPPER.valueToTree(telemetry.stream().map(Path::toString).toList()));
        ObjectNode counts = root.putObject("counts");
        long accepted = 0;
        long dead = 0;
        ObjectNode byInput = root.putObject("byInput");
        for (InputKind kind : InputKind.values()) {
            ObjectNode n = byInput.putObject(kind.streamName());
            long a = number(acc.get(Counters.accepted(kind.streamName())));
            n.put("accepted", a);
            accepted += a;
            ObjectNode reasons = n.putObject("deadLetters");
            for (DeadLetterCategory c : DeadLetterCategory.values()) {
                long d = number(acc.get(Counters.deadLetters(kind.streamName(), c.name())));
                if (d > 0) {
                    reasons.put(c.name(), d);
                }
                dead += d;
            }
        }
        long late = number(acc.get(Counters.LATE));
        counts.put("eventsAccepted", accepted);
        counts.put("deadLetters", dead + late);
        counts.put("late", late);
        counts.put("lateAccepted", number(acc.get(Counters.LATE_ACCEPTED)));
        counts.put("duplicates", number(acc.get(Counters.DUPLICATES)));
        ObjectNode alerts = counts.putObject("alerts");
        for (AlertType t : AlertType.values()) {
            alerts.put(t.name(), outs.alerts().stream().filter(a -> a.type() == t && a.sequence() == 1).count());
        }
        counts.put("throttleDirectives", outs.directives().size());
        counts.put("scalingSignals", outs.signals().size());
        root.put("seconds", Math.round(seconds * 10) / 10.0);
        root.put("eventsPerSecond", Math.round(accepted / Math.max(1e-9, seconds)));
        return root;
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    private String describe() {
        List<String> names = new ArrayList<>();
        concat(logins, telemetry).forEach(p -> names.add(p.getFileName().toString()));
        return String.join(", ", names);
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
