package io.stampede.cli;

import io.stampede.event.InputKind;
import io.stampede.sim.FleetSimulator;
import io.stampede.sim.Scenario;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stampede simulate}: writes a scenario's events to JSONL files. */
@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a simulated scenario's events to JSONL files.",
            "",
            "Plays a simulator scenario (nobody throttling) and writes login-events.jsonl and telemetry-events.jsonl "
                    + "(.gz with --gzip) into the output folder, for 'stampede backtest' or a replay into Kafka.",
            ""})
public final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--scenario", defaultValue = "update-wave", paramLabel = "NAME",
            description = "update-wave (default), power-loss, flash-crowd or quiet-day.")
    String scenario;

    @Option(names = "--devices", defaultValue = "300000", paramLabel = "N", description = "Fleet size (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--seed", defaultValue = "7", paramLabel = "N", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--duration", paramLabel = "DURATION", description = "Event time to play (default: the scenario's).")
    String duration;

    @Option(names = "--malformed", defaultValue = "0", paramLabel = "SHARE",
            description = "Share of extra malformed records to mix in, e.g. 0.001 (default: none).")
    double malformed;

    @Option(names = "--gzip", description = "Compress the files.")
    boolean gzip;

    @Option(names = "--out", defaultValue = "stampede-out/events", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        Scenario sc = ScenarioChoice.of(scenario, devices, seed, duration);
        if (malformed > 0) {
            Scenario.Noise n = sc.noise();
            sc = sc.withNoise(new Scenario.Noise(n.duplicateShare(), n.disorder(), malformed, n.trafficJitter()));
        }
        OutputFolder.prepare(out, "--out");
        String ext = gzip ? ".jsonl.gz" : ".jsonl";
        Path logins = out.resolve(InputKind.LOGIN.streamName() + ext);
        Path telemetry = out.resolve(InputKind.TELEMETRY.streamName() + ext);
        FleetSimulator sim = new FleetSimulator(sc, null, 0);
        try (OutputStream l = open(logins); OutputStream t = open(telemetry)) {
            while (sim.hasNext()) {
                sim.step((kind, json) -> {
                    try {
                        OutputStream o = kind == InputKind.LOGIN ? l : t;
                        o.write(json);
                        o.write('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        System.out.printf(Locale.ROOT, "wrote %,d events of scenario %s to %s and %s%n", sim.result().events, sc.name(),
                logins, telemetry);
        return 0;
    }

    private OutputStream open(Path file) throws IOException {
        OutputStream o = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        return gzip ? new GZIPOutputStream(o, 1 << 16) : o;
    }
}
