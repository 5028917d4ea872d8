package io.stampede.io.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;


import io.stampede.cli.SimulatedInput;
import io.stampede.config.ConfigLoader;
import io.stampede.config.StampedeConfig;
import io.stampede.event.InputKind;
import io.stampede.sim.Scenario;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a replay hands to the producer, in which order, with which keys (a mock producer, no broker). */
class ReplayerTest {

    @TempDir
    Path dir;

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

    private Replayer replayer(boolean shift) {
        return new Replayer(producer, "logins", "telemetry", ReplaySpeed.MAX, shift);
    }

    private static String show(ProducerRecord<byte[], byte[]> r) {
        return r.topic() + " " + (r.key() == null ? "-" : new String(r.key(), StandardCharsets.UTF_8)) + " "
                + new String(r.value(), StandardCharsets.UTF_8);
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        if (name.endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
        } else {
            Files.writeString(file, text);
        }
        return file;
    }

    @Test
    void twoFilesAreMergedByEventTimeWhateverTheTimestampFormAndBadLinesKeepTheirPlace() throws Exception {
        Path logins = write("logins.jsonl", """
                {"eventTime":"2026-11-24T08:00:01.000Z","deviceId":"d1","n":"L1"}
                {"eventTime":1795507203000,"deviceId":"d2","n":"L2"}
                {"broken
                \r
                {"eventTime":"2026-11-24T08:00:05Z","deviceId":"d1","n":"L3"}
                """.replace("\\r", "\r"));
        Path telemetry = write("telemetry.jsonl.gz", """
                {"eventTime":1795507200500,"type":"BOOT","deviceId":"d1","n":"T1"}
                {"eventTime":"2026-11-24T08:00:04.000Z","type":"NODE_HEALTH","authNode":"n-1","n":"T2"}
                """);

        Replayer.Totals totals = replayer(false).replayFiles(logins, telemetry, null);

        // 2026-11-24T08:00:00Z is 1795507200000.
        assertThat(producer.history()).extracting(ReplayerTest::show).containsExactly(
                "telemetry d1 {\"eventTime\":1795507200500,\"type\":\"BOOT\",\"deviceId\":\"d1\",\"n\":\"T1\"}",
                "logins d1 {\"eventTime\":\"2026-11-24T08:00:01.000Z\",\"deviceId\":\"d1\",\"n\":\"L1\"}",
                "logins d2 {\"eventTime\":1795507203000,\"deviceId\":\"d2\",\"n\":\"L2\"}",
                "logins - {\"broken",
                "telemetry n-1 {\"eventTime\":\"2026-11-24T08:00:04.000Z\",\"type\":\"NODE_HEALTH\",\"authNode\":\"n-1\",\"n\":\"T2\"}",
                "logins d1 {\"eventTime\":\"2026-11-24T08:00:05Z\",\"deviceId\":\"d1\",\"n\":\"L3\"}");
        assertThat(totals.published()).isEqualTo(6);
        assertThat(totals.logins()).isEqualTo(4);
        assertThat(totals.telemetry()).isEqualTo(2);
        assertThat(totals.withoutKey()).isEqualTo(1);
        assertThat(totals.withoutTime()).isEqualTo(1);
        assertThat(producer.flushed()).isTrue();
    }

    @Test
    void aShiftToNowMovesTheFirstEventToNowAndKeepsTheGaps() throws Exception {
        Path logins = write("logins.jsonl", """
                {"eventTime":1795507200000,"deviceId":"d1"}
                {"eventTime":"2026-11-24T08:01:00Z","deviceId":"d2"}
                """);
        long before = System.currentTimeMillis();
        replayer(true).replayFiles(logins, null, null);
        long after = System.currentTimeMillis();

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        long first = ReplayRecord.of(sent.get(0).value()).eventMillis();
        long second = ReplayRecord.of(sent.get(1).value()).eventMillis();
        assertThat(first).isBetween(before, after);
        assertThat(second - first).isEqualTo(60_000);
        assertThat(new String(sent.get(1).value(), StandardCharsets.UTF_8)).matches(
                "\\{\"eventTime\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z\",\"deviceId\":\"d2\"}");
    }

