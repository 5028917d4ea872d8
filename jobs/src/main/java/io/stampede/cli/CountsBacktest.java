package io.stampede.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.alert.AlertType;
import io.stampede.config.ConfigException;
import io.stampede.config.ConfigLoader;
import io.stampede.config.Durations;
import io.stampede.config.StampedeConfig;
import io.stampede.detect.BucketStats;
import io.stampede.detect.Segments;
import io.stampede.io.CountsBuckets;
import io.stampede.io.CountsCsv;
import io.stampede.io.CountsFormat;
import io.stampede.io.Json;
import io.stampede.io.OutputFiles;
import io.stampede.io.RunOutputs;
import io.stampede.report.ReportWriter;
import io.stampede.topology.Environments;
import io.stampede.topology.StampedeTopology;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code stampede backtest --counts FILE}: the segment stage and the correlator over per-interval
 * counts ({@link CountsCsv}) instead of events, writing the same files as a backtest of events. The
 * file's interval is the detection bucket. Counts carry no node health and no device attributes, so
 * the detectors that need the auth tier's capacity, the throttle and scaling planners and a wave's
 * attribution have nothing to go on; the summary says so.
 */
final class CountsBacktest {

    static final String NOT_EVALUATED = "AUTH_DEGRADED, CAPACITY_RISK, throttle directives and scaling signals: "
            + "they need the auth tier's node health, which counts do not have";

    private final Path file;
    private final Path out;
    private final ConfigOptions configOptions;
    private final PrintWriter stdout;
    private final PrintWriter stderr;

    private final ControlFile controlFile;

