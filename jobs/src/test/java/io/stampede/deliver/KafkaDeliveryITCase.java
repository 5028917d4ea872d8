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
import io.stampede.cli.StampedeCli;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stampede deliver --from-kafka} against a real broker (Kafka's in-JVM KRaft cluster): the
 * alerts topic written in transactions as the job writes it, a deliverer restarted in between.
 */
class KafkaDeliveryITCase {

    private static final String TOPIC = "alerts";
    private static final String CRASH_TOPIC = "alerts-crash";
    private static final Instant T = Instant.now().minus(Duration.ofMinutes(20));

    private static KafkaBroker kafka;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaBroker.start();
        kafka.createTopics(Map.of(TOPIC, 3, CRASH_TOPIC, 3), Map.of());
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

    /**
     * {@code stampede deliver} as a process of its own, killed with SIGKILL while PagerDuty has
     * taken an event but not yet answered, and a later trigger waits in its queue: the restarted
     * deliverer sends the trigger (nothing dropped), repeats at most the unanswered event, which
     * PagerDuty takes as the same, and never triggers an incident again after its resolve (no second
     * page). A state PagerDuty refused stays in the failed-deliveries file and is not sent again.
     */
    @Test
    void aDelivererKilledMidStreamResumesWithoutDroppingOrPagingTwice(@TempDir Path dir) throws Exception {
        Alert waveA = firing(AlertType.REBOOT_WAVE, "eu-west", "inc-a", T);
        Alert waveB = firing(AlertType.REBOOT_WAVE, "us-east", "inc-b", T.plusSeconds(10));
        // Detected after A's resolve: a restarted deliverer hands them over in that order.
        Alert waveC = firing(AlertType.REBOOT_WAVE, "ap-south", "inc-c", T.plusSeconds(400));
        Alert overA = resolved(waveA, T.plusSeconds(300));
        Path failed = dir.resolve("failed-deliveries.jsonl");
        try (PagerDutyStub pd = new PagerDutyStub(ROUTING_KEY); AlertmanagerStub am = new AlertmanagerStub()) {
            List<String> settings = List.of(
                    "kafka.bootstrapServers=" + kafka.bootstrapServers(),
                    "kafka.topics.alerts=" + CRASH_TOPIC,
                    "delivery.groupId=crash-test",
                    "delivery.alertmanager.url=" + am.url(),
                    "delivery.pagerduty.url=" + pd.url(),
                    "delivery.pagerduty.routingKey=" + ROUTING_KEY,
                    "delivery.retry.initialBackoff=10ms",
                    "delivery.retry.maxBackoff=40ms",
                    // Longer than the test holds PagerDuty's answer: the held event is not retried before the kill.
                    "delivery.requestTimeout=60s",
                    "delivery.failedDeliveries=" + failed);
            try (DelivererProcess first = DelivererProcess.start(settings, dir.resolve("first.log"))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> first.log().contains("delivering to"));
                await().atMost(Duration.ofSeconds(60)).until(() -> count(first.log(), "delivering from offset") == 3);
                send(CRASH_TOPIC, true, waveA);
                await().atMost(Duration.ofSeconds(30)).until(() -> pd.accepted().size() == 1);
                pd.answerNext(400);
                send(CRASH_TOPIC, true, waveB);
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(failed)
                        && Files.readString(failed).contains(waveB.alertId()));

                pd.holdAnswers();
                send(CRASH_TOPIC, true, overA);
                await().atMost(Duration.ofSeconds(30)).until(() -> pd.received().size() == 3);
                send(CRASH_TOPIC, true, waveC);
                // Alertmanager has it, so it is handed over and waits in PagerDuty's queue behind the held resolve.
                await().atMost(Duration.ofSeconds(30)).until(() -> am.incidents().contains("inc-c"));
                first.kill();
            }
            pd.release();
            assertThat(pd.accepted()).extracting(r -> r.action() + " " + r.dedupKey())
                    .containsExactly("trigger inc-a", "resolve inc-a");

            try (DelivererProcess second = DelivererProcess.start(settings, dir.resolve("second.log"))) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(pd.accepted())
                        .extracting(r -> r.action() + " " + r.dedupKey()).as(second.log())
                        .containsExactly("trigger inc-a", "resolve inc-a", "resolve inc-a", "trigger inc-c"));
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                        .until(() -> pd.received().size() == 5);
            }
            assertThat(pd.incidentsOpened()).as("pages per incident").containsExactly(
                    Map.entry("inc-a", 1), Map.entry("inc-c", 1));
            assertThat(pd.received()).allSatisfy(r -> assertThat(r.violations()).isEmpty());
            assertThat(am.incidents()).contains("inc-a", "inc-b", "inc-c");
            assertThat(FailedDeliveriesTest.records(failed)).singleElement().satisfies(r -> {
                assertThat(r.path("alertId").asText()).isEqualTo(waveB.alertId());
                assertThat(r.path("channel").asText()).isEqualTo("pagerduty");
                assertThat(r.path("httpStatus").asInt()).isEqualTo(400);
            });
        }
    }

    private static long count(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).count();
    }

    private static long positionsLogged(CapturedLogs logs) {
        return logs.all().lines().filter(l -> l.contains("delivering from offset")).count();
    }

    private static boolean isFiring(JsonNode posted, String alertname) {
        return posted.at("/labels/alertname").asText().equals(alertname) && !posted.has("endsAt");
    }

    /** Writes alert states in one transaction, keyed by dedupKey as the job does, and commits or aborts it. */
    private static void send(boolean commit, Alert... alerts) {
        send(TOPIC, commit, alerts);
    }

    private static void send(String topic, boolean commit, Alert... alerts) {
        producer.beginTransaction();
        for (Alert a : alerts) {
            producer.send(new ProducerRecord<>(topic, a.dedupKey().getBytes(StandardCharsets.UTF_8), Json.bytes(a)));
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.flush();
            producer.abortTransaction();
        }
    }

    /** {@code stampede deliver --from-kafka} in a JVM of its own, on the tests' class path, logging to a file. */
    private record DelivererProcess(Process process, Path logFile) implements AutoCloseable {

        static DelivererProcess start(List<String> settings, Path log) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    // The command's own logging (Stampede at INFO), not the tests' quieter one.
                    "-Dlog4j2.configurationFile=log4j2.properties",
                    "-cp", System.getProperty("java.class.path"),
                    StampedeCli.class.getName(), "deliver", "--from-kafka"));
            settings.forEach(s -> command.addAll(List.of("--set", s)));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            return new DelivererProcess(process, log);
        }

        String log() throws IOException {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        }

        /** SIGKILL: no shutdown hook, no last commit, requests in flight cut off. */
        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }

        /** Ctrl-C, as an operator stops it. */
        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
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
