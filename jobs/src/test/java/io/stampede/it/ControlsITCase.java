package io.stampede.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.Fixtures;
import io.stampede.admission.AdmissionController;
import io.stampede.admission.AttemptClass;
import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import io.stampede.cli.SimulatedRun;
import io.stampede.cli.StampedeCli;
import io.stampede.control.Control;
import io.stampede.control.ControlJson;
import io.stampede.control.ControlRecord;
import io.stampede.config.StampedeConfig;
import io.stampede.event.Timestamps;
import io.stampede.io.OutputFiles;
import io.stampede.io.RunOutputs;
import io.stampede.plan.ScalingSignal;
import io.stampede.sim.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators' controls through the whole topology on the simulator's update wave: what the person
 * on call and the admission layer see when a rollout is announced, throttling is switched off, or a
 * region's capacity is given by hand.
 */
class ControlsITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String UPDATE = "KB-2026-11-A";

    @TempDir
    Path dir;

    private static Control maintenance(String id, String region, Instant from, Instant until, String update) {
        return new Control(id, Control.Kind.MAINTENANCE, region, from.toString(), until.toString(),
                "Patch rollout of " + update, "alice", null, update, null, null, null);
    }

    private static Control throttle(String id, String region, Instant from, Instant until, Control.ThrottleMode mode) {
        return new Control(id, Control.Kind.THROTTLE, region, from.toString(), until == null ? null : until.toString(),
                "admission layer misbehaving", "bob", null, null, mode, null, null);
    }

    private static List<ControlRecord> records(Control... controls) {
        List<ControlRecord> out = new ArrayList<>();
        for (int i = 0; i < controls.length; i++) {
            out.add(ControlRecord.ofLine("test", i + 1, ControlJson.write(controls[i])));
        }
        return out;
    }

    private RunOutputs play(Scenario sc, String name, Control... controls) throws Exception {
        return play(Fixtures.config(), sc, name, controls);
    }

    private RunOutputs play(StampedeConfig config, Scenario sc, String name, Control... controls) throws Exception {
        Path out = dir.resolve(name);
        SimulatedRun.run(config, sc, records(controls), true, out, null, null);
        ScenarioRuns.assertOutputsMatchTheirSchemas(out);
        return RunOutputs.read(out);
    }

    private static List<Alert> of(RunOutputs o, String region, AlertType type) {
        return o.alerts().stream().filter(a -> a.region().equals(region) && a.type() == type).toList();
    }

    private static long at(String timestamp) {
        return Timestamps.parse(timestamp);
    }

    @Test
    void anAnnouncedRolloutDoesNotPageForItsWaveButStillThrottlesAndPagesForTheCapacityRisk() throws Exception {
        Scenario sc = Scenario.updateWave(100_000, 7);
        RunOutputs plain = play(sc, "without-window");
        RunOutputs announced = play(sc, "with-window",
                maintenance("mnt-eu-west", "eu-west", sc.start(), sc.start().plus(sc.duration()), UPDATE));

        // Without the window the wave pages as before.
        assertThat(of(plain, "eu-west", AlertType.REBOOT_WAVE)).isNotEmpty().noneMatch(Alert::expected);

        // With it, every state of eu-west's wave and surge is expected, names the window and says why.
        for (AlertType type : List.of(AlertType.REBOOT_WAVE, AlertType.LOGIN_SURGE)) {
            List<Alert> alerts = of(announced, "eu-west", type);
            assertThat(alerts).as(type.name()).isNotEmpty().allMatch(Alert::expected)
                    .allMatch(a -> "mnt-eu-west".equals(a.controlId()))
                    .allMatch(a -> a.summary().contains("expected: Patch rollout of " + UPDATE));
        }
        // What was announced was eu-west's rollout; us-east's wave of the same update still pages.
        assertThat(of(announced, "us-east", AlertType.REBOOT_WAVE)).isNotEmpty().noneMatch(Alert::expected);
        // The announced wave still overloads eu-west's tier: that pages, and the tier is still scaled.
        List<Alert> risk = of(announced, "eu-west", AlertType.CAPACITY_RISK);
        assertThat(risk).isNotEmpty().noneMatch(Alert::expected);
        assertThat(announced.signals()).filteredOn(s -> s.region().equals("eu-west")
                && s.direction() == ScalingSignal.Direction.UP).isNotEmpty();
        // And where scaling is off, throttling goes on (scaled in time, the tier may need none).
        RunOutputs throttleOnly = play(Fixtures.config("scaling.enabled=false"), sc, "with-window-throttle-only",
                maintenance("mnt-eu-west", "eu-west", sc.start(), sc.start().plus(sc.duration()), UPDATE));
        assertThat(throttleOnly.directives()).filteredOn(d -> d.region().equals("eu-west")
                && d.state() == ThrottleDirective.State.THROTTLE).isNotEmpty();
    }

    @Test
    void throttleOffLiftsTheDirectivesWithinARenewalIntervalAndAutoBringsThemBack() throws Exception {
        Scenario sc = Scenario.updateWave(100_000, 7);
        // Without scaling, so that the tier needs the directives until the wave is over.
        StampedeConfig throttleOnly = Fixtures.config("scaling.enabled=false");
        RunOutputs plain = play(throttleOnly, sc, "auto");
        ThrottleDirective first = plain.directives().stream().filter(d -> d.region().equals("eu-west")
                && d.state() == ThrottleDirective.State.THROTTLE).findFirst().orElseThrow();
        Instant off = Instant.parse(first.issuedAt()).plusSeconds(60);
        Instant auto = off.plus(Duration.ofMinutes(3));
        RunOutputs switched = play(throttleOnly, sc, "off", throttle("thr-off", "eu-west", off, null, Control.ThrottleMode.OFF),
                throttle("thr-auto", "eu-west", auto, null, Control.ThrottleMode.AUTO));

        List<ThrottleDirective> eu = switched.directives().stream().filter(d -> d.region().equals("eu-west")).toList();
        long renew = Fixtures.config().throttle().renewEvery().toMillis();
        ThrottleDirective lifted = eu.stream().filter(d -> at(d.issuedAt()) >= off.toEpochMilli()).findFirst()
                .orElseThrow();
        assertThat(lifted.state()).isEqualTo(ThrottleDirective.State.LIFTED);
        assertThat(lifted.controlId()).isEqualTo("thr-off");
        assertThat(at(lifted.issuedAt()) - off.toEpochMilli()).as("delay of the switch").isLessThanOrEqualTo(renew);
        assertThat(eu).as("nothing is said while throttling is off")
                .filteredOn(d -> at(d.issuedAt()) > at(lifted.issuedAt()) && at(d.issuedAt()) < auto.toEpochMilli())
                .isEmpty();
        // The admission client, given what was published up to then, admits every class.
        AdmissionController admission = new AdmissionController(new Random(1));
        eu.stream().filter(d -> at(d.issuedAt()) <= at(lifted.issuedAt())).forEach(admission::apply);
        Instant whileOff = Instant.parse(lifted.issuedAt()).plusSeconds(1);
        for (AttemptClass c : AttemptClass.values()) {
            assertThat(admission.decide("eu-west", c, whileOff).admitted()).as(c.name()).isTrue();
        }
        // Handed back, the planner throttles again while the risk lasts.
        assertThat(eu).filteredOn(d -> at(d.issuedAt()) >= auto.toEpochMilli()
                && d.state() != ThrottleDirective.State.LIFTED).isNotEmpty();
    }

    @Test
    void aRegionWithoutNodeHealthGetsCapacityRiskAndDirectivesFromAStaticCapacity() throws Exception {
        Scenario sc = Scenario.updateWave(60_000, 7);
        Path[] files = ScenarioRuns.export(sc, dir.resolve("events"));
        Path telemetry = dir.resolve("events").resolve("telemetry-without-node-health.jsonl");
        try (var lines = Files.lines(files[1])) {
            Files.write(telemetry, lines.filter(l -> !l.contains("\"NODE_HEALTH\"")).toList());
        }
        Scenario.Region eu = sc.regions().stream().filter(r -> r.name().equals("eu-west")).findFirst().orElseThrow();
        double capacity = eu.nodes() * eu.nodeCapacityPerSec();
        Path controls = dir.resolve("controls.jsonl");
        Files.writeString(controls, ControlJson.write(new Control("set-eu-west", Control.Kind.SETTINGS, "eu-west",
                sc.start().toString(), null, "its nodes send no health", "carol", null, null, null, null,
                Map.of("capacity", Map.of("staticCapacity", capacity, "staticNodes", eu.nodes())))) + "\n");

        assertThat(backtest(files[0], telemetry, null, "blind")).isZero();
        RunOutputs blind = RunOutputs.read(dir.resolve("blind"));
        assertThat(blind.alerts()).as("no capacity is known").noneMatch(a -> a.type() == AlertType.CAPACITY_RISK);
        assertThat(blind.directives()).isEmpty();

        assertThat(backtest(files[0], telemetry, controls, "static")).isZero();
        RunOutputs given = RunOutputs.read(dir.resolve("static"));
        assertThat(of(given, "eu-west", AlertType.CAPACITY_RISK)).isNotEmpty()
                .allMatch(a -> "set-eu-west".equals(a.controlId()));
        assertThat(given.directives()).filteredOn(d -> d.region().equals("eu-west")).isNotEmpty()
                .allMatch(d -> "set-eu-west".equals(d.controlId()));
        assertThat(given.signals()).filteredOn(s -> s.region().equals("eu-west")).isNotEmpty()
                .allMatch(s -> "set-eu-west".equals(s.controlId()));
        ScenarioRuns.assertOutputsMatchTheirSchemas(dir.resolve("static"));
    }

    @Test
    void aControlThatIsNotValidIsADeadLetterAndNothingOfItApplies() throws Exception {
        Scenario sc = Scenario.updateWave(30_000, 9);
        Path[] files = ScenarioRuns.export(sc, dir.resolve("events"));
        Path controls = dir.resolve("controls.jsonl");
        // A static capacity (valid) with a safe utilization of 2 (not): refused whole.
        Files.writeString(controls, ControlJson.write(new Control("set-eu-west", Control.Kind.SETTINGS, "eu-west",
                sc.start().toString(), null, "typo", "carol", null, null, null, null,
                Map.of("capacity", Map.of("staticCapacity", 10.0, "safeUtilization", 2)))) + "\n");
        assertThat(backtest(files[0], files[1], controls, "refused")).isZero();
        assertThat(backtest(files[0], files[1], null, "plain")).isZero();
        var letters = RunOutputs.deadLetters(dir.resolve("refused"));
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).input()).isEqualTo("controls");
        assertThat(letters.get(0).reason()).contains("capacity.safeUtilization");
        Fixtures.assertSameLines(Files.readAllLines(dir.resolve("refused").resolve(OutputFiles.ALERTS)),
                Files.readAllLines(dir.resolve("plain").resolve(OutputFiles.ALERTS)));
    }

    private int backtest(Path logins, Path telemetry, Path controls, String out) {
        List<String> args = new ArrayList<>(List.of("backtest", "--logins", logins.toString(), "--telemetry",
                telemetry.toString(), "--out", dir.resolve(out).toString()));
        if (controls != null) {
            args.addAll(List.of("--control", controls.toString()));
        }
        return StampedeCli.execute(args.toArray(String[]::new));
    }
}
