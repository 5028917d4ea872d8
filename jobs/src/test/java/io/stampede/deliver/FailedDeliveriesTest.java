package io.stampede.deliver;

import static io.stampede.deliver.AlertFixtures.firing;
import static io.stampede.deliver.DeliveryConfigTest.ROUTING_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import io.stampede.event.Contract;
import io.stampede.event.ContractValidator;
import io.stampede.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alert state that does not reach a receiver is not lost without a trace: it is written to the
 * failed-deliveries file with its alertId and why, counted, and logged.
 */
class FailedDeliveriesTest {

    private static final Instant T = AlertFixtures.NOW.minus(Duration.ofMinutes(10));

    @TempDir
    Path dir;

    private final Alert wave = firing(AlertType.REBOOT_WAVE, "eu-west", "inc-eu-west-1", T);

    /** A fresh failed-deliveries file for a test that does not look at it. */
    static Path newFile() {
        try {
            Path file = Files.createTempFile("failed-deliveries", ".jsonl");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aRefusedStateIsRecordedWithItsReasonCountedAndLogged() throws Exception {
        Path file = dir.resolve("deliver/failed-deliveries.jsonl");
        try (CapturedLogs logs = new CapturedLogs();
                PagerDutyStub pd = new PagerDutyStub(ROUTING_KEY);
                Deliverer deliverer = Deliverer.start(PagerDutyContractTest.config(
                        "delivery.pagerduty.url=" + pd.url(), "delivery.pagerduty.routingKey=" + ROUTING_KEY,
                        "delivery.failedDeliveries=" + file), Clock.systemUTC())) {
            pd.answerNext(400);
            deliverer.accept(wave);

            await().atMost(Duration.ofSeconds(10)).until(() -> deliverer.counts().get(0).recorded() == 1);
            JsonNode failure = records(file).get(0);
            assertThat(failure.path("channel").asText()).isEqualTo("pagerduty");
            assertThat(failure.path("outcome").asText()).isEqualTo("REJECTED");
            assertThat(failure.path("alertId").asText()).isEqualTo(wave.alertId());
            assertThat(failure.path("dedupKey").asText()).isEqualTo(wave.dedupKey());
            assertThat(failure.path("incidentId").asText()).isEqualTo("inc-eu-west-1");
            assertThat(failure.path("sequence").asInt()).isEqualTo(1);
            assertThat(failure.path("request").asText()).isEqualTo("trigger of incident inc-eu-west-1");
            assertThat(failure.path("httpStatus").asInt()).isEqualTo(400);
            assertThat(failure.path("attempts").asInt()).isEqualTo(1);
            assertThat(failure.path("reason").asText()).startsWith("HTTP 400: ").contains("Event object is invalid");
            assertThat(Files.readString(file)).doesNotContain(ROUTING_KEY);
            assertThat(deliverer.counts().get(0).rejected()).isEqualTo(1);
            assertThat(logs.all()).contains("ERROR pagerduty: alert state " + wave.alertId() + " not delivered (REJECTED")
                    .contains("recorded in " + file)
                    .doesNotContain(ROUTING_KEY);
        }
    }

    @Test
    void aStateGivenUpAfterEveryAttemptIsRecordedWithTheLastStatus() throws Exception {
        Path file = dir.resolve("failed.jsonl");
        try (PagerDutyStub pd = new PagerDutyStub(ROUTING_KEY);
                Deliverer deliverer = Deliverer.start(PagerDutyContractTest.config(
                        "delivery.pagerduty.url=" + pd.url(), "delivery.pagerduty.routingKey=" + ROUTING_KEY,
                        "delivery.retry.maxAttempts=3", "delivery.failedDeliveries=" + file), Clock.systemUTC())) {
            pd.answerNext(503, 502, 503);
            deliverer.accept(wave);

            await().atMost(Duration.ofSeconds(10)).until(() -> deliverer.counts().get(0).recorded() == 1);
            assertThat(pd.received()).extracting(PagerDutyStub.Received::status).containsExactly(503, 502, 503);
            JsonNode failure = records(file).get(0);
            assertThat(failure.path("outcome").asText()).isEqualTo("GAVE_UP");
            assertThat(failure.path("attempts").asInt()).isEqualTo(3);
            assertThat(failure.path("httpStatus").asInt()).isEqualTo(503);
            assertThat(deliverer.counts().get(0).gaveUp()).isEqualTo(1);
        }
    }

    @Test
    void anUnreachableAlertmanagerLeavesARecordOfTheNetworkError() throws Exception {
        Path file = dir.resolve("failed.jsonl");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (Deliverer deliverer = Deliverer.start(PagerDutyContractTest.config(
                "delivery.alertmanager.url=http://127.0.0.1:" + closedPort, "delivery.retry.maxAttempts=2",
                "delivery.failedDeliveries=" + file), Clock.systemUTC())) {
            deliverer.accept(wave);

            await().atMost(Duration.ofSeconds(10)).until(() -> deliverer.counts().get(0).recorded() == 1);
            JsonNode failure = records(file).get(0);
            assertThat(failure.path("channel").asText()).isEqualTo("alertmanager");
            assertThat(failure.path("outcome").asText()).isEqualTo("GAVE_UP");
            assertThat(failure.path("alertId").asText()).isEqualTo(wave.alertId());
            assertThat(failure.path("request").asText()).isEqualTo("alert StampedeRebootWave eu-west (firing)");
            assertThat(failure.path("httpStatus").isNull()).isTrue();
            assertThat(failure.path("attempts").asInt()).isEqualTo(2);
            assertThat(failure.path("reason").asText()).contains("ConnectException");
        }
    }

    @Test
    void statesDroppedForRoomAreRecordedOneByOne() throws Exception {
        Path file = dir.resolve("failed.jsonl");
        try (ServerSocket hanging = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
                Deliverer deliverer = Deliverer.start(PagerDutyContractTest.config(
                        "delivery.pagerduty.url=http://127.0.0.1:" + hanging.getLocalPort(),
                        "delivery.pagerduty.routingKey=" + ROUTING_KEY, "delivery.queueCapacity=3",
                        "delivery.requestTimeout=1s", "delivery.retry.maxAttempts=1", "delivery.failedDeliveries=" + file), Clock.systemUTC())) {
            List<Alert> alerts = IntStream.range(0, 10)
                    .mapToObj(i -> firing(AlertType.REBOOT_WAVE, "region-" + i, "inc-" + i, T.plusSeconds(i)))
                    .toList();
            // The first trigger hangs in flight (or is still queued): the others overflow a queue of three.
            alerts.forEach(deliverer::accept);

            ReceiverCounts counts = deliverer.counts().get(0);
            assertThat(counts.droppedFresh()).isBetween(6L, 7L);
            List<JsonNode> dropped = records(file).stream()
                    .filter(r -> r.path("outcome").asText().equals("DROPPED")).toList();
            assertThat(dropped).hasSize((int) counts.droppedFresh());
            assertThat(dropped).allSatisfy(r -> {
                assertThat(r.path("attempts").asInt()).isZero();
                assertThat(r.path("reason").asText()).startsWith("queue full (3 entries)");
            });
            assertThat(dropped).extracting(r -> r.path("alertId").asText())
                    .isSubsetOf(alerts.stream().map(Alert::alertId).toList());
        }
    }

    /** The file's records, each checked against schemas/failed-delivery.schema.json. */
    static List<JsonNode> records(Path file) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode record = Json.MAPPER.readTree(line);
            assertThat(ContractValidator.shared().validate(Contract.FAILED_DELIVERY, record)).as(line).isEmpty();
            records.add(record);
        }
        return records;
    }
}
