package io.stampede.deliver;

import static io.stampede.deliver.AlertFixtures.firing;
import static io.stampede.deliver.AlertFixtures.resolved;
import static io.stampede.deliver.AlertFixtures.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.RequiredTools;
import io.stampede.RequiredTools.Tool;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import io.stampede.alert.Severity;
import io.stampede.io.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery to a real Alertmanager: the Debian package's binary, started on 127.0.0.1 with a route
 * that groups by incident, as {@code deploy/k8s/alertmanager/alertmanager.yaml} does.
 */
class AlertmanagerITCase {

    private static final String CONFIG = """
            route:
              receiver: stampede
              group_by: [incident]
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: stampede
            """;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path dir;

    private static Process alertmanager;
    private static String url;

    @BeforeAll
    static void startAlertmanager() throws Exception {
        Path binary = RequiredTools.require(Tool.ALERTMANAGER);
        Path config = Files.writeString(dir.resolve("alertmanager.yml"), CONFIG);
        int port = freePort();
        url = "http://127.0.0.1:" + port;
        alertmanager = new ProcessBuilder(binary.toString(),
                "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                // No cluster: it would listen on every interface, on a fixed port.
                "--cluster.listen-address=",
                "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("alertmanager.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .failFast("Alertmanager exited", () -> !alertmanager.isAlive())
                .until(() -> status("/-/ready") == 200);
    }

    @AfterAll
    static void stopAlertmanager() throws Exception {
        if (alertmanager != null) {
            alertmanager.destroy();
            if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
                alertmanager.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void alertsAppearWithTheirLabelsGroupedByIncidentAreKeptAliveAndResolve() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(5));
        Alert wave = firing(AlertType.REBOOT_WAVE, "eu-west", "inc-eu-west-it", t);
        Alert surge = firing(AlertType.LOGIN_SURGE, "eu-west", "inc-eu-west-it", t.plusSeconds(60));
        Alert risk = firing(AlertType.CAPACITY_RISK, "us-east", "inc-us-east-it", t.plusSeconds(90));
        try (Deliverer deliverer = Deliverer.start(PagerDutyContractTest.config(
                        "delivery.alertmanager.url=" + url,
                        "delivery.alertmanager.resendInterval=1s",
                        "delivery.generatorUrl=https://grafana.example.com/d/stampede?var-incident={incident}"),
                Clock.systemUTC())) {
            deliverer.accept(wave);
            deliverer.accept(surge);
            deliverer.accept(risk);

            await().atMost(Duration.ofSeconds(10)).until(() -> active().size() == 3);
            JsonNode posted = byAlertname(active(), "StampedeRebootWave");
            assertThat(strings(posted.path("labels"))).isEqualTo(Map.of(
                    "alertname", "StampedeRebootWave", "source", "stampede", "region", "eu-west",
                    "severity", "warning", "incident", "inc-eu-west-it", "stampede_type", "REBOOT_WAVE",
                    "expected", "false"));
            assertThat(strings(posted.path("annotations"))).isEqualTo(Map.of(
                    "summary", wave.summary(),
                    "description", AlertDescription.of(wave),
                    "runbook_url", "RUNBOOK.md#reboot-wave"));
            assertThat(Instant.parse(posted.path("startsAt").asText())).isEqualTo(t);
            assertThat(posted.path("generatorURL").asText())
                    .isEqualTo("https://grafana.example.com/d/stampede?var-incident=inc-eu-west-it");
            assertThat(posted.at("/status/state").asText()).isEqualTo("active");
            assertThat(strings(byAlertname(active(), "StampedeCapacityRisk").path("labels")))
                    .containsEntry("incident", "inc-us-east-it").containsEntry("region", "us-east");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Map<String, List<String>> groups = groupsByIncident();
                assertThat(groups).containsOnlyKeys("inc-eu-west-it", "inc-us-east-it");
                assertThat(groups.get("inc-eu-west-it")).containsExactlyInAnyOrder("StampedeRebootWave",
                        "StampedeLoginSurge");
                assertThat(groups.get("inc-us-east-it")).containsExactly("StampedeCapacityRisk");
            });

            // Re-posted every second: Alertmanager sees the alert updated, so it does not time out.
            Instant updated = Instant.parse(posted.path("updatedAt").asText());
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    Instant.parse(byAlertname(active(), "StampedeRebootWave").path("updatedAt").asText()).isAfter(updated));

            // An escalation changes the severity label: the warning one ends, the critical one fires.
            deliverer.accept(update(surge, Severity.CRITICAL));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(active())
                    .filteredOn(a -> a.at("/labels/alertname").asText().equals("StampedeLoginSurge"))
                    .singleElement().satisfies(a -> assertThat(a.at("/labels/severity").asText()).isEqualTo("critical")));

            deliverer.accept(resolved(wave, Instant.now().minusSeconds(2)));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(active())
                    .extracting(a -> a.at("/labels/alertname").asText())
                    .containsExactlyInAnyOrder("StampedeLoginSurge", "StampedeCapacityRisk"));
        }
    }

    /** The alerts Alertmanager holds as active (its API leaves resolved ones out). */
    private static List<JsonNode> active() throws IOException, InterruptedException {
        List<JsonNode> alerts = new ArrayList<>();
        get("/api/v2/alerts?active=true&silenced=false&inhibited=false").forEach(alerts::add);
        return alerts;
    }

    private static JsonNode byAlertname(List<JsonNode> alerts, String alertname) {
        return alerts.stream().filter(a -> a.at("/labels/alertname").asText().equals(alertname)).findFirst()
                .orElseThrow(() -> new AssertionError("no active " + alertname + " in " + alerts));
    }

    private static Map<String, String> strings(JsonNode object) {
        return Json.MAPPER.convertValue(object, new TypeReference<Map<String, String>>() {});
    }

    /** incident → alertnames of the alert groups Alertmanager formed. */
    private static Map<String, List<String>> groupsByIncident() throws IOException, InterruptedException {
        Map<String, List<String>> groups = new HashMap<>();
        for (JsonNode group : get("/api/v2/alerts/groups")) {
            List<String> names = new ArrayList<>();
            group.path("alerts").forEach(a -> names.add(a.at("/labels/alertname").asText()));
            groups.put(group.at("/labels/incident").asText(), names);
        }
        return groups;
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    private static int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
