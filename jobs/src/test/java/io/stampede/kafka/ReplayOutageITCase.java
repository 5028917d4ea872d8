package io.stampede.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stampede.cli.StampedeCli;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code stampede replay} rides out a broker that goes away mid-replay: the broker is shut down
 * once the first records are in and started again on the same port once the replay has said it
 * stopped answering. Its own broker, since it stops it.
 */
class ReplayOutageITCase extends WithKafkaBroker {

    @TempDir
    Path dir;

    @Test
    void aBrokerOutageMidReplayIsRiddenOutEveryRecordOnceInOrderPerDevice() throws Exception {
        Assumptions.assumeTrue(broker.restartable(), "needs the in-JVM cluster, whose broker restarts on its port");
        broker.createTopics(Map.of("ro-logins", 3, "ro-telemetry", 3), Map.of());
        long start = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        List<String> logins = new ArrayList<>();
        List<String> telemetry = new ArrayList<>();
        // 30 s of event time, played at 2x: the outage falls in the middle of the replay.
        for (int i = 0; i < 600; i++) {
            long t = start + i * 50L;
            logins.add("{\"eventId\":\"l" + i + "\",\"eventTime\":" + t + ",\"deviceId\":\"dev-" + i % 11 + "\"}");
            if (i % 6 == 0) {
                telemetry.add("{\"eventId\":\"t" + i + "\",\"eventTime\":" + t + ",\"type\":\"BOOT\",\"deviceId\":"
                        + "\"dev-" + i % 11 + "\"}");
            }
        }
        Path loginFile = Files.write(dir.resolve("logins.jsonl"), logins);
        Path telemetryFile = Files.write(dir.resolve("telemetry.jsonl"), telemetry);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        CompletableFuture<Integer> replay = CompletableFuture.supplyAsync(() -> {
            CommandLine cli = StampedeCli.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            return cli.execute("replay", "--logins", loginFile.toString(), "--telemetry", telemetryFile.toString(),
                    "--speed", "2x", "--outage-timeout", "2m", "--set", "kafka.bootstrapServers=" + broker.bootstrapServers(),
                    "--set", "kafka.topics.logins=ro-logins", "--set", "kafka.topics.telemetry=ro-telemetry");
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> written("ro-logins") >= 50);
        broker.stopBroker();
        await().atMost(Duration.ofSeconds(60)).until(() -> err.toString().contains("has not answered for"));
        assertThat(replay).as("still riding it out").isNotDone();
        broker.startBroker();
        int code = replay.get(3, TimeUnit.MINUTES);

        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("stampede replay: Kafka at " + broker.bootstrapServers()
                        + " has not answered for 5 s (").contains("retrying until it does, for up to 2m (--outage-timeout)")
                .contains("stampede replay: Kafka at " + broker.bootstrapServers() + " answers again after ");
        assertThat(err.toString().split("has not answered", -1)).as("said once").hasSize(2);
        assertThat(out.toString()).contains("Published 700 records (600 logins, 100 telemetry) to ")
                .doesNotContain("Not published");
        assertOncePerEventIdInOrderPerDevice(broker.readCommitted("ro-logins"), logins);
        assertOncePerEventIdInOrderPerDevice(broker.readCommitted("ro-telemetry"), telemetry);
    }

    private static void assertOncePerEventIdInOrderPerDevice(List<ConsumerRecord<byte[], byte[]>> records,
            List<String> lines) {
        List<String> values = records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        Map<String, Long> perEventId = values.stream().collect(Collectors.groupingBy(ReplayOutageITCase::eventId,
                Collectors.counting()));
        assertThat(perEventId).as("every eventId once").hasSize(lines.size()).allSatisfy((id, n) -> assertThat(n)
                .as(id).isOne());
        assertThat(values).containsExactlyInAnyOrderElementsOf(lines);
        Map<String, List<String>> byKey = new HashMap<>();
        records.forEach(r -> byKey.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                .add(new String(r.value(), StandardCharsets.UTF_8)));
        byKey.forEach((key, inKafka) -> assertThat(inKafka).as("order of %s", key)
                .isEqualTo(lines.stream().filter(l -> l.contains("\"deviceId\":\"" + key + "\"")).toList()));
    }

    private static String eventId(String json) {
        int from = json.indexOf("\"eventId\":\"") + 11;
        return json.substring(from, json.indexOf('"', from));
    }

    /** How many records the topic's partitions hold (0 while the broker does not answer). */
    private static long written(String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "default.api.timeout.ms", "5000", "request.timeout.ms", "5000"))) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        } catch (Exception notYet) {
            return 0;
        }
    }
}
