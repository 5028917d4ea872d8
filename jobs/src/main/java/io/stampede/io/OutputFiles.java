package io.stampede.io;

import io.stampede.topology.StampedeTopology;
import java.nio.file.Path;

/** The files a bounded run writes into its output folder, and the sinks that write them. */
public final class OutputFiles {

    public static final String ALERTS = "alerts.jsonl";
    public static final String DIRECTIVES = "throttle-directives.jsonl";
    public static final String SIGNALS = "scaling-signals.jsonl";
    public static final String DEAD_LETTERS = "dead-letters.jsonl";
    public static final String SNAPSHOTS = "segment-snapshots.jsonl";
    /** The counts of each evaluated bucket, in the format {@code backtest --counts} reads ({@link CountsCsv}). */
    public static final String COUNTS = "counts.csv";
    public static final String SUMMARY = "summary.json";
    public static final String REPORT = "report.html";

    private OutputFiles() {}

    /** Attaches a file sink to every output of the topology: JSON lines, and the counts as CSV. */
    public static void attach(StampedeTopology.Outputs outputs, Path dir) {
        outputs.alerts().sinkTo(new JsonLinesSink<>(dir.resolve(ALERTS))).setParallelism(1)
                .uid("file-alerts").name("alerts.jsonl");
        outputs.directives().sinkTo(new JsonLinesSink<>(dir.resolve(DIRECTIVES))).setParallelism(1)
                .uid("file-directives").name("throttle-directives.jsonl");
        outputs.signals().sinkTo(new JsonLinesSink<>(dir.resolve(SIGNALS))).setParallelism(1)
                .uid("file-signals").name("scaling-signals.jsonl");
        outputs.deadLetters().sinkTo(new JsonLinesSink<>(dir.resolve(DEAD_LETTERS))).setParallelism(1)
                .uid("file-dead-letters").name("dead-letters.jsonl");
        outputs.snapshots().sinkTo(new JsonLinesSink<>(dir.resolve(SNAPSHOTS))).setParallelism(1)
                .uid("file-snapshots").name("segment-snapshots.jsonl");
        outputs.buckets().sinkTo(new LineFileSink<>(dir.resolve(COUNTS), CountsCsv.header(), CountsCsv::line))
                .setParallelism(1).uid("file-counts").name("counts.csv");
    }
}
