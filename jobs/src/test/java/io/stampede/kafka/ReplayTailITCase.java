package io.stampede.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stampede.alert.Alert;
import io.stampede.alert.AlertStatus;
import io.stampede.alert.AlertType;
import io.stampede.alert.Severity;
import io.stampede.cli.CliRun;
import io.stampede.cli.StampedeCli;
import io.stampede.io.Json;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code stampede replay} and {@code stampede tail} against a real broker: recorded files into
 * the input topics keyed by device, and only committed alerts out of the alerts topic.
 */
class ReplayTailITCase extends WithKafkaBroker {

    @TempDir
    Path dir;

    private static String[] kafka(String... more) {
        List<String> args = new ArrayList<>(List.of(more));
        args.addAll(List.of("--set", "kafka.bootstrapServers=" + broker.bootstrapServers()));
        return args.toArray(String[]::new);
    }

    @Test
    void recordedFilesArePublishedAsTheyAreKeyedByDeviceOneDevicePerPartition() throws Exception {
        broker.createTopics(Map.of("rp-logins", 3, "rp-telemetry", 3), Map.of());
        // 2026-11-24T08:00:00Z = 1795507200000. Times alternate between epoch millis and RFC 3339.
        List<String> logins = new ArrayList<>();
        List<String> telemetry = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long t = 1_795_507_200_000L + i * 1_000L;
            String time = i % 2 == 0 ? Long.toString(t) : "\"" + java.time.Instant.ofEpochMilli(t) + "\"";
            logins.add("{\"eventId\":\"l" + i + "\",\"eventTime\":" + time + ",\"deviceId\":\"dev-" + i % 7
                    + "\",\"accountId\":\"a\",\"region\":\"eu-west\",\"trigger\":\"AUTO\",\"attempt\":1,"
                    + "\"outcome\":\"SUCCESS\"}");
            if (i % 4 == 0) {
                telemetry.add("{\"eventId\":\"t" + i + "\",\"eventTime\":" + time + ",\"type\":\"BOOT\",\"deviceId\":"
                        + "\"dev-" + i % 7 + "\",\"region\":\"eu-west\",\"rebootReason\":\"UPDATE\"}");
            }
        }
        telemetry.add("{\"eventId\":\"h1\",\"eventTime\":1795507210999,\"type\":\"NODE_HEALTH\",\"authCluster\":"
                + "\"eu-west-auth\",\"authNode\":\"eu-west-auth-2\",\"region\":\"eu-west\"}");
        logins.add(20, "{\"eventId\":\"bad\",\"eventTime\":");
        Path loginFile = dir.resolve("logins.jsonl");
        Files.write(loginFile, logins);
        Path telemetryFile = dir.resolve("telemetry.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(telemetryFile))) {
            out.write(String.join("\n", telemetry).getBytes(StandardCharsets.UTF_8));
        }

        CliRun replay = CliRun.of(kafka("replay", "--logins", loginFile.toString(), "--telemetry", telemetryFile.toString(),
                "--speed", "max", "--set", "kafka.topics.logins=rp-logins",
                "--set", "kafka.topics.telemetry=rp-telemetry"));

