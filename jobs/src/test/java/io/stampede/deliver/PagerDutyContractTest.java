package io.stampede.deliver;

import static io.stampede.deliver.AlertFixtures.firing;
import static io.stampede.deliver.AlertFixtures.resolved;
import static io.stampede.deliver.AlertFixtures.update;
import static io.stampede.deliver.DeliveryConfigTest.ROUTING_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import io.stampede.alert.Severity;
import io.stampede.config.ConfigLoader;
import io.stampede.config.StampedeConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Delivery to PagerDuty against a local stand-in that checks every request against the Events
 * API v2 contract ({@link PagerDutyStub}).
 */
class PagerDutyContractTest {

    private static final Instant T = Instant.now().minus(Duration.ofMinutes(10));
    private static final String[] FAST_RETRIES = {"delivery.retry.initialBackoff=10ms", "delivery.retry.maxBackoff=40ms"};

    private final Alert wave = firing(AlertType.REBOOT_WAVE, "eu-west", "inc-eu-west-20261127T015000Z", T);
    private final Alert surge = firing(AlertType.LOGIN_SURGE, "eu-west", "inc-eu-west-20261127T015000Z", T.plusSeconds(50));

    /** Fast retries, and states that cannot be delivered recorded in a file of their own. */
    static StampedeConfig.Delivery config(String... overrides) {
        List<String> all = new ArrayList<>(List.of(FAST_RETRIES));
        all.add("delivery.failedDeliveries=" + FailedDeliveriesTest.newFile());
        all.addAll(List.of(overrides));
        return ConfigLoader.load(null, all).delivery();
    }

    private static StampedeConfig.Delivery pagerDuty(PagerDutyStub stub, String... overrides) {
        List<String> all = new ArrayList<>(List.of("delivery.pagerduty.url=" + stub.url(),
                "delivery.pagerduty.routingKey=" + ROUTING_KEY));
        all.addAll(List.of(overrides));
        return config(all.toArray(String[]::new));
    }

    @Test
    void anIncidentIsTriggeredAddedToAndResolvedUnderOneDedupKey() throws Exception {
        try (PagerDutyStub pd = new PagerDutyStub(ROUTING_KEY);
                Deliverer deliverer = Deliverer.start(pagerDuty(pd), Clock.systemUTC())) {
            Alert surgeCritical = update(surge, Severity.CRITICAL);
            deliverer.accept(wave);
            deliverer.accept(surge);
            deliverer.accept(surgeCritical);
            deliverer.accept(resolved(wave, T.plusSeconds(300)));
            deliverer.accept(resolved(surgeCritical, T.plusSeconds(360)));

            await().atMost(Duration.ofSeconds(10)).until(() -> pd.received().size() == 4);
            assertThat(pd.received()).allSatisfy(r -> assertThat(r.violations()).isEmpty());
            assertThat(pd.received()).extracting(PagerDutyStub.Received::action)
                    .containsExactly("trigger", "trigger", "trigger", "resolve");
            assertThat(pd.received()).extracting(PagerDutyStub.Received::dedupKey)
                    .containsOnly("inc-eu-west-20261127T015000Z");
            assertThat(pd.received().get(2).event().at("/payload/severity").asText()).isEqualTo("critical");
            await().until(() -> deliverer.counts().get(0).delivered() == 4);
        }
    }

    @Test
    void aStateReadTwiceIsNotPagedTwice() throws Exception {
        try (PagerDutyStub pd = new PagerDutyStub(ROUTING_KEY);
                Deliverer deliverer = Deliverer.start(pagerDuty(pd), Clock.systemUTC())) {
            Alert over = resolved(wave, T.plusSeconds(300));
            deliverer.accept(wave);
            deliverer.accept(over);
            deliverer.accept(wave);
            deliverer.accept(over);
            deliverer.drain();
            assertThat(pd.received()).extracting(PagerDutyStub.Received::action).containsExactly("trigger", "resolve");
            assertThat(deliverer.ignoredStates()).isEqualTo(2);
        }
    }

