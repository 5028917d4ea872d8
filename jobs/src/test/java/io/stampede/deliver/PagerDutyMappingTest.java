package io.stampede.deliver;

import static io.stampede.deliver.AlertFixtures.ago;
import static io.stampede.deliver.AlertFixtures.firing;
import static io.stampede.deliver.AlertFixtures.update;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import io.stampede.alert.Severity;
import io.stampede.io.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PagerDutyMappingTest {

    private final PagerDutyMapping mapping = new PagerDutyMapping("");
    private final Alert wave = firing(AlertType.REBOOT_WAVE, "eu-west", "inc-eu-west-1", ago(Duration.ofMinutes(3)));

    @Test
    void triggerIsKeyedByTheIncidentAndSaysWhatHappenedWhere() {
        PagerDutyEvent e = mapping.trigger(wave);
        assertThat(e.eventAction()).isEqualTo("trigger");
        assertThat(e.dedupKey()).isEqualTo("inc-eu-west-1");
        assertThat(e.client()).isEqualTo("Stampede");
        PagerDutyEvent.Payload p = e.payload();
        assertThat(p.summary()).isEqualTo(wave.summary());
        assertThat(p.source()).isEqualTo("stampede/eu-west");
        assertThat(p.severity()).isEqualTo("warning");
        assertThat(p.timestamp()).isEqualTo(wave.detectedAt());
        assertThat(p.component()).isEqualTo("auth-tier");
        assertThat(p.group()).isEqualTo("eu-west");
        assertThat(p.eventClass()).isEqualTo("REBOOT_WAVE");
        assertThat(p.customDetails()).containsKeys("type", "region", "evidence", "attribution", "forecast", "alertId",
                "dedupKey", "incidentId", "description", "runbook");
        assertThat(p.customDetails()).containsEntry("alertId", wave.alertId()).containsEntry("dedupKey", wave.dedupKey());
    }

    @Test
    void anAnnouncedAlertIsSentAsInfoWithItsControl() {
        PagerDutyEvent e = mapping.trigger(AlertFixtures.announced(wave, true, "mnt-eu-west"));
        assertThat(e.payload().severity()).isEqualTo("info");
        assertThat(e.payload().customDetails()).containsEntry("expected", true).containsEntry("controlId", "mnt-eu-west");
        assertThat(mapping.trigger(wave).payload().customDetails()).containsEntry("expected", false)
                .doesNotContainKey("controlId");
    }

    @Test
    void eventIsWrittenWithTheApiFieldNamesAndNoRoutingKey() {
        JsonNode json = Json.MAPPER.valueToTree(mapping.trigger(wave));
        assertThat(json.fieldNames()).toIterable().containsExactlyInAnyOrder("event_action", "dedup_key", "payload",
                "client");
        assertThat(json.path("payload").fieldNames()).toIterable().containsExactlyInAnyOrder("summary", "source",
                "severity", "timestamp", "component", "group", "class", "custom_details");
        assertThat(json.at("/payload/custom_details/evidence/observed").asDouble()).isEqualTo(6.4);
        assertThat(json.at("/payload/custom_details/attribution/0/value").asText()).isEqualTo("KB-2026-11-A");
        assertThat(json.at("/payload/custom_details/forecast/armedDevices").asLong()).isEqualTo(55_537);
        JsonNode resolve = Json.MAPPER.valueToTree(mapping.resolve(wave));
        assertThat(resolve.fieldNames()).toIterable().containsExactlyInAnyOrder("event_action", "dedup_key", "client");
    }

    @ParameterizedTest
    @CsvSource({"CRITICAL, critical", "WARNING, warning", "INFO, info"})
    void severityMapsToPagerDutysOwn(Severity severity, String expected) {
        assertThat(mapping.trigger(update(wave, severity)).payload().severity()).isEqualTo(expected);
    }

    @Test
    void onlyAbsoluteLinksAreSent() {
        assertThat(mapping.trigger(wave).links()).isEmpty();
        Alert linked = AlertFixtures.withRunbook(wave, "https://runbooks.example.com/stampede#reboot-wave");
        assertThat(new PagerDutyMapping("https://grafana.example.com/d/stampede?var-incident={incident}")
                .trigger(linked).links()).containsExactly(
                        new PagerDutyEvent.Link("https://runbooks.example.com/stampede#reboot-wave", "Runbook: reboot-wave"),
                        new PagerDutyEvent.Link("https://grafana.example.com/d/stampede?var-incident=inc-eu-west-1",
                                "Stampede: " + wave.dedupKey()));
    }

    @Test
    void summaryAndDedupKeyStayWithinPagerDutysLimits() {
        Alert wordy = AlertFixtures.withSummary(wave, "x".repeat(3000));
        assertThat(mapping.trigger(wordy).payload().summary()).hasSize(1024).endsWith("…");
        Alert longIncident = AlertFixtures.withIncident(wave, "inc-" + "y".repeat(300));
        String key = mapping.trigger(longIncident).dedupKey();
        assertThat(key).hasSizeLessThanOrEqualTo(255).startsWith("stampede-");
        assertThat(mapping.resolve(longIncident).dedupKey()).isEqualTo(key);
    }
}
