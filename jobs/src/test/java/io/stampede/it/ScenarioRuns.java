package io.stampede.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.Fixtures;
import io.stampede.cli.SimulatedRun;
import io.stampede.config.StampedeConfig;
import io.stampede.event.Contract;
import io.stampede.event.ContractValidator;
import io.stampede.event.InputKind;
import io.stampede.io.OutputFiles;
import io.stampede.io.RunOutputs;
import io.stampede.sim.FleetSimulator;
import io.stampede.sim.Scenario;
import io.stampede.sim.SimResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Plays scenarios through the topology for the integration tests, and checks outputs against the schemas. */
final class ScenarioRuns {

    private ScenarioRuns() {}

    record Played(SimResult truth, RunOutputs outputs, Path dir) {}

    static Played play(Scenario scenario, boolean obeyDirectives, Path dir, String... overrides) throws Exception {
        StampedeConfig config = Fixtures.config(overrides);
        SimResult truth = SimulatedRun.run(config, scenario, obeyDirectives, dir, null, null);
        return new Played(truth, RunOutputs.read(dir), dir);
    }

    /** Writes the scenario's events (nobody throttling) as two JSONL files: logins, telemetry. */
    static Path[] export(Scenario scenario, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path logins = dir.resolve("login-events.jsonl");
        Path telemetry = dir.resolve("telemetry-events.jsonl");
        FleetSimulator sim = new FleetSimulator(scenario, null, 0);
        try (BufferedWriter l = Files.newBufferedWriter(logins); BufferedWriter t = Files.newBufferedWriter(telemetry)) {
            while (sim.hasNext()) {
                sim.step((kind, json) -> {
                    try {
                        BufferedWriter w = kind == InputKind.LOGIN ? l : t;
                        w.write(new String(json, StandardCharsets.UTF_8));
                        w.newLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        return new Path[] {logins, telemetry};
    }

    /** Every line of every output file validates against its contract's schema. */
    static void assertOutputsMatchTheirSchemas(Path dir) throws IOException {
        ContractValidator v = ContractValidator.shared();
        check(v, dir.resolve(OutputFiles.ALERTS), Contract.ALERT);
        check(v, dir.resolve(OutputFiles.DIRECTIVES), Contract.THROTTLE_DIRECTIVE);
        check(v, dir.resolve(OutputFiles.SIGNALS), Contract.SCALING_SIGNAL);
        check(v, dir.resolve(OutputFiles.DEAD_LETTERS), Contract.DEAD_LETTER);
    }

    private static void check(ContractValidator v, Path file, Contract contract) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (String line : lines) {
            assertThat(v.validate(contract, line)).as("%s line %s", file.getFileName(), line).isEmpty();
        }
    }
}
