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

    /** Whether {@code region}'s alert names {@code other} as a region with the same cause (read back, none is null). */
    private static boolean names(Alert a, String region, String other) {
        return a.region().equals(region) && a.relatedRegions() != null && a.relatedRegions().contains(other);
    }

    /** A disturbance in one region is one incident: one page, and no fleet alert beside it. */
    private static void assertOneIncidentAndNoFleetAlert(List<Alert> alerts) {
        assertThat(alerts).isNotEmpty();
        assertThat(alerts).extracting(Alert::incidentId).as("incidents").containsOnly(alerts.get(0).incidentId());
        assertThat(alerts).extracting(Alert::region).as("regions").doesNotContain("fleet");
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
        // The fleet sees the wave too, but the regions explain it: no fleet alert.
        assertThat(waves).extracting(Alert::region).containsExactlyInAnyOrder("eu-west", "us-east");
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
        // One cause in two regions: one incident, the waves naming each other.
        assertThat(run.outputs().alerts()).extracting(Alert::incidentId).containsOnly(euWave.incidentId());
        assertThat(run.outputs().alerts()).anyMatch(a -> names(a, "eu-west", "us-east"));
        assertThat(run.outputs().alerts()).anyMatch(a -> names(a, "us-east", "eu-west"));
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
        assertOneIncidentAndNoFleetAlert(run.outputs().alerts());
    }

    @Test
    void anUpdateWaveInOneRegionIsOneIncident() throws Exception {
        Scenario sc = Scenario.updateWave(30_000, 7).withRolloutRegions(List.of("ap-south"));
        ScenarioRuns.Played run = ScenarioRuns.play(sc, false, dir);
        assertThat(firing(run.outputs().alerts(), AlertType.REBOOT_WAVE)).extracting(Alert::region)
                .containsExactly("ap-south");
        assertOneIncidentAndNoFleetAlert(run.outputs().alerts());
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
        assertOneIncidentAndNoFleetAlert(run.outputs().alerts());
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