        assertThat(replay.code()).isZero();
        assertThat(replay.out()).contains("Published 52 records (41 logins, 11 telemetry) to " + broker.bootstrapServers())
                .contains("1 without a readable event time; 1 without a device id (no key)");
        assertPublished(broker.readCommitted("rp-logins"), logins);
        assertPublished(broker.readCommitted("rp-telemetry"), telemetry);
    }

    @Test
    void aTruncatedGzipFileIsPublishedUpToWhereItBreaksWithAWarningNamingFileAndLine() throws Exception {
        broker.createTopics(Map.of("rg-logins", 1), Map.of());
        List<String> logins = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            logins.add("{\"eventId\":\"g" + i + "\",\"eventTime\":" + (1_764_000_000_000L + i * 10L)
                    + ",\"deviceId\":\"dev-" + i % 7 + "\",\"pad\":\"" + Integer.toHexString(i * 7919) + "\"}");
        }
        java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(whole)) {
            out.write(String.join("\n", logins).concat("\n").getBytes(StandardCharsets.UTF_8));
        }
        Path file = Files.write(dir.resolve("cut.jsonl.gz"), java.util.Arrays.copyOf(whole.toByteArray(),
                whole.size() / 2));

        CliRun replay = CliRun.of(kafka("replay", "--logins", file.toString(), "--speed", "max",
                "--set", "kafka.topics.logins=rg-logins"));

        List<String> published = broker.readCommitted("rg-logins").stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        assertThat(published).isNotEmpty().hasSizeLessThan(logins.size())
                .as("the lines before the cut, each once, in order").isEqualTo(logins.subList(0, published.size()));
        assertThat(replay.err()).contains("stampede replay: warning: cannot read " + file + " from line "
                + (published.size() + 1) + " on: Unexpected end of ZLIB input stream (EOFException); the file is "
                + "truncated or corrupt, its lines before were published");
        assertThat(replay.code()).isZero();
    }

    @Test
    void aRecordingOlderThanTheTopicsRetentionIsStampedWithItsPublishTimeSoTheBrokerKeepsIt() throws Exception {
        Duration retention = Duration.ofHours(1);
        broker.createTopics(Map.of("rr-logins", 2), Map.of("rr-logins", Map.of("retention.ms",
                Long.toString(retention.toMillis()))));
        long monthAgo = System.currentTimeMillis() - Duration.ofDays(30).toMillis();
        List<String> logins = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            logins.add("{\"eventId\":\"old" + i + "\",\"eventTime\":" + (monthAgo + i * 1_000L) + ",\"deviceId\":\"dev-"
                    + i % 3 + "\"}");
        }
        Path file = Files.write(dir.resolve("old-logins.jsonl"), logins);
        long before = System.currentTimeMillis();

        CliRun replay = CliRun.of(kafka("replay", "--logins", file.toString(), "--set", "kafka.topics.logins=rr-logins"));

        assertThat(replay.code()).isZero();
        List<ConsumerRecord<byte[], byte[]>> records = broker.readCommitted("rr-logins");
        assertThat(records).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .as("the event times of a month ago stay in the payload").containsExactlyInAnyOrderElementsOf(logins);
        // Time-based retention deletes by record timestamp: these are younger than the retention.
        assertThat(records).allSatisfy(r -> {
            assertThat(r.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
            assertThat(r.timestamp()).isBetween(before, System.currentTimeMillis());
        });
        assertThat(before - monthAgo).as("the recording is older than the retention").isGreaterThan(retention.toMillis());
    }

    /** Every line once, byte for byte; keyed by device (node for health); a device's lines in one partition, in order. */
    private static void assertPublished(List<ConsumerRecord<byte[], byte[]>> records, List<String> lines) {
        assertThat(records).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrderElementsOf(lines);
        Map<String, List<String>> byKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            if (value.startsWith("{\"eventId\":\"bad\"")) {
                assertThat(r.key()).as("a record without a device has no key").isNull();
                continue;
            }
            String key = new String(r.key(), StandardCharsets.UTF_8);
            assertThat(value).contains(value.contains("NODE_HEALTH") ? "\"authNode\":\"" + key + "\""
                    : "\"deviceId\":\"" + key + "\"");
            // Kafka's default partitioner for keyed records: murmur2 of the key.
            assertThat(r.partition()).as(key).isEqualTo(Utils.toPositive(Utils.murmur2(r.key())) % 3);
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        byKey.forEach((key, values) -> assertThat(values).as("order of %s", key)
                .isEqualTo(lines.stream().filter(values::contains).toList()));
        assertThat(records.stream().map(ConsumerRecord::partition).distinct().count())
                .as("the devices spread over the partitions").isGreaterThan(1);
    }

    @Test
    void aMissingTopicIsAClearErrorAndIsNotCreated() throws Exception {
        Path file = Files.writeString(dir.resolve("l.jsonl"), "{\"eventTime\":1,\"deviceId\":\"d\"}\n");
        CliRun r = CliRun.of(kafka("replay", "--logins", file.toString(), "--broker-timeout", "5s",
                "--set", "kafka.topics.logins=no-such-topic"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("stampede replay: topic 'no-such-topic' does not exist at "
                + broker.bootstrapServers() + "; create it");
        assertThat(r.out()).doesNotContain("Published");
        CliRun tail = CliRun.of(kafka("tail", "--to-end", "--set", "kafka.topics.alerts=no-such-topic"));
        assertThat(tail.code()).isEqualTo(1);
        assertThat(tail.err()).contains("stampede tail: topic 'no-such-topic' does not exist");
    }

    @Test
    void tailShowsCommittedAlertsOnlyNeverAbortedOnes() throws Exception {
        String topic = "rt-alerts";
        broker.createTopics(Map.of(topic, 2), Map.of());
        Alert committed = alert("eu-west", 1, AlertStatus.FIRING, "eu-west: reboot wave, committed");
        Alert aborted = alert("us-east", 1, AlertStatus.FIRING, "us-east: reboot wave, aborted");
        Alert resolved = alert("eu-west", 2, AlertStatus.RESOLVED, "eu-west: reboot wave over");
        try (KafkaProducer<byte[], byte[]> producer = transactional("tail-test")) {
            producer.initTransactions();
            inTransaction(producer, topic, committed, true);
            inTransaction(producer, topic, aborted, false);
            inTransaction(producer, topic, resolved, true);
        }

        CliRun json = CliRun.of(kafka("tail", "--from-beginning", "--json", "--to-end", "--set", "kafka.topics.alerts=" + topic));
        assertThat(json.code()).isZero();
        assertThat(json.lines()).containsExactlyInAnyOrder(Json.write(committed), Json.write(resolved));

        CliRun lines = CliRun.of(kafka("tail", "--from-beginning", "--max", "2", "--timeout", "60s",
                "--set", "kafka.topics.alerts=" + topic));
        assertThat(lines.code()).isZero();
        assertThat(lines.lines()).containsExactlyInAnyOrder(
                "  08:01:10Z WARNING  REBOOT_WAVE   FIRING   eu-west: reboot wave, committed",
                "  08:01:10Z WARNING  REBOOT_WAVE   RESOLVED eu-west: reboot wave over");
    }

    @Test
    void tailWithoutFromBeginningShowsOnlyWhatIsCommittedAfterItStarted() throws Exception {
        String topic = "rt-new-alerts";
        broker.createTopics(Map.of(topic, 1), Map.of());
        Alert old = alert("eu-west", 1, AlertStatus.FIRING, "eu-west: old");
        Alert fresh = alert("ap-south", 1, AlertStatus.FIRING, "ap-south: new");
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        try (KafkaProducer<byte[], byte[]> producer = transactional("tail-new")) {
            producer.initTransactions();
            inTransaction(producer, topic, old, true);
            CompletableFuture<Integer> tail = CompletableFuture.supplyAsync(() -> {
                CommandLine cli = StampedeCli.commandLine();
                cli.setOut(new PrintWriter(out, true));
                cli.setErr(new PrintWriter(err, true));
                return cli.execute(kafka("tail", "--json", "--max", "1", "--timeout", "60s",
                        "--set", "kafka.topics.alerts=" + topic));
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> err.toString().contains("reading " + topic));
            inTransaction(producer, topic, fresh, true);
            assertThat(tail.get()).isZero();
        }
        assertThat(out.toString().trim()).isEqualTo(Json.write(fresh));
    }

    @Test
    void tailReachingTheEndBeforeMaxRecordsExitsNonZero() throws Exception {
        broker.createTopics(Map.of("rt-empty", 1), Map.of());
        CliRun r = CliRun.of(kafka("tail", "--from-beginning", "--max", "1", "--to-end", "--set", "kafka.topics.alerts=rt-empty"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("0 of 1 records came before the end");
    }

    private static Alert alert(String region, int sequence, AlertStatus status, String summary) {
        String key = "stampede/" + region + "/REBOOT_WAVE/20261124T080050Z";
        return new Alert("id-" + key + "-" + sequence, key, "inc-" + region + "-1", sequence, AlertType.REBOOT_WAVE,
                status, Severity.WARNING, region, "2026-11-24T08:00:50Z", "2026-11-24T08:01:10Z",
                status == AlertStatus.RESOLVED ? "2026-11-24T08:01:00Z" : null, summary, null, List.of(), null,
                List.of(), "RUNBOOK.md#reboot-wave", false, null);
    }

    private static KafkaProducer<byte[], byte[]> transactional(String id) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", broker.bootstrapServers());
        p.setProperty("transactional.id", id);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void inTransaction(KafkaProducer<byte[], byte[]> producer, String topic, Alert alert, boolean commit)
            throws Exception {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, alert.dedupKey().getBytes(StandardCharsets.UTF_8), Json.bytes(alert)))
                .get();
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }
}
