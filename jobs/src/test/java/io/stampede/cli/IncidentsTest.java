package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertStatus;
import io.stampede.alert.AlertType;
import io.stampede.alert.Evidence;
import io.stampede.alert.Severity;
import io.stampede.event.Timestamps;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run's alerts counted as the incidents a person on call sees: one per incidentId, and which of them page. */
class IncidentsTest {

    private static final long T0 = Timestamps.parse("2026-11-24T08:00:00Z");
    private static final String EU = "inc-eu-west-20261124T080000Z";
    private static final String US = "inc-us-east-20261124T080500Z";

    private static Alert alert(String incident, String region, AlertType type, int sequence, AlertStatus status,
            Severity severity, long detectedAt, boolean expected) {
        String key = "stampede/" + region + "/" + type + "/" + T0;
        return new Alert(key + "#" + sequence, key, incident, sequence, type, status, severity, region,
                Timestamps.format(T0), Timestamps.format(detectedAt), null, region + ": " + type,
                new Evidence(1, 1, 1, "u", new Evidence.Window("a", "b")), List.of(), null, List.of(), "r", expected,
                expected ? "mnt-" + region : null);
    }

    private static Alert firing(String incident, String region, AlertType type, Severity severity, long detectedAt) {
        return alert(incident, region, type, 1, AlertStatus.FIRING, severity, detectedAt, false);
    }

    @Test
    void twoAlertsOfOneIncidentAreOneIncidentThatPagesForItsCriticalAlert() {
        Incidents incidents = Incidents.of(List.of(
                firing(EU, "eu-west", AlertType.LOGIN_SURGE, Severity.WARNING, T0 + 40_000),
                firing(EU, "eu-west", AlertType.REBOOT_WAVE, Severity.CRITICAL, T0 + 20_000)));

        assertThat(incidents.count()).isEqualTo(1);
        assertThat(incidents.pages()).isEqualTo(1);
        Incidents.Incident i = incidents.list().get(0);
        assertThat(i.incidentId()).isEqualTo(EU);
        assertThat(i.regions()).containsExactly("eu-west");
        assertThat(i.types()).as("in the order they fired").containsExactly(AlertType.REBOOT_WAVE,
                AlertType.LOGIN_SURGE);
        assertThat(i.firstAt()).isEqualTo(T0 + 20_000);
        assertThat(i.expected()).isFalse();
    }

    @Test
    void twoRegionsSharingAnIncidentIdAreOneIncidentSpanningBoth() {
        Incidents incidents = Incidents.of(List.of(
                firing(EU, "eu-west", AlertType.REBOOT_WAVE, Severity.CRITICAL, T0 + 20_000),
                firing(EU, "us-east", AlertType.REBOOT_WAVE, Severity.CRITICAL, T0 + 30_000),
                firing(EU, "eu-west", AlertType.CAPACITY_RISK, Severity.CRITICAL, T0 + 90_000)));

        assertThat(incidents.count()).isEqualTo(1);
        assertThat(incidents.list().get(0).regions()).containsExactly("eu-west", "us-east");
        assertThat(incidents.list().get(0).types()).containsExactly(AlertType.REBOOT_WAVE, AlertType.CAPACITY_RISK);
    }

    @Test
    void anIncidentOfOnlyExpectedAlertsDoesNotPage() {
        Incidents incidents = Incidents.of(List.of(
                alert(EU, "eu-west", AlertType.REBOOT_WAVE, 1, AlertStatus.FIRING, Severity.CRITICAL, T0 + 20_000, true),
                alert(EU, "eu-west", AlertType.LOGIN_SURGE, 1, AlertStatus.FIRING, Severity.CRITICAL, T0 + 40_000,
                        true),
                firing(US, "us-east", AlertType.REBOOT_WAVE, Severity.CRITICAL, T0 + 300_000)));

        assertThat(incidents.count()).isEqualTo(2);
        assertThat(incidents.pages()).isEqualTo(1);
        assertThat(incidents.list()).extracting(Incidents.Incident::incidentId).containsExactly(EU, US);
        assertThat(incidents.list().get(0).expected()).isTrue();
        assertThat(incidents.list().get(0).pages()).isFalse();
        assertThat(incidents.list().get(1).expected()).isFalse();
    }

