package io.stampede.deliver;

import static io.stampede.deliver.AlertFixtures.firing;
import static io.stampede.deliver.AlertFixtures.resolved;
import static io.stampede.deliver.DeliveryConfigTest.ROUTING_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import io.stampede.config.ConfigLoader;
import io.stampede.config.StampedeConfig;
import io.stampede.io.Json;
import io.stampede.kafka.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code stampede deliver --from-kafka} against a real broker (Kafka's in-JVM KRaft cluster): the
 * alerts topic written in transactions as the job writes it, a deliverer restarted in between.
 */
class KafkaDeliveryITCase {

    private static final String TOPIC = "alerts";
    private static final Instant T = Instant.now().minus(Duration.ofMinutes(20));

    private static KafkaBroker kafka;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaBroker.start();
        kafka.createTopics(Map.of(TOPIC, 3), Map.of());
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", kafka.bootstrapServers());
        p.setProperty("transactional.id", "stampede-alerts-test");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void committedAlertsAreDeliveredOnceAcrossARestartAndAbortedOnesNever() throws Exception {
        Alert wave = firing(AlertType.REBOOT_WAVE, "eu-west", "inc-eu-west-k", T);
        Alert surge = firing(AlertType.LOGIN_SURGE, "eu-west", "inc-eu-west-k", T.plusSeconds(40));
        Alert aborted = firing(AlertType.CAPACITY_RISK, "us-east", "inc-us-east-aborted", T.plusSeconds(60));
        try (CapturedLogs logs = new CapturedLogs(); PagerDutyStub pd = new PagerDutyStub(ROUTING_KEY);
                AlertmanagerStub am = new AlertmanagerStub()) {
            StampedeConfig config = ConfigLoader.load(null, List.of(
                    "kafka.bootstrapServers=" + kafka.bootstrapServers(),
                    "delivery.alertmanager.url=" + am.url(),
                    "delivery.alertmanager.resendInterval=1s",
                    "delivery.pagerduty.url=" + pd.url(),
                    "delivery.pagerduty.routingKey=" + ROUTING_KEY,
                    "delivery.failedDeliveries=" + FailedDeliveriesTest.newFile()));

            try (Running first = Running.start(config)) {
                // On a first start what the topic holds is history: write only once the feed has its positions.
                await().atMost(Duration.ofSeconds(30)).until(() -> positionsLogged(logs) == 3);
                send(true, wave, surge);
                send(false, aborted);
                await().atMost(Duration.ofSeconds(30)).until(() -> pd.received().size() == 2);
            }
            assertThat(pd.received()).extracting(r -> r.action() + " " + r.dedupKey())
                    .containsExactly("trigger inc-eu-west-k", "trigger inc-eu-west-k");

            // While no deliverer runs the wave resolves; the restarted one re-reads the topic.
            send(true, resolved(wave, T.plusSeconds(600)));
            int postedBeforeRestart = am.posted().size();
            try (Running second = Running.start(config)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> am.posted().stream().skip(postedBeforeRestart)
                        .anyMatch(a -> isFiring(a, "StampedeLoginSurge")));
                await().atMost(Duration.ofSeconds(30)).until(() -> am.posted().stream().skip(postedBeforeRestart)
                        .anyMatch(a -> a.at("/labels/alertname").asText().equals("StampedeRebootWave")
                                && a.has("endsAt")));
                send(true, resolved(surge, T.plusSeconds(660)));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pd.received())
                        .extracting(r -> r.action() + " " + r.dedupKey()).as(logs.all())
                        .containsExactly("trigger inc-eu-west-k", "trigger inc-eu-west-k", "resolve inc-eu-west-k"));
                await().during(Duration.ofSeconds(1)).until(() -> pd.received().size() == 3);
            }
            assertThat(pd.received()).allSatisfy(r -> assertThat(r.violations()).isEmpty());
            assertThat(am.incidents()).doesNotContain("inc-us-east-aborted");
        }
    }

    private static long positionsLogged(CapturedLogs logs) {
        return logs.all().lines().filter(l -> l.contains("delivering from offset")).count();
    }

    private static boolean isFiring(JsonNode posted, String alertname) {
        return posted.at("/labels/alertname").asText().equals(alertname) && !posted.has("endsAt");
    }

    /** Writes alert states in one transaction, keyed by dedupKey as the job does, and commits or aborts it. */
    private static void send(boolean commit, Alert... alerts) {
        producer.beginTransaction();
        for (Alert a : alerts) {
            producer.send(new ProducerRecord<>(TOPIC, a.dedupKey().getBytes(StandardCharsets.UTF_8), Json.bytes(a)));
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.flush();
            producer.abortTransaction();
        }
    }

    /** A deliverer fed from the topic on a thread of its own, as {@code stampede deliver --from-kafka} runs it. */
    private record Running(Deliverer deliverer, KafkaAlertFeed feed, Thread thread) implements AutoCloseable {

        static Running start(StampedeConfig config) throws IOException {
            Deliverer deliverer = Deliverer.start(config.delivery(), Clock.systemUTC());
            KafkaAlertFeed feed = KafkaAlertFeed.create(config, deliverer, Clock.systemUTC());
            Thread thread = new Thread(feed::run, "kafka-alert-feed");
            thread.start();
            return new Running(deliverer, feed, thread);
        }

        @Override
        public void close() throws Exception {
            feed.stop();
            thread.join(30_000);
            deliverer.close();
        }
    }
}
