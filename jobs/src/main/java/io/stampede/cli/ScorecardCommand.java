package io.stampede.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.config.StampedeConfig;
import io.stampede.io.Json;
import io.stampede.report.RunScore;
import io.stampede.report.Scorecard;
import io.stampede.report.ScorecardRun;
import io.stampede.report.Scoring;
import io.stampede.sim.CountScenario;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stampede scorecard}: detection delay and false alarms of the detectors on realistic count series. */
@Command(name = "scorecard",
        mixinStandardHelpOptions = true,
        description = {
            "Measures detection delay and false alarms on realistic traffic.",
            "",
            "Plays count series of one region (bursty, with daily and weekly shape, 8 days of history before the "
                    + "event) through the region's detectors, for every scenario, region size and seed, and scores the "
                    + "alerts against each scenario's ground truth: the delay from the onset to the first alert of each "
                    + "expected type, misses, and false alarms (new alerts the scenario does not call for). Prints a "
                    + "Markdown table with the median and max over the seeds and whether the target was met, then the "
                    + "targets missed in one line. Exits 0 either way: it is a measurement.",
            "",
            "Scenarios: update-wave, power-loss, flash-crowd, quiet-week, daily-step, level-shift, heavy-tails.",
            ""})
public final class ScorecardCommand implements Callable<Integer> {

    @Option(names = "--seeds", defaultValue = "5", paramLabel = "N",
            description = "Seeds per scenario and size, 1 to N (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--sizes", split = ",", paramLabel = "DEVICES",
            description = "Region sizes in devices (default: 40000,4000000).")
    List<Integer> sizes = new ArrayList<>(List.of(40_000, 4_000_000));

    @Option(names = "--scenario", paramLabel = "NAME", description = "A scenario to play; repeatable (default: all).")
    List<String> scenarioNames = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "Also write scorecard.json (every run's figures) and scorecard.md (the table) into DIR.")
    Path out;

    @Mixin
    ConfigOptions configOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (seeds < 1) {
            throw new StampedeCli.UserException("--seeds must be at least 1, got " + seeds);
        }
        for (int size : sizes) {
            if (size < 1) {
                throw new StampedeCli.UserException("--sizes: a region has at least 1 device, got " + size);
            }
        }
        List<CountScenario> scenarios = scenarios();
        StampedeConfig config = configOptions.load();
        if (out != null) {
            OutputFolder.prepare(out, "--out");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        int threads = Runtime.getRuntime().availableProcessors();
        int runs = scenarios.size() * sizes.size() * seeds;
        stdout.printf(Locale.ROOT, "Scorecard: %d scenario(s) x %d size(s) x %d seed(s) = %d runs of %d s buckets, "
                + "on %d threads...%n", scenarios.size(), sizes.size(), seeds, runs,
                config.detection().bucket().toSeconds(), threads);
        stdout.flush();
        long started = System.nanoTime();
        List<RunScore> scores = play(config, scenarios, runs, threads);
        double elapsed = (System.nanoTime() - started) / 1e9;

        Scorecard card = Scorecard.of(scenarios, sizes, scores);
        stdout.println();
        stdout.print(card.markdown());
        stdout.println();
        stdout.println(card.targets());
        stdout.println(card.verdict());
        stdout.printf(Locale.ROOT, "%d runs in %.0f s.%n", runs, elapsed);
        if (out != null) {
            write(card, elapsed, stdout);
        }
        return 0;
    }

    private List<CountScenario> scenarios() {
        if (scenarioNames.isEmpty()) {
            return CountScenario.all();
        }
        List<CountScenario> out = new ArrayList<>();
        for (String name : scenarioNames) {
            try {
                CountScenario s = CountScenario.named(name);
                if (out.stream().noneMatch(o -> o.name().equals(s.name()))) {
                    out.add(s);
                }
            } catch (IllegalArgumentException e) {
                throw new StampedeCli.UserException("--scenario: " + e.getMessage());
            }
        }
        return out;
    }

    /** Every run, on a pool of {@code threads}; the scores come back in the order of the runs. */
    private List<RunScore> play(StampedeConfig config, List<CountScenario> scenarios, int runs, int threads)
            throws Exception {
        Terminal term = new Terminal(System.out);
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<RunScore>> futures = new ArrayList<>();
            for (CountScenario s : scenarios) {
                for (int size : sizes) {
                    for (long seed = 1; seed <= seeds; seed++) {
                        long sd = seed;
                        futures.add(pool.submit(() -> {
                            RunScore score = Scoring.score(s, size, sd, ScorecardRun.play(config, s, size, sd));
                            int n = done.incrementAndGet();
                            term.progress("runs", n / (double) runs, n + " of " + runs);
                            return score;
                        }));
                    }
                }
            }
            List<RunScore> scores = new ArrayList<>();
            for (Future<RunScore> f : futures) {
                try {
                    scores.add(f.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            return scores;
        } finally {
            pool.shutdownNow();
            term.endProgress();
        }
    }

    private void write(Scorecard card, double elapsed, PrintWriter stdout) throws Exception {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("seeds", seeds);
        json.putPOJO("sizes", sizes);
        json.put("config", configOptions.file == null ? null : configOptions.file.toString());
        json.putPOJO("settings", configOptions.overrides);
        json.put("elapsedSeconds", Math.round(elapsed));
        json.setAll(card.json());
        Path jsonFile = out.resolve("scorecard.json");
        Files.writeString(jsonFile, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        Path md = out.resolve("scorecard.md");
        Files.writeString(md, "Detection delay and false alarms on realistic count series, seeds 1-" + seeds
                + (configOptions.overrides.isEmpty() ? "" : ", settings " + String.join(" ", configOptions.overrides))
                + ".\n\n" + card.markdown() + "\n" + card.targets() + "\n" + card.verdict() + "\n");
        stdout.println("Wrote " + jsonFile + " and " + md);
    }
}