    @Test
    void anExpectedWaveWithAnUnannouncedCriticalCapacityRiskPages() {
        Incidents incidents = Incidents.of(List.of(
                alert(EU, "eu-west", AlertType.REBOOT_WAVE, 1, AlertStatus.FIRING, Severity.CRITICAL, T0 + 20_000, true),
                firing(EU, "eu-west", AlertType.CAPACITY_RISK, Severity.CRITICAL, T0 + 90_000)));

        assertThat(incidents.pages()).isEqualTo(1);
        assertThat(incidents.list().get(0).expected()).isFalse();
    }

    @Test
    void onlyFiringCriticalStatesPage() {
        List<Alert> states = new ArrayList<>();
        states.add(firing(EU, "eu-west", AlertType.LOGIN_SURGE, Severity.WARNING, T0 + 20_000));
        states.add(alert(EU, "eu-west", AlertType.LOGIN_SURGE, 2, AlertStatus.RESOLVED, Severity.CRITICAL,
                T0 + 600_000, false));
        assertThat(Incidents.of(states).pages()).as("warnings and a resolved state").isZero();

        states.add(alert(EU, "eu-west", AlertType.LOGIN_SURGE, 2, AlertStatus.FIRING, Severity.CRITICAL,
                T0 + 140_000, false));
        assertThat(Incidents.of(states).pages()).as("escalated to critical while firing").isEqualTo(1);
    }

    @Test
    void noAlertsAreNoIncidents() {
        Incidents none = Incidents.of(List.of());
        assertThat(none.count()).isZero();
        assertThat(none.line()).isEqualTo("incidents: 0 (pages: 0)");
        assertThat(none.json().path("list").size()).isZero();
    }

    @Test
    void theSummaryListsEachIncidentAndTheConsoleLineNamesThem() {
        Incidents incidents = Incidents.of(List.of(
                firing(EU, "eu-west", AlertType.REBOOT_WAVE, Severity.CRITICAL, T0 + 20_000),
                firing(EU, "eu-west", AlertType.LOGIN_SURGE, Severity.WARNING, T0 + 40_000),
                firing(EU, "us-east", AlertType.REBOOT_WAVE, Severity.WARNING, T0 + 50_000),
                alert(US, "us-east", AlertType.LOGIN_SURGE, 1, AlertStatus.FIRING, Severity.CRITICAL, T0 + 300_000,
                        true)));

        JsonNode json = incidents.json();
        assertThat(json.path("count").asInt()).isEqualTo(2);
        assertThat(json.path("pages").asInt()).isEqualTo(1);
        JsonNode first = json.path("list").get(0);
        assertThat(first.path("incidentId").asText()).isEqualTo(EU);
        assertThat(first.path("regions").toString()).isEqualTo("[\"eu-west\",\"us-east\"]");
        assertThat(first.path("types").toString()).isEqualTo("[\"REBOOT_WAVE\",\"LOGIN_SURGE\"]");
        assertThat(first.path("firstAt").asText()).isEqualTo(Timestamps.format(T0 + 20_000));
        assertThat(first.path("expected").asBoolean()).isFalse();
        assertThat(json.path("list").get(1).path("expected").asBoolean()).isTrue();

        assertThat(incidents.line()).isEqualTo("incidents: 2 (pages: 1): " + EU
                + " eu-west,us-east REBOOT_WAVE+LOGIN_SURGE; " + US + " us-east LOGIN_SURGE (expected)");
    }

    @Test
    void theConsoleLineNamesTheFirstFewAndCountsTheRest() {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < Incidents.NAMED_ON_CONSOLE + 2; i++) {
            alerts.add(firing("inc-r" + i, "r" + i, AlertType.REBOOT_WAVE, Severity.WARNING, T0 + i * 1_000L));
        }
        String line = Incidents.of(alerts).line();
        assertThat(line).startsWith("incidents: 7 (pages: 0): inc-r0 r0 REBOOT_WAVE; ")
                .contains("inc-r4 r4").doesNotContain("inc-r5").endsWith("; 2 more in summary.json");
    }
}