    CountsBacktest(Path file, Path out, ConfigOptions configOptions, ControlFile controlFile, PrintWriter stdout,
            PrintWriter stderr) {
        this.file = file;
        this.controlFile = controlFile;
        this.out = out;
        this.configOptions = configOptions;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    int run() throws Exception {
        List<String> warnings = new ArrayList<>();
        if (InputFiles.check(List.of(file), "--counts", false, warnings).isEmpty()) {
            throw new StampedeCli.UserException("counts file " + file + " (--counts) is empty; it needs a header row "
                    + "(" + CountsCsv.header() + ") and rows under it");
        }
        StampedeConfig given = configOptions.load();
        CountsCsv.Counts counts;
        try {
            counts = CountsCsv.read(file);
        } catch (CountsCsv.FormatException e) {
            throw new StampedeCli.UserException(e.getMessage());
        }
        StampedeConfig config = withBucket(given, counts.intervalMs(), warnings);
        List<io.stampede.control.ControlRecord> controls = controlFile.records(config, warnings);
        OutputFolder.prepare(out, "--out");
        CountsBuckets.Fleet fleet = CountsBuckets.fleet(counts, config.detection().fleetSegment());
        if (fleet == CountsBuckets.Fleet.OFF && counts.segments().containsKey(Segments.FLEET)) {
            warnings.add("the file's fleet rows are left out: detection.fleetSegment is false");
        }
        String bucket = CountsCsv.seconds(counts.intervalMs());
        stdout.printf(Locale.ROOT, "Backtest of counts %s: %,d rows of %d segment(s), bucket %s, from the file's "
                + "interval; fleet: %s%n", file, counts.rows(), counts.segments().size(), bucket, fleet.words());
        stdout.println("Not evaluated from counts: " + NOT_EVALUATED + ".");
        stdout.printf("On an in-process Flink mini cluster, parallelism %d...%n", config.job().parallelism());
        stdout.flush();

        StreamExecutionEnvironment env = Environments.create(config, Duration.ofMillis(200));
        FileSource<BucketStats> source = FileSource.forRecordStreamFormat(
                new CountsFormat(file.toString(), config.detection().fleetSegment()),
                new org.apache.flink.core.fs.Path(file.toAbsolutePath().toUri())).build();
        DataStream<BucketStats> buckets = env.fromSource(source, StampedeTopology.bucketWatermarks(), "counts-input")
                .setParallelism(1).uid("file-counts-input");
        OutputFiles.attach(StampedeTopology.fromBuckets(buckets, StampedeTopology.controlsOf(env, controls), config),
                out);
        long started = System.nanoTime();
        try {
            env.execute("stampede backtest --counts");
        } catch (Exception e) {
            ObjectNode failed = Json.MAPPER.createObjectNode();
            failed.put("status", "failed");
            failed.put("error", Failures.explain(e));
            failed.putObject("inputs").put("counts", file.toString());
            failed.set("warnings", Json.MAPPER.valueToTree(warnings));
            writeSummary(failed);
            throw e;
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        RunOutputs outs = RunOutputs.read(out);
        warnings.addAll(RunWarnings.times(RunWarnings.TimeWords.COUNTS, counts.first(),
                counts.last() + counts.intervalMs(), config.detection().warmupTime(), Instant.now()));
        Incidents incidents = Incidents.of(outs.alerts());
        ObjectNode summary = summary(counts, fleet, outs, incidents, seconds);
        summary.set("warnings", Json.MAPPER.valueToTree(warnings));
        writeSummary(summary);
        ReportWriter.backtest(out.resolve(OutputFiles.REPORT), "counts: " + file.getFileName() + ", bucket " + bucket,
                outs, summary);
        stdout.printf(Locale.ROOT, "%,d buckets evaluated in %.1f s%n", outs.snapshots().size(), seconds);
        warnings.forEach(w -> stderr.println("stampede backtest: warning: " + w));
        stderr.flush();
        outs.alerts().stream().filter(a -> a.sequence() == 1).forEach(a -> stdout.println(AlertLines.of(a)));
        stdout.println(incidents.line());
        stdout.println("Wrote " + out.resolve(OutputFiles.SUMMARY) + " and " + out.resolve(OutputFiles.REPORT));
        stdout.flush();
        return 0;
    }

    /**
     * The configuration with the file's interval as {@code detection.bucket}; a bucket the
     * configuration set to something else is a warning, since the counts cannot be split finer.
     */
    private StampedeConfig withBucket(StampedeConfig given, long intervalMs, List<String> warnings) {
        Duration interval = Duration.ofMillis(intervalMs);
        Duration configured = given.detection().bucket();
        if (!configured.equals(interval) && !configured.equals(ConfigLoader.defaults().detection().bucket())) {
            warnings.add("detection.bucket is set to " + Durations.format(configured) + ", but a backtest of counts "
                    + "detects in the file's interval, " + CountsCsv.seconds(intervalMs) + "; the setting is not used");
        }
        try {
            // The forecast's horizon must span a bucket; counts do not forecast (no node health), so
            // a coarse file only stretches it.
            if (given.forecast().horizon().compareTo(interval) < 0) {
                return configOptions.loadForcing("detection.bucket=" + intervalMs + "ms",
                        "forecast.horizon=" + intervalMs + "ms");
            }
            return configOptions.loadForcing("detection.bucket=" + intervalMs + "ms");
        } catch (ConfigException e) {
            throw new StampedeCli.UserException(file + ": its interval, " + CountsCsv.seconds(intervalMs)
                    + ", cannot be the detection bucket: " + e.getMessage());
        }
    }

    private ObjectNode summary(CountsCsv.Counts counts, CountsBuckets.Fleet fleet, RunOutputs outs, Incidents incidents,
            double seconds) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("status", "ok");
        root.putObject("inputs").put("counts", file.toString());
        root.put("bucketSeconds", counts.intervalMs() / 1000);
        root.put("bucketFrom", "the file's interval");
        root.set("segments", Json.MAPPER.valueToTree(counts.segments().keySet()));
        root.put("fleet", fleet.words());
        root.put("notEvaluated", NOT_EVALUATED);
        ObjectNode c = root.putObject("counts");
        c.put("rows", counts.rows());
        c.put("bucketsEvaluated", outs.snapshots().size());
        ObjectNode alerts = c.putObject("alerts");
        for (AlertType t : AlertType.values()) {
            alerts.put(t.name(), outs.alerts().stream().filter(a -> a.type() == t && a.sequence() == 1).count());
        }
        c.put("throttleDirectives", outs.directives().size());
        c.put("scalingSignals", outs.signals().size());
        root.set("incidents", incidents.json());
        root.put("seconds", Math.round(seconds * 10) / 10.0);
        return root;
    }

    private void writeSummary(ObjectNode summary) throws IOException {
        Files.writeString(out.resolve(OutputFiles.SUMMARY),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
    }
}