    @Test
    void serverErrorsAreRetriedUntilTheEventIsDeliveredExactlyOnce() throws Exception {
        try (PagerDutyStub pd = new PagerDutyStub(ROUTING_KEY);
                Deliverer deliverer = Deliverer.start(pagerDuty(pd), Clock.systemUTC())) {
            pd.answerNext(500, 500);
            deliverer.accept(wave);

            await().atMost(Duration.ofSeconds(10)).until(() -> pd.received().size() == 3);
            await().during(Duration.ofMillis(300)).until(() -> pd.received().size() == 3);
            assertThat(pd.received()).extracting(PagerDutyStub.Received::status).containsExactly(500, 500, 202);
            assertThat(pd.accepted()).singleElement().satisfies(r -> {
                assertThat(r.action()).isEqualTo("trigger");
                assertThat(r.violations()).isEmpty();
            });
            ReceiverCounts counts = deliverer.counts().get(0);
            assertThat(counts.delivered()).isEqualTo(1);
            assertThat(counts.lost()).isZero();
        }
    }

    @Test
    void aRefusedEventIsNotRetriedAndIsLoggedWithTheAnswerButNotTheRoutingKey() throws Exception {
        try (CapturedLogs logs = new CapturedLogs();
                PagerDutyStub pd = new PagerDutyStub(ROUTING_KEY);
                Deliverer deliverer = Deliverer.start(pagerDuty(pd), Clock.systemUTC())) {
            pd.answerNext(400);
            deliverer.accept(wave);

            await().atMost(Duration.ofSeconds(10)).until(() -> deliverer.counts().get(0).rejected() == 1);
            await().during(Duration.ofMillis(300)).until(() -> pd.received().size() == 1);
            assertThat(logs.all()).contains("refused trigger of incident inc-eu-west-20261127T015000Z with HTTP 400")
                    .contains("Event object is invalid")
                    .contains("\"routing_key\":\"******\"")
                    .doesNotContain(ROUTING_KEY);
        }
    }

    @Test
    void anUnreachablePagerDutyHoldsUpNeitherTheHandOverNorAlertmanager() throws Exception {
        try (AlertmanagerStub alertmanager = new AlertmanagerStub();
                // Accepts connections (the kernel's backlog) and never answers: a receiver that hangs.
                ServerSocket hanging = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
                CapturedLogs logs = new CapturedLogs();
                Deliverer deliverer = Deliverer.start(config(
                        "delivery.alertmanager.url=" + alertmanager.url(),
                        "delivery.pagerduty.url=http://127.0.0.1:" + hanging.getLocalPort(),
                        "delivery.pagerduty.routingKey=" + ROUTING_KEY,
                        "delivery.requestTimeout=1s", "delivery.retry.maxAttempts=2", "delivery.queueCapacity=50"),
                        Clock.systemUTC())) {
            List<Alert> first = alerts(0, 40);
            first.forEach(deliverer::accept);
            await().atMost(Duration.ofSeconds(10)).until(() -> alertmanager.posted().size() == 40);

            // PagerDuty's queue now holds 39 triggers behind the hanging one; 40 more overflow it.
            List<Alert> second = alerts(40, 80);
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> second.forEach(deliverer::accept));
            await().atMost(Duration.ofSeconds(10)).until(() -> alertmanager.posted().size() == 80);
            assertThat(alertmanager.incidents()).containsExactlyInAnyOrderElementsOf(
                    Stream.concat(first.stream(), second.stream()).map(Alert::incidentId).toList());
            ReceiverCounts pagerDuty = deliverer.counts().stream().filter(c -> c.receiver().equals("pagerduty"))
                    .findFirst().orElseThrow();
            assertThat(pagerDuty.delivered()).isZero();
            assertThat(pagerDuty.droppedFresh()).as("80 triggers into a queue of 50 behind a hanging request")
                    .isGreaterThanOrEqualTo(80 - 50 - 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> logs.all().contains("pagerduty: queue full (50 entries)"));
        }
    }

    private static List<Alert> alerts(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> firing(AlertType.REBOOT_WAVE, "region-" + i, "inc-" + i, T.plusSeconds(i)))
                .toList();
    }
}