    @Test
    void aScenarioIsPublishedWhollyKeyedByDeviceOrNode() {
        Scenario scenario = Scenario.updateWave(1_000, 3).withDuration(Duration.ofMinutes(2));

        Replayer.Totals totals = replayer(false).replayGenerated(new SimulatedInput(scenario), null);

        assertThat(totals.published()).isEqualTo(producer.history().size()).isPositive();
        assertThat(totals.withoutKey()).isZero();
        assertThat(producer.history()).allSatisfy(r -> {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            String key = new String(r.key(), StandardCharsets.UTF_8);
            assertThat(value).contains(value.contains("NODE_HEALTH") ? "\"authNode\":\"" + key + "\""
                    : "\"deviceId\":\"" + key + "\"");
            assertThat(r.topic()).isEqualTo(value.contains("\"type\"") ? "telemetry" : "logins");
        });
    }

    @Test
    void recordsAreStampedWithTheirPublishTimeSoARecordingOlderThanRetentionIsNotDeletedForItsAge()
            throws Exception {
        long monthAgo = System.currentTimeMillis() - Duration.ofDays(30).toMillis();
        String line = "{\"eventTime\":" + monthAgo + ",\"deviceId\":\"d1\"}";
        Path logins = write("logins.jsonl", line + "\n");
        long before = System.currentTimeMillis();

        replayer(false).replayFiles(logins, null, null);

        ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertThat(sent.timestamp()).isBetween(before, System.currentTimeMillis());
        assertThat(new String(sent.value(), StandardCharsets.UTF_8)).as("the event time stays in the payload")
                .isEqualTo(line);
    }

    @Test
    void aRecordKafkaGivesUpOnStopsTheReplayThereAndTheTotalsSayWhereEachInputsRestBegins() throws Exception {
        Path logins = write("logins.jsonl", """
                {"eventTime":1000,"deviceId":"d1","n":"L1"}
                {"eventTime":3000,"deviceId":"d2","n":"L2"}

                {"eventTime":5000,"deviceId":"d1","n":"L3"}
                {"eventTime":7000,"deviceId":"d1","n":"L4"}
                """);
        Path telemetry = write("telemetry.jsonl", """
                {"eventTime":2000,"type":"BOOT","deviceId":"d1","n":"T1"}
                {"eventTime":6000,"type":"BOOT","deviceId":"d2","n":"T2"}
                """);
        // Kafka acknowledges L1, T1 and L2 at once and gives up on L3 (the 4th record handed over).
        ScriptedProducer scripted = new ScriptedProducer(4, new TimeoutException("Expiring 1 record(s) for logins-0"));

        Replayer.Totals totals = new Replayer(scripted, "logins", "telemetry", ReplaySpeed.MAX, false)
                .replayFiles(logins, telemetry, null);

        assertThat(scripted.history()).as("nothing is handed over after the record Kafka gave up on")
                .extracting(r -> ReplayRecord.of(r.value()).eventMillis()).containsExactly(1000L, 2000L, 3000L, 5000L);
        assertThat(totals.failure()).isInstanceOf(TimeoutException.class).hasMessageContaining("Expiring 1 record");
        assertThat(totals.complete()).isFalse();
        assertThat(totals.loginsPublished()).isEqualTo(2);
        assertThat(totals.telemetryPublished()).isEqualTo(1);
        assertThat(totals.notPublished()).isEqualTo(1);
        assertThat(totals.resume()).containsExactly(
                new Replayer.Resume(InputKind.LOGIN, 4, 5000),
                new Replayer.Resume(InputKind.TELEMETRY, 2, 6000));
        assertThat(scripted.closed()).as("what was handed over after it is given up at once").isTrue();
    }

