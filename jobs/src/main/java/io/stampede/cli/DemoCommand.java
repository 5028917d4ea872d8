package io.stampede.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.config.StampedeConfig;
import io.stampede.io.Json;
import io.stampede.io.OutputFiles;
import io.stampede.io.RunOutputs;
import io.stampede.report.ReportWriter;
import io.stampede.sim.Scenario;
import io.stampede.sim.SimResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stampede demo}: the embedded default. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Plays a simulated fleet through Stampede on an in-process Flink mini cluster, with and without its actions.",
            "",
            "The built-in simulator feeds the real pipeline twice: once with the simulated front door following "
                    + "Stampede's throttle directives and its autoscaler the scaling signals, once without. Prints alerts as they fire, compares the two runs, "
                    + "and writes alerts, directives, signals, dead letters, summary.json and report.html into the "
                    + "output folder (the run without actions into its without-stampede/ subfolder). No Kafka, no "
                    + "cluster needed.",
            ""})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--scenario", defaultValue = "update-wave", paramLabel = "NAME",
            description = "What to simulate: update-wave (default: an update rolled out then forced, overloading "
                    + "eu-west), power-loss, flash-crowd or quiet-day.")
    String scenario;

    @Option(names = "--devices", defaultValue = "300000", paramLabel = "N",
            description = "Size of the simulated fleet (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--seed", defaultValue = "7", paramLabel = "N",
            description = "Seed of the simulation; the same seed plays the same events (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "Simulated event time to play (default: the scenario's own, e.g. 150m for update-wave).")
    String duration;

    @Option(names = "--out", defaultValue = "stampede-out/demo", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--no-compare",
            description = "Only play the run with Stampede's actions (skips the run without them and the comparison).")
    boolean noCompare;

    @Option(names = "--quiet", description = "Do not print alerts as they fire.")
    boolean quiet;

    @Mixin
    private ControlFile controlFile = new ControlFile();

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() throws Exception {
        StampedeConfig config = configOptions.load();
        if (devices < 1_000 || devices > 5_000_000) {
            throw new StampedeCli.UserException("--devices must be between 1000 and 5000000, got " + devices);
        }
        Scenario sc = ScenarioChoice.of(scenario, devices, seed, duration);
        OutputFolder.prepare(out, "--out");
        List<String> controlWarnings = new java.util.ArrayList<>();
        List<io.stampede.control.ControlRecord> controls = controlFile.records(config, controlWarnings);
        controlWarnings.forEach(w -> System.err.println("stampede demo: warning: " + w));
        Terminal term = new Terminal(System.out);
        term.line(String.format(Locale.ROOT, "Stampede demo: scenario %s, %,d devices in %d regions, %s of event time from %s",
                sc.name(), sc.devices(), sc.regions().size(), io.stampede.config.Durations.format(sc.duration()),
                sc.start()));
        term.line(String.format("Flink mini cluster in this process, parallelism %d. Output: %s",
                config.job().parallelism(), out.toAbsolutePath()));
        term.line("");

        term.line("Run 1: the front door follows Stampede's throttle directives, the autoscaler its scaling signals. "
                + "Alerts as they fire:");
        long started = System.nanoTime();
        Scenario played = sc;
        SimResult with = SimulatedRun.run(config, sc, controls, true, out, quiet ? null : term::line,
                p -> term.progress("playing", p, "of " + played.name()));
        term.endProgress();
        RunOutputs withOut = RunOutputs.read(out);
        term.line(String.format(Locale.ROOT, "  played %,d events in %.1f s", with.events,
                (System.nanoTime() - started) / 1e9));

        SimResult without = null;
        RunOutputs withoutOut = null;
        Path withoutDir = out.resolve("without-stampede");
        if (!noCompare) {
            term.line("");
            term.line("Run 2: the same scenario, the front door ignoring Stampede (alerts written, not printed)...");
            started = System.nanoTime();
            without = SimulatedRun.run(config, sc, controls, false, withoutDir, null,
                    p -> term.progress("playing", p, "without actions"));
            term.endProgress();
            withoutOut = RunOutputs.read(withoutDir);
            term.line(String.format(Locale.ROOT, "  played %,d events in %.1f s", without.events,
                    (System.nanoTime() - started) / 1e9));
        }

        term.line("");
        Incidents incidents = Incidents.of(withOut.alerts());
        ObjectNode summary;
        if (without != null) {
            term.line("The auth tier, side by side:");
            DemoSummary.table(with, without).forEach(term::line);
            summary = DemoSummary.json(sc, with, withOut, without, withoutOut);
            for (DemoSummary.LeadTime l : DemoSummary.leadTimes(without, withoutOut)) {
                term.line(l.firstWarningAt() < 0
                        ? String.format("  %s: demand crossed capacity at %s with no warning before it", l.region(),
                                Instant.ofEpochMilli(l.demandCrossesCapacityAt()))
                        : String.format(Locale.ROOT, "  %s: first %s %d s before demand would have crossed capacity (%s)%s",
                                l.region(), l.firstWarning(), l.leadSeconds(),
                                Instant.ofEpochMilli(l.demandCrossesCapacityAt()), DemoSummary.moreLeads(l)));
            }
        } else {
            summary = Json.MAPPER.createObjectNode();
            summary.set("withStampede", DemoSummary.outcome(with, withOut));
            summary.set("incidents", incidents.json());
        }
        for (DemoSummary.Detection d : DemoSummary.detections(sc, withOut)) {
            if (d.delaySeconds() != Long.MIN_VALUE && d.delaySeconds() >= 0) {
                term.line(String.format("  first %s (%s) %d s after the onset at %s", d.type(), d.region(),
                        d.delaySeconds(), sc.onset()));
            }
        }
        term.line("  " + incidents.line());
        Files.writeString(out.resolve(OutputFiles.SUMMARY),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        Path report = ReportWriter.demo(out.resolve(OutputFiles.REPORT), sc, with, withOut, without, withoutOut,
                summary);
        term.line("");
        term.line("Wrote " + out.resolve(OutputFiles.SUMMARY) + " and " + report);
        return 0;
    }
}
