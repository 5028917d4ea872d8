package io.stampede.io.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.sim.Scenario;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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

        Replayer.Totals totals = replayer(false).replayScenario(scenario, null);

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
    void aBrokerThatDoesNotAnswerStopsTheReplayWithTheReason() throws Exception {
        Path logins = write("logins.jsonl", "{\"eventTime\":1,\"deviceId\":\"d\"}\n".repeat(3));
        producer.sendException = new TimeoutException("Topic logins not present in metadata after 30000 ms.");

        assertThatThrownBy(() -> replayer(false).replayFiles(logins, null, null))
                .isInstanceOf(KafkaTopics.Unavailable.class)
                .hasMessageContaining("Kafka did not take the records in time")
                .hasMessageContaining("not present in metadata after 30000 ms");
    }

    @Test
    void aFailedFlushAtTheEndIsAFailureToo() throws Exception {
        Path logins = write("logins.jsonl", "{\"eventTime\":1,\"deviceId\":\"d\"}\n");
        producer.flushException = new TimeoutException("Expiring 1 record(s) for logins-0");

        assertThatThrownBy(() -> replayer(false).replayFiles(logins, null, null))
                .isInstanceOf(KafkaTopics.Unavailable.class)
                .hasMessageContaining("Expiring 1 record(s)");
    }
}
