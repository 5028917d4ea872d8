package io.stampede.deliver;

import static io.stampede.deliver.AlertFixtures.NOW;
import static io.stampede.deliver.AlertFixtures.ago;
import static io.stampede.deliver.AlertFixtures.firing;
import static io.stampede.deliver.AlertFixtures.resolved;
import static io.stampede.deliver.AlertFixtures.update;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import io.stampede.alert.Severity;
import io.stampede.io.Json;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertmanagerMappingTest {

    private final AlertmanagerMapping mapping = new AlertmanagerMapping("");
    private final Alert wave = firing(AlertType.REBOOT_WAVE, "eu-west", "inc-eu-west-1", ago(Duration.ofMinutes(3)));

    @Test
    void labelsAreExactlyWhatTheRoutingMatchesOn() {
        assertThat(mapping.map(wave, NOW).labels()).isEqualTo(Map.of(
                "alertname", "StampedeRebootWave",
                "source", "stampede",
                "region", "eu-west",
                "severity", "warning",
                "expected", "false",
                "incident", "inc-eu-west-1",
                "stampede_type", "REBOOT_WAVE"));
    }

    @Test
    void anAnnouncedAlertIsInfoAndExpectedAndNamesItsControl() {
        AlertmanagerAlert posted = mapping.map(AlertFixtures.announced(update(wave, Severity.CRITICAL), true,
                "mnt-eu-west"), NOW);
        assertThat(posted.labels()).containsEntry("severity", "info").containsEntry("expected", "true");
        assertThat(posted.annotations()).containsEntry("control", "mnt-eu-west");
    }

    @Test
    void anAlertAnnouncedWhileItFiresEndsItsUnannouncedLabelSetInAlertmanager() {
        ActiveAlerts active = new ActiveAlerts(mapping, java.time.Duration.ofMinutes(1));
        active.accept(wave, NOW);
        Alert announced = AlertFixtures.announced(update(wave, wave.severity()), true, "mnt-eu-west");
        java.util.List<AlertmanagerAlert> posted = active.accept(announced, NOW.plusSeconds(30));
        assertThat(posted).hasSize(2);
        assertThat(posted.get(0).labels()).containsEntry("expected", "false");
        assertThat(posted.get(0).endsAt()).as("the paging label set ends now").isNotNull();
        assertThat(posted.get(1).labels()).containsEntry("expected", "true");
        assertThat(posted.get(1).endsAt()).isNull();
    }

    @Test
    void annotationsCarrySummaryDescriptionWithEvidenceAndCauseAndRunbook() {
        AlertmanagerAlert posted = mapping.map(wave, NOW);
        assertThat(posted.annotations()).containsOnlyKeys("summary", "description", "runbook_url");
        assertThat(posted.annotations()).containsEntry("summary", wave.summary())
                .containsEntry("runbook_url", "RUNBOOK.md#reboot-wave");
        assertThat(posted.annotations().get("description")).isEqualTo(
                "Observed 6.4 devices booting/s, expected 0.992 (score 14.222) in 2026-11-27T09:57:10Z to "
                        + "2026-11-27T09:57:20Z.\n"
                        + "Cause: updateId KB-2026-11-A (92% of them, lift 1.657×); rebootReason UPDATE (99% of them, "
                        + "lift 1.785×).\n"
                        + "Forecast: 55,537 armed devices still to reboot (update KB-2026-11-A); about 48,736 automatic "
                        + "logins to come.");
    }

    @Test
    void capacityRiskDescriptionSaysWhenAndByHowMuch() {
        Alert risk = firing(AlertType.CAPACITY_RISK, "eu-west", "inc-eu-west-1", ago(Duration.ofMinutes(1)));
        assertThat(mapping.map(risk, NOW).annotations().get("description"))
                .contains("Forecast: demand exceeds safe capacity in 500 s (at 2026-11-24T08:12:10Z)")
                .contains("peak 85.823 logins/s vs safe capacity 85/s")
                .doesNotContain("Cause:");
    }

    @Test
    void firingAlertIsSentWithoutEndsAtSoAlertmanagerExpectsReSends() {
        AlertmanagerAlert posted = mapping.map(wave, NOW);
        assertThat(posted.startsAt()).isEqualTo(wave.startsAt());
        assertThat(posted.endsAt()).isNull();
        JsonNode json = Json.MAPPER.valueToTree(posted);
        assertThat(json.has("endsAt")).isFalse();
        assertThat(json.has("generatorURL")).isFalse();
    }

    @Test
    void resolvedAlertIsSentWithItsEndsAt() {
        Alert over = resolved(wave, ago(Duration.ofMinutes(1)));
        AlertmanagerAlert posted = mapping.map(over, NOW);
        assertThat(posted.endsAt()).isEqualTo("2026-11-27T09:59:00Z");
        assertThat(posted.labels()).isEqualTo(mapping.map(wave, NOW).labels());
    }

    @Test
    void timesAheadOfThisClockAreSentAsNowSoAResolvedAlertDoesNotStayActive() {
        Alert early = firing(AlertType.REBOOT_WAVE, "eu-west", "inc-1", NOW.plusSeconds(30));
        Alert over = resolved(early, NOW.plusSeconds(90));
        AlertmanagerAlert posted = mapping.map(over, NOW);
        assertThat(posted.startsAt()).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(posted.endsAt()).isEqualTo("2026-11-27T10:00:00Z");
    }

    @Test
    void labelsStayTheSameAcrossUpdatesOfTheSameSeverity() {
        Alert later = update(wave, Severity.WARNING);
        assertThat(mapping.map(later, NOW.plusSeconds(120)).labels()).isEqualTo(mapping.map(wave, NOW).labels());
        assertThat(mapping.map(later, NOW).annotations().get("summary")).isNotEqualTo(wave.summary());
    }

    @ParameterizedTest
    @CsvSource({"REBOOT_WAVE, StampedeRebootWave", "LOGIN_SURGE, StampedeLoginSurge", "RETRY_STORM, StampedeRetryStorm",
            "AUTH_DEGRADED, StampedeAuthDegraded", "CAPACITY_RISK, StampedeCapacityRisk"})
    void alertnameIsStampedePlusTheTypeInCamelCase(AlertType type, String alertname) {
        assertThat(AlertmanagerMapping.alertname(type)).isEqualTo(alertname);
    }

    @ParameterizedTest
    @CsvSource({"CRITICAL, critical", "WARNING, warning", "INFO, info"})
    void severityLabelIsLowerCase(Severity severity, String label) {
        assertThat(mapping.map(update(wave, severity), NOW).labels()).containsEntry("severity", label);
    }

    @Test
    void generatorUrlFillsInPlaceholdersOrNamesTheAlert() {
        AlertmanagerAlert templated = new AlertmanagerMapping(
                "https://grafana.example.com/d/stampede?var-incident={incident}&var-region={region}").map(wave, NOW);
        assertThat(templated.generatorUrl())
                .isEqualTo("https://grafana.example.com/d/stampede?var-incident=inc-eu-west-1&var-region=eu-west");
        AlertmanagerAlert plain = new AlertmanagerMapping("http://flink:8081/#/overview").map(wave, NOW);
        assertThat(plain.generatorUrl())
                .isEqualTo("http://flink:8081/#/overview?dedupKey=stampede%2Feu-west%2FREBOOT_WAVE%2F20261127T095700Z");
        assertThat(Json.MAPPER.<JsonNode>valueToTree(plain).get("generatorURL").asText()).startsWith("http://flink");
    }
}