    @Test
    void abandoningAReplayWhileTheBrokerIsDownCountsWhatKafkaDidNotAcknowledge() throws Exception {
        Path logins = write("logins.jsonl", """
                {"eventTime":1000,"deviceId":"d1"}
                {"eventTime":2000,"deviceId":"d2"}
                {"eventTime":3000,"deviceId":"d3"}
                """);
        // Only the first record is acknowledged; the rest wait, and flush waits with them.
        ScriptedProducer down = new ScriptedProducer(2, null);
        Replayer replayer = new Replayer(down, "logins", "telemetry", ReplaySpeed.MAX, false);

        CompletableFuture<Replayer.Totals> replay = CompletableFuture.supplyAsync(() -> {
            try {
                return replayer.replayFiles(logins, null, null);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(down::flushing);
        replayer.stop();
        replayer.abandon();
        Replayer.Totals totals = replay.get(10, TimeUnit.SECONDS);

        assertThat(totals.stopped()).isTrue();
        assertThat(totals.failure()).as("giving up on Ctrl-C is not Kafka's failure").isNull();
        assertThat(totals.published()).isEqualTo(1);
        assertThat(totals.notPublished()).isEqualTo(2);
        assertThat(totals.resume()).containsExactly(new Replayer.Resume(InputKind.LOGIN, 2, 2000));
    }

    @Test
    void aScenarioStoppedByAFailureSaysFromWhichEventTimeItWasNotPublished() {
        Scenario scenario = Scenario.updateWave(1_000, 3).withDuration(Duration.ofMinutes(2));
        ScriptedProducer scripted = new ScriptedProducer(50, new TimeoutException("Expiring 1 record(s)"));

        Replayer.Totals totals = new Replayer(scripted, "logins", "telemetry", ReplaySpeed.MAX, false)
                .replayGenerated(new SimulatedInput(scenario), null);

        long failedAt = ReplayRecord.of(scripted.history().get(49).value()).eventMillis();
        assertThat(totals.published()).isEqualTo(49);
        assertThat(totals.notPublished()).isEqualTo(1);
        assertThat(totals.resume()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.line()).isZero();
            assertThat(r.eventMillis()).isGreaterThanOrEqualTo(failedAt - 1_000);
        });
        assertThat(totals.resume()).extracting(Replayer.Resume::eventMillis).contains(failedAt);
    }

    @Test
    void theProducerRidesOutAnOutageUpToItsTimeoutWhateverTheSharedClientPropertiesSay() {
        StampedeConfig config = ConfigLoader.load(null, List.of("kafka.properties.delivery.timeout.ms=30000",
                "kafka.properties.max.block.ms=5000", "kafka.properties.enable.idempotence=false"));

        Properties p = Replayer.producerProperties(config.kafka(), Duration.ofMinutes(10));

        assertThat(p).containsEntry("delivery.timeout.ms", "600000").containsEntry("max.block.ms", "600000")
                .containsEntry("retries", Integer.toString(Integer.MAX_VALUE)).containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true").containsEntry("request.timeout.ms", "30000");
    }

    /**
     * A producer that acknowledges each record at once up to the {@code failAt}-th (1 = the first),
     * then fails that one with {@code error}, or, without an error, leaves it and every later one
     * waiting: {@code flush} then blocks until {@link #close(Duration)} gives them up.
     */
    private static final class ScriptedProducer extends MockProducer<byte[], byte[]> {
        private final int failAt;
        private final RuntimeException error;
        private final CountDownLatch closing = new CountDownLatch(1);
        private volatile boolean flushing;
        private int sent;

        ScriptedProducer(int failAt, RuntimeException error) {
            super(false, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.failAt = failAt;
            this.error = error;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            Future<RecordMetadata> f = super.send(record, callback);
            sent++;
            if (sent < failAt) {
                completeNext();
            } else if (sent == failAt && error != null) {
                errorNext(error);
            }
            return f;
        }

        @Override
        public void flush() {
            if (error == null) {
                flushing = true;
                try {
                    closing.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        boolean flushing() {
            return flushing;
        }

        @Override
        public void close(Duration timeout) {
            synchronized (this) {
                while (errorNext(new KafkaException("Producer is closed forcefully."))) {
                    // every waiting record is given up
                }
            }
            super.close(timeout);
            closing.countDown();
        }
    }
}
