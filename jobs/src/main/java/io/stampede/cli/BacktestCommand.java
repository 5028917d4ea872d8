package io.stampede.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.alert.AlertType;
import io.stampede.config.StampedeConfig;
import io.stampede.event.DeadLetter;
import io.stampede.event.DeadLetterCategory;
import io.stampede.event.Envelope;
import io.stampede.event.InputKind;
import io.stampede.io.Json;
import io.stampede.io.JsonLinesFormat;
import io.stampede.io.OutputFiles;
import io.stampede.io.RunOutputs;
import io.stampede.report.ReportWriter;
import io.stampede.topology.Counters;
import io.stampede.topology.Environments;
import io.stampede.topology.StampedeTopology;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stampede backtest}: the pipeline over recorded files, in event time. */
@Command(name = "backtest",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the pipeline over recorded JSONL files, or over per-interval counts, in event time and writes its "
                    + "outputs to a folder.",
            "",
            "Reads login-events and telemetry-events files (gzip when the name ends in .gz) on an in-process Flink "
                    + "mini cluster and writes alerts.jsonl, throttle-directives.jsonl, scaling-signals.jsonl, "
                    + "dead-letters.jsonl, segment-snapshots.jsonl, counts.csv, summary.json and report.html. The same "
                    + "events give the same alerts as the live job saw.",
            "",
            "With --counts FILE it starts from counts per segment and interval instead (what a metrics system "
                    + "keeps; the counts.csv of a backtest of events is one), runs the same per-segment detection and "
                    + "writes the same files. The format, CSV with a header row, '#' lines are comments:",
            "  time            RFC 3339 (2026-11-24T09:00:00Z) or epoch milliseconds: the interval's start",
            "  segment         a region, or fleet for the whole fleet",
            "then any of these, per interval (whole numbers, 0 or more; an empty cell is 0):",
            "  first_attempts  first login attempts of all triggers (counted as interactive), or by trigger:",
            "  interactive, token_refresh, auto   (first_attempts, if given too, must be their sum)",
            "  retries         retried attempts",
            "  failures        attempts that failed, among all attempts (first attempts and retries)",
            "  throttled       attempts the admission layer deferred, among all attempts",
            "  boots           distinct devices booting",
            "  armed_boots     of those, devices that had an update waiting for a reboot",
            "The interval, the smallest gap between two rows of a segment, becomes detection.bucket (1s to 1h, "
                    + "whole seconds); every time must be a whole number of intervals from the others. Segments may "
                    + "interleave, but each segment's rows must be in time order. An interval missing between two "
                    + "rows of a segment counts as zeros. Without fleet rows, the fleet is the sum of the regions. "
                    + "Counts carry no node health and no device attributes: AUTH_DEGRADED, CAPACITY_RISK, throttle "
                    + "directives and scaling signals are not evaluated, and a reboot wave names no cause.",
            "",
            "Example: backtest --logins L --telemetry T --out a, then backtest --counts a/counts.csv --out b.",
            ""})
public final class BacktestCommand implements Callable<Integer> {

    @Option(names = "--logins", split = ",", paramLabel = "FILE",
            description = "login-events JSONL file(s); several are read in the order given, as one timeline.")
    List<Path> logins = new ArrayList<>();

    @Option(names = "--telemetry", split = ",", paramLabel = "FILE",
            description = "telemetry-events JSONL file(s); several are read in the order given.")
    List<Path> telemetry = new ArrayList<>();

