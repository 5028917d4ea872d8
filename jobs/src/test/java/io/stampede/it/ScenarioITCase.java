package io.stampede.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.Fixtures;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import io.stampede.alert.Attribution;
import io.stampede.cli.StampedeCli;
import io.stampede.event.Timestamps;
import io.stampede.io.OutputFiles;
import io.stampede.sim.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole topology on a Flink mini cluster at parallelism 2, fed by the simulator's scenarios:
 * what an operator would see, asserted.
 */
class ScenarioITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    private static List<Alert> firing(List<Alert> alerts, AlertType type) {
        return alerts.stream().filter(a -> a.type() == type && a.sequence() == 1).collect(Collectors.toList());
    }

    @Test
    void aQuietDayWithItsDailyShapeRaisesNoAlert() throws Exception {
        ScenarioRuns.Played run = ScenarioRuns.play(Scenario.quietDay(30_000, 11), false, dir);
        assertThat(run.truth().events).isGreaterThan(900_000);
        assertThat(run.outputs().alerts()).as("alerts on a quiet day").isEmpty();
        assertThat(run.outputs().directives()).isEmpty();
        assertThat(run.outputs().snapshots()).isNotEmpty();
    }

    @Test
    void anUpdateDrivenWaveIsDetectedWithinAMinuteAndNamesTheUpdate() throws Exception {
        Scenario sc = Scenario.updateWave(100_000, 7);
        ScenarioRuns.Played run = ScenarioRuns.play(sc, false, dir);
        long onset = sc.onset().toEpochMilli();
        List<Alert> waves = firing(run.outputs().alerts(), AlertType.REBOOT_WAVE);
        assertThat(waves).extracting(Alert::region).contains("eu-west", "us-east", "fleet").doesNotContain("ap-south");
        for (Alert wave : waves) {
            long delay = Timestamps.parse(wave.detectedAt()) - onset;
            assertThat(delay).as("detection delay of %s", wave.region()).isBetween(0L, 60_000L);
            assertThat(wave.attribution()).as(wave.region()).contains(new Attribution("updateId", "KB-2026-11-A",
                    wave.attribution().get(0).share(), wave.attribution().get(0).lift()));
            assertThat(wave.attribution().get(0).attribute()).isEqualTo("updateId");
            assertThat(wave.summary()).contains("KB-2026-11-A");
            assertThat(wave.forecast().wave().armedDevices()).isPositive();
        }
        // The surge and the capacity risk in eu-west are consequences: same incident as the wave.
        Alert euWave = waves.stream().filter(a -> a.region().equals("eu-west")).findFirst().orElseThrow();
        List<Alert> consequences = run.outputs().alerts().stream()
                .filter(a -> a.region().equals("eu-west") && a.type() != AlertType.REBOOT_WAVE)
                .collect(Collectors.toList());
        assertThat(consequences).extracting(Alert::type).contains(AlertType.LOGIN_SURGE, AlertType.CAPACITY_RISK);
        assertThat(consequences).extracting(Alert::incidentId).containsOnly(euWave.incidentId());
        assertThat(run.outputs().alerts()).anyMatch(a -> a.relatedRegions() != null && !a.relatedRegions().isEmpty());
        // Every wave ends resolved, after it fired.
        assertThat(run.outputs().alerts().stream().filter(a -> a.type() == AlertType.REBOOT_WAVE && !a.isFiring()))
                .hasSize(waves.size());
        ScenarioRuns.assertOutputsMatchTheirSchemas(dir);
    }

    @Test
    void aPowerLossIsAttributedToPowerAndNotToAnUpdate() throws Exception {
        Scenario sc = Scenario.powerLoss(30_000, 3);
        ScenarioRuns.Played run = ScenarioRuns.play(sc, false, dir);
        List<Alert> waves = firing(run.outputs().alerts(), AlertType.REBOOT_WAVE);
        Alert ap = waves.stream().filter(a -> a.region().equals("ap-south")).findFirst().orElseThrow();
        assertThat(Timestamps.parse(ap.detectedAt()) - sc.onset().toEpochMilli()).isBetween(0L, 60_000L);
        assertThat(ap.attribution().get(0)).satisfies(a -> {
            assertThat(a.attribute()).isEqualTo("rebootReason");
            assertThat(a.value()).isEqualTo("POWER");
        });
        assertThat(ap.attribution()).noneMatch(a -> a.attribute().equals("updateId"));
        assertThat(waves).extracting(Alert::region).doesNotContain("eu-west", "us-east");
    }

    @Test
    void aFlashCrowdOfInteractiveLoginsIsASurgeButNoRebootWave() throws Exception {
        Scenario sc = Scenario.flashCrowd(100_000, 5);
        ScenarioRuns.Played run = ScenarioRuns.play(sc, false, dir);
        List<Alert> surges = firing(run.outputs().alerts(), AlertType.LOGIN_SURGE);
        assertThat(surges).extracting(Alert::region).contains("us-east");
        Alert surge = surges.stream().filter(a -> a.region().equals("us-east")).findFirst().orElseThrow();
        assertThat(surge.summary()).contains("INTERACTIVE");
        assertThat(Timestamps.parse(surge.detectedAt()) - sc.onset().toEpochMilli()).isBetween(0L, 120_000L);
        assertThat(firing(run.outputs().alerts(), AlertType.REBOOT_WAVE)).isEmpty();
    }

    @Test
    void aReplayOfTheSameEventsGivesTheSameAlertsAsTheLiveRun() throws Exception {
        Scenario sc = Scenario.updateWave(30_000, 9);
        Path[] files = ScenarioRuns.export(sc, dir.resolve("events"));
        ScenarioRuns.Played live = ScenarioRuns.play(sc, false, dir.resolve("live"));
        for (String replay : List.of("replay-1", "replay-2")) {
            int code = StampedeCli.execute("backtest", "--logins", files[0].toString(), "--telemetry",
                    files[1].toString(), "--out", dir.resolve(replay).toString());
            assertThat(code).isZero();
        }
        List<String> liveAlerts = Files.readAllLines(live.dir().resolve(OutputFiles.ALERTS));
        assertThat(liveAlerts).isNotEmpty();
        Fixtures.assertSameLines(Files.readAllLines(dir.resolve("replay-1").resolve(OutputFiles.ALERTS)), liveAlerts);
        Fixtures.assertSameLines(Files.readAllLines(dir.resolve("replay-2").resolve(OutputFiles.ALERTS)), liveAlerts);
    }
}
