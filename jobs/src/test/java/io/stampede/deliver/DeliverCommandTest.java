package io.stampede.deliver;

import static io.stampede.deliver.AlertFixtures.firing;
import static io.stampede.deliver.AlertFixtures.resolved;
import static io.stampede.deliver.DeliveryConfigTest.ROUTING_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import io.stampede.cli.StampedeCli;
import io.stampede.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stampede deliver --file}: a replay of alerts.jsonl, end to end through the command line. */
class DeliverCommandTest {

    private static final Instant T = Instant.now().minus(Duration.ofMinutes(30));

    @TempDir
    Path dir;

    @Test
    void aFileReplayPagesEachIncidentOnceAndLogsNoSecret() throws Exception {
        Alert wave = firing(AlertType.REBOOT_WAVE, "eu-west", "inc-eu-west-1", T);
        Alert surge = firing(AlertType.LOGIN_SURGE, "eu-west", "inc-eu-west-1", T.plusSeconds(40));
        Alert risk = firing(AlertType.CAPACITY_RISK, "us-east", "inc-us-east-1", T.plusSeconds(60));
        Path file = write(wave, surge, risk, resolved(wave, T.plusSeconds(600)), resolved(surge, T.plusSeconds(620)),
                resolved(risk, T.plusSeconds(640)));
        try (CapturedLogs logs = new CapturedLogs(); PagerDutyStub pd = new PagerDutyStub(ROUTING_KEY)) {
            int code = StampedeCli.execute("deliver", "--file", file.toString(), "--once",
                    "--set", "delivery.pagerduty.url=" + pd.url(),
                    "--set", "delivery.pagerduty.routingKey=" + ROUTING_KEY,
                    "--set", "delivery.failedDeliveries=" + dir.resolve("failed-deliveries.jsonl"));

            assertThat(code).isZero();
            assertThat(pd.received()).allSatisfy(r -> assertThat(r.violations()).isEmpty());
            assertThat(pd.received()).extracting(r -> r.action() + " " + r.dedupKey()).containsExactly(
                    "trigger inc-eu-west-1", "trigger inc-eu-west-1", "trigger inc-us-east-1", "resolve inc-eu-west-1",
                    "resolve inc-us-east-1");
            assertThat(logs.all()).contains("6 alert states handed over").contains("pagerduty: 5 delivered")
                    .contains("routing key set").doesNotContain(ROUTING_KEY);
        }
    }

    @Test
    void aLineThatIsNotAnAlertIsSkippedAndMakesTheExitCodeSaySo() throws Exception {
        Alert wave = firing(AlertType.REBOOT_WAVE, "eu-west", "inc-eu-west-1", T);
        Path file = dir.resolve("alerts.jsonl");
        Files.writeString(file, Json.write(wave) + "\n{\"dedupKey\":\"x\"}\n");
        try (CapturedLogs logs = new CapturedLogs(); PagerDutyStub pd = new PagerDutyStub(ROUTING_KEY)) {
            int code = StampedeCli.execute("deliver", "--file", file.toString(), "--once",
                    "--set", "delivery.pagerduty.url=" + pd.url(),
                    "--set", "delivery.pagerduty.routingKey=" + ROUTING_KEY,
                    "--set", "delivery.failedDeliveries=" + dir.resolve("failed-deliveries.jsonl"));
            assertThat(code).isEqualTo(1);
            assertThat(pd.accepted()).hasSize(1);
            assertThat(logs.all()).contains("line 2: skipped, not an alert: alert without incidentId");
        }
    }

    @Test
    void withoutAReceiverThereIsNothingToDo() throws Exception {
        Path file = write(firing(AlertType.REBOOT_WAVE, "eu-west", "inc-1", T));
        assertThat(StampedeCli.execute("deliver", "--file", file.toString())).isEqualTo(2);
        assertThat(StampedeCli.execute("deliver", "--help")).isZero();
    }

    private Path write(Alert... alerts) throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        Files.writeString(file, List.of(alerts).stream().map(Json::write).collect(Collectors.joining("\n", "", "\n")));
        return file;
    }
}