    @Option(names = "--counts", paramLabel = "FILE",
            description = "Per-interval counts as CSV (format above; gzip when the name ends in .gz) instead of "
                    + "--logins and --telemetry.")
    Path countsFile;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if missing).")
    Path out;

    @Mixin
    private ControlFile controlFile = new ControlFile();

    @Mixin
    ConfigOptions configOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (countsFile != null) {
            if (!logins.isEmpty() || !telemetry.isEmpty()) {
                throw new StampedeCli.UserException("--counts cannot be combined with --logins or --telemetry: a "
                        + "backtest starts from counts or from events, not both");
            }
            return new CountsBacktest(countsFile, out, configOptions, controlFile, stdout, stderr).run();
        }
        if (logins.isEmpty() && telemetry.isEmpty()) {
            throw new StampedeCli.UserException("give an input: --logins FILE and/or --telemetry FILE, or --counts "
                    + "FILE");
        }
        List<String> warnings = new ArrayList<>();
        List<Path> loginFiles = InputFiles.check(logins, "--logins", true, warnings);
        List<Path> telemetryFiles = InputFiles.check(telemetry, "--telemetry", true, warnings);
        StampedeConfig config = configOptions.load();
        OutputFolder.prepare(out, "--out");
        List<io.stampede.control.ControlRecord> controls = controlFile.records(config, warnings);
        // The state backend of the configuration: RocksDB keeps a fleet larger than the heap on disk.
        Configuration flink = new Configuration();
        flink.setString("state.backend.type", config.job().stateBackend());
        StreamExecutionEnvironment env = Environments.create(config, Duration.ofMillis(200), flink);
        List<StampedeTopology.Input> inputs = new ArrayList<>();
        add(env, config, inputs, InputKind.LOGIN, loginFiles);
        add(env, config, inputs, InputKind.TELEMETRY, telemetryFiles);
        long started = System.nanoTime();
        Map<String, Object> accumulators = Map.of();
        if (inputs.isEmpty()) {
            // Every file was empty: nothing to run, but the same summary and warnings as after a run.
            stdout.println("Backtest of " + (logins.size() + telemetry.size()) + " empty file(s)...");
        } else {
            StampedeTopology.Outputs outputs = StampedeTopology.build(inputs,
                    StampedeTopology.controlsOf(env, controls), config);
            OutputFiles.attach(outputs, out);
            stdout.printf("Backtest of %d file(s) on an in-process Flink mini cluster, parallelism %d, %s...%n",
                    inputs.size(), config.job().parallelism(), "rocksdb".equals(config.job().stateBackend())
                            ? "device state in RocksDB" : HeapWatch.capacityLine());
            try (HeapWatch watch = HeapWatch.start(stderr, "backtest")) {
                accumulators = env.execute("stampede backtest").getAllAccumulatorResults();
            } catch (Exception e) {
                writeSummary(failed(Failures.explain(e), warnings));
                throw e;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        RunOutputs outs = RunOutputs.read(out);
        Incidents incidents = Incidents.of(outs.alerts());
        ObjectNode summary = summary(accumulators, outs, incidents, seconds);
        warnings.addAll(unreadable());
        warnings.addAll(afterRun(summary, accumulators, config));
        summary.set("warnings", Json.MAPPER.valueToTree(warnings));
        writeSummary(summary);
        ReportWriter.backtest(out.resolve(OutputFiles.REPORT), "inputs: " + describe(), outs, summary);
        ObjectNode counts = (ObjectNode) summary.get("counts");
        stdout.printf(Locale.ROOT, "%,d events accepted, %,d dead letters, %,d duplicates dropped in %.1f s%n",
                counts.get("eventsAccepted").asLong(), counts.get("deadLetters").asLong(),
                counts.get("duplicates").asLong(), seconds);
        warnings.forEach(w -> stderr.println("stampede backtest: warning: " + w));
        stderr.flush();
        outs.alerts().stream().filter(a -> a.sequence() == 1).forEach(a -> stdout.println(AlertLines.of(a)));
        stdout.println(incidents.line());
        stdout.println("Wrote " + out.resolve(OutputFiles.SUMMARY) + " and " + out.resolve(OutputFiles.REPORT));
        stdout.flush();
        return 0;
    }

    private void writeSummary(ObjectNode summary) throws IOException {
        Files.writeString(out.resolve(OutputFiles.SUMMARY),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
    }

    /** The summary of a run that failed: what was asked, and why it stopped. */
    private ObjectNode failed(String error, List<String> warnings) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("status", "failed");
        root.put("error", error);
        inputs(root);
        root.set("warnings", Json.MAPPER.valueToTree(warnings));
        return root;
    }

    private List<String> afterRun(ObjectNode summary, Map<String, Object> accumulators, StampedeConfig config)
            throws IOException {
        Map<String, String> firstReasons = firstReasons();
        Map<String, RunWarnings.InputResult> given = new LinkedHashMap<>();
        for (InputKind kind : InputKind.values()) {
            List<Path> files = kind == InputKind.LOGIN ? logins : telemetry;
            if (files.isEmpty()) {
                continue;
            }
            JsonNode n = summary.path("byInput").path(kind.streamName());
            long dead = 0;
            for (JsonNode d : n.path("deadLetters")) {
                dead += d.asLong();
            }
            given.put(kind.streamName(), new RunWarnings.InputResult(kind == InputKind.LOGIN ? "--logins"
                    : "--telemetry", n.path("accepted").asLong(), dead, firstReasons.get(kind.streamName())));
        }
        Object first = accumulators.get(Counters.FIRST_EVENT_TIME);
        Object last = accumulators.get(Counters.LAST_EVENT_TIME);
        return RunWarnings.of(given, first instanceof Long f ? f : null, last instanceof Long l ? l : null,
                config.detection().warmupTime(), Instant.now());
    }

    /** The reason of the first dead letter of each input, read until each input has one. */
    private Map<String, String> firstReasons() throws IOException {
        Map<String, String> reasons = new HashMap<>();
        Path file = out.resolve(OutputFiles.DEAD_LETTERS);
        if (!Files.exists(file)) {
            return reasons;
        }
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String line;
            while (reasons.size() < InputKind.values().length && (line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    DeadLetter d = Json.MAPPER.readValue(line, DeadLetter.class);
                    reasons.putIfAbsent(d.input(), d.reason());
                }
            }
        }
        return reasons;
    }

    /** The reasons of the UNREADABLE dead letters: the files that could not be read to their end. */
    private List<String> unreadable() throws IOException {
        List<String> reasons = new ArrayList<>();
        Path file = out.resolve(OutputFiles.DEAD_LETTERS);
        if (!Files.exists(file)) {
            return reasons;
        }
        String category = "\"" + DeadLetterCategory.UNREADABLE.name() + "\"";
        try (var lines = Files.lines(file)) {
            lines.filter(l -> l.contains(category)).forEach(l -> {
                try {
                    DeadLetter d = Json.MAPPER.readValue(l, DeadLetter.class);
                    if (d.category() == DeadLetterCategory.UNREADABLE) {
                        reasons.add(d.reason());
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        return reasons;
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

    private ObjectNode summary(Map<String, Object> acc, RunOutputs outs, Incidents incidents, double seconds) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("status", "ok");
        inputs(root);
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
        root.set("incidents", incidents.json());
        root.put("seconds", Math.round(seconds * 10) / 10.0);
        root.put("eventsPerSecond", Math.round(accepted / Math.max(1e-9, seconds)));
        return root;
    }

    private void inputs(ObjectNode root) {
        ObjectNode inputs = root.putObject("inputs");
        inputs.set("logins", Json.MAPPER.valueToTree(logins.stream().map(Path::toString).toList()));
        inputs.set("telemetry", Json.MAPPER.valueToTree(telemetry.stream().map(Path::toString).toList()));
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
