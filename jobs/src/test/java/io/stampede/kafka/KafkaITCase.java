package io.stampede.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stampede.Fixtures;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import io.stampede.cli.SimulatedRun;
import io.stampede.config.StampedeConfig;
import io.stampede.event.Contract;
import io.stampede.event.ContractValidator;
import io.stampede.event.DeadLetter;
import io.stampede.event.DeadLetterCategory;
import io.stampede.event.InputKind;
import io.stampede.io.Json;
import io.stampede.io.OutputFiles;
import io.stampede.io.kafka.ProductionJob;
import io.stampede.io.kafka.ReplayRecord;
import io.stampede.sim.FleetSimulator;
import io.stampede.sim.Scenario;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live job against a real Kafka broker: events produced into the input topics, outputs read
 * back with read_committed from the output topics, exactly once across a stop and restore.
 */
class KafkaITCase extends WithKafkaBroker {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    /** A configuration pointing at the broker, with topics of the test's own. */
    private static StampedeConfig config(String prefix, String... more) throws Exception {
        return config(prefix, Map.of(), more);
    }

    /** @param outputTopicSettings topic settings the four output topics get besides their own */
    private static StampedeConfig config(String prefix, Map<String, String> outputTopicSettings, String... more)
            throws Exception {
        Map<String, Map<String, String>> settings = new HashMap<>();
        for (String output : List.of("-alerts", "-signals", "-dead")) {
            settings.put(prefix + output, outputTopicSettings);
        }
        Map<String, String> directives = new HashMap<>(outputTopicSettings);
        directives.put("cleanup.policy", "compact");
        settings.put(prefix + "-directives", directives);
        broker.createTopics(Map.of(prefix + "-logins", 3, prefix + "-telemetry", 3, prefix + "-alerts", 1,
                        prefix + "-directives", 1, prefix + "-signals", 1, prefix + "-dead", 1), settings);
        List<String> overrides = jobSettings(prefix);
        overrides.add(
                // Idleness is measured in wall-clock time: on a loaded machine a partition read late could be
                // declared idle and its events turn late, and the comparison with the reference would then
                // measure the machine, not the job.
                "input.idleness=10m");
        overrides.addAll(List.of(more));
        return Fixtures.config(overrides.toArray(String[]::new));
    }

    /** Produces a scenario's events keyed by device, each acknowledged by the broker; returns how many. */
    private static int produce(Scenario scenario, StampedeConfig config, Predicate<Long> whichSeconds) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            FleetSimulator sim = new FleetSimulator(scenario, null, 0);
            while (sim.hasNext()) {
                boolean send = whichSeconds.test(sim.nextSecondMillis());
                sim.step((kind, json) -> {
                    if (send) {
                        String topic = kind == InputKind.LOGIN ? config.kafka().topics().logins()
                                : config.kafka().topics().telemetry();
                        sent.add(producer.send(new ProducerRecord<>(topic, ReplayRecord.of(json).key(), json)));
                    }
                });
            }
            producer.flush();
        }
        for (Future<RecordMetadata> f : sent) {
            f.get(); // a record the broker did not take fails the test here, not as a mismatch later
        }
        return sent.size();
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).collect(Collectors.toList());
    }

    /**
     * What to look at when the live alerts differ from the reference: the dead letters (a late
     * event would explain a difference; the reference has none).
     */
    private static String diagnosis(StampedeConfig config) {
        Map<String, Long> categories = new TreeMap<>();
        for (String json : values(broker.readCommitted(config.kafka().topics().deadLetters()))) {
            String category;
            try {
                category = Json.MAPPER.readValue(json, DeadLetter.class).category().name();
            } catch (java.io.IOException e) {
                category = "unreadable";
            }
            categories.merge(category, 1L, Long::sum);
        }
        return "; dead letters by category " + categories;
    }

    /** The alerts the same scenario gives when played straight through the pipeline (the reference). */
    private List<String> referenceAlerts(Scenario scenario) throws Exception {
        Path out = dir.resolve("reference");
        SimulatedRun.run(Fixtures.config(), scenario, false, out, null, null);
        return Files.readAllLines(out.resolve(OutputFiles.ALERTS));
    }

    /**
     * Also a replay of old events: the scenario is older than the output topics' retention (one day),
     * and their outputs must still be there after the broker has checked retention.
     */
    @Test
    void aWaveProducedIntoTheTopicsYieldsTheSameCommittedAlertsAsTheSimulatorRun() throws Exception {
        Scenario scenario = Scenario.updateWave(30_000, 21);
        Duration retention = Duration.ofDays(1);
        assertThat(scenario.end()).as("a scenario older than the retention")
                .isBefore(Instant.now().minus(retention.multipliedBy(2)));
        Map<String, String> oneDay = Map.of("retention.ms", Long.toString(retention.toMillis()));
        StampedeConfig config = config("wave", oneDay);
        int produced = produce(scenario, config, t -> true);

        JobExecutionResult result = ProductionJob.build(config, true).execute(ProductionJob.JOB_NAME);
        long accepted = result.<Long>getAccumulatorResult("accepted.login-events")
                + result.<Long>getAccumulatorResult("accepted.telemetry-events");
        assertThat(accepted).as("events the bounded job read and accepted").isEqualTo(produced);

        // A record stamped with the scenario's time in a topic of the same retention: once it is gone, the
        // broker has run a retention check after the job wrote its outputs.
        String canary = "wave-canary";
        broker.createTopics(Map.of(canary, 1), Map.of(canary, oneDay));
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            producer.send(new ProducerRecord<>(canary, 0, scenario.onset().toEpochMilli(), null,
                    Fixtures.utf8("old"))).get();
        }
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> broker.readCommitted(canary).isEmpty());

        List<String> alerts = values(broker.readCommitted(config.kafka().topics().alerts()));
        Fixtures.assertSameLines(alerts, referenceAlerts(scenario),
                () -> diagnosis(config) + "; job counters " + result.getAllAccumulatorResults());
        List<Alert> parsed = new ArrayList<>();
        for (String a : alerts) {
            parsed.add(Json.MAPPER.readValue(a, Alert.class));
        }
        assertThat(parsed).anyMatch(a -> a.type() == AlertType.REBOOT_WAVE && a.region().equals("eu-west")
                && a.attribution().get(0).value().equals("KB-2026-11-A"));
        ContractValidator v = ContractValidator.shared();
        alerts.forEach(a -> assertThat(v.validate(Contract.ALERT, a)).as(a).isEmpty());
        List<ConsumerRecord<byte[], byte[]>> directives = broker.readCommitted(config.kafka().topics().directives());
        assertThat(directives).isNotEmpty();
        for (ConsumerRecord<byte[], byte[]> d : directives) {
            String json = new String(d.value(), StandardCharsets.UTF_8);
            assertThat(v.validate(Contract.THROTTLE_DIRECTIVE, json)).as(json).isEmpty();
            assertThat(json).contains("\"region\":\"" + new String(d.key(), StandardCharsets.UTF_8) + "\"");
        }
        values(broker.readCommitted(config.kafka().topics().signals()))
                .forEach(s -> assertThat(v.validate(Contract.SCALING_SIGNAL, s)).as(s).isEmpty());
    }

    @Test
    void aJobStoppedAndRestoredFromItsSavepointMidStreamLosesAndDuplicatesNothing() throws Exception {
        Scenario scenario = Scenario.updateWave(30_000, 22);
        StampedeConfig config = config("restore");
        long cut = scenario.onset().toEpochMilli() + Duration.ofMinutes(4).toMillis();
        produce(scenario, config, t -> t < cut);

        JobClient job = ProductionJob.build(config, false).executeAsync(ProductionJob.JOB_NAME);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !broker.readCommitted(config.kafka().topics().alerts()).isEmpty());
        String savepoint = job.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();

        produce(scenario, config, t -> t >= cut);
        Configuration restore = new Configuration();
        restore.setString("execution.state-recovery.path", savepoint);
        JobClient restored = ProductionJob.build(config, false, restore).executeAsync(ProductionJob.JOB_NAME);
        // Once everything is read, drain: the watermark goes to the end as it does after a bounded input.
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> broker.consumedToEnd(
                config.kafka().groupId(), List.of(config.kafka().topics().logins(), config.kafka().topics().telemetry())));
        restored.stopWithSavepoint(true, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                .get();

        List<String> alerts = values(broker.readCommitted(config.kafka().topics().alerts()));
        // Every alert exactly once, as in an uninterrupted run.
        Fixtures.assertSameLines(alerts, referenceAlerts(scenario), () -> diagnosis(config));
        Map<String, List<Integer>> sequences = new HashMap<>();
        for (String a : alerts) {
            Alert alert = Json.MAPPER.readValue(a, Alert.class);
            sequences.computeIfAbsent(alert.dedupKey(), k -> new ArrayList<>()).add(alert.sequence());
        }
        sequences.forEach((key, seq) -> {
            for (int i = 0; i < seq.size(); i++) {
                assertThat(seq.get(i)).as("sequence %d of %s", i + 1, key).isEqualTo(i + 1);
            }
        });
    }

    /**
     * An output the broker refuses (here: an alerts topic that takes no record as large as an alert)
     * fails the job once its restarts are used up, with the broker's reason, and leaves the
     * TaskManager running: closing the Kafka writer of the failed task used to throw again, which
     * Flink treats as fatal for the whole TaskManager.
     */
    @Test
    void anOutputTheBrokerRefusesFailsTheJobButNotTheTaskManager() throws Exception {
        StampedeConfig config = config("refused", Map.of("max.message.bytes", "200"));
        produce(Scenario.updateWave(30_000, 23), config, t -> true);

        Configuration restarts = new Configuration();
        restarts.setString("restart-strategy.type", "fixed-delay");
        restarts.setString("restart-strategy.fixed-delay.attempts", "1");
        restarts.setString("restart-strategy.fixed-delay.delay", "100 ms");
        JobClient job = ProductionJob.build(config, true, restarts).executeAsync(ProductionJob.JOB_NAME);
        assertThatThrownBy(() -> job.getJobExecutionResult().get(3, TimeUnit.MINUTES))
                .satisfies(e -> assertThat(ExceptionUtils.findThrowable(e, RecordTooLargeException.class)).isPresent());

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromData(1, 2, 3).sinkTo(new DiscardingSink<>());
        assertThat(env.executeAsync("after the refusal").getJobExecutionResult().get(1, TimeUnit.MINUTES))
                .as("the cluster still runs jobs: its TaskManager is alive").isNotNull();
    }

    @Test
    void poisonRecordsReachTheDeadLetterTopicWithReasonsAndTheJobGoesOn() throws Exception {
        StampedeConfig config = config("poison", "input.maxRecordBytes=10000", "detection.warmup=2m");
        String logins = config.kafka().topics().logins();
        String telemetry = config.kafka().topics().telemetry();
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            int id = 0;
            for (int s = 0; s < 15 * 60; s++) {
                long t = Fixtures.T0 + s * 1000L;
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>(logins, ("d" + i).getBytes(StandardCharsets.UTF_8),
                            Fixtures.utf8(Fixtures.login("l" + id++, t + i, "d" + (s * 3 + i) % 500, "eu",
                                    "TOKEN_REFRESH", 1, "SUCCESS"))));
                }
                if (s >= 12 * 60 && s < 13 * 60) {
                    for (int i = 0; i < 10; i++) {
                        producer.send(new ProducerRecord<>(telemetry, null, Fixtures.utf8(Fixtures.boot("b" + id++,
                                t + i * 50, "w" + (s * 10 + i), "eu", "POWER", null))));
                    }
                } else if (s % 20 == 0) {
                    producer.send(new ProducerRecord<>(telemetry, null, Fixtures.utf8(Fixtures.boot("b" + id++, t,
                            "d" + s % 500, "eu", "USER", null))));
                }
                if (s == 300) {
                    producer.send(new ProducerRecord<>(logins, null, new byte[] {(byte) 0xC0, (byte) 0xFF, 0x00, 0x12}));
                    producer.send(new ProducerRecord<>(logins, null, Fixtures.utf8("{\"eventId\":\"huge\",\"pad\":\""
                            + "y".repeat(100_000) + "\"}")));
                    producer.send(new ProducerRecord<>(logins, null, Fixtures.utf8(Fixtures.login("typed", t, "d1", "eu",
                            "AUTO", 1, "SUCCESS").replace("\"attempt\":1", "\"attempt\":[1]"))));
                    producer.send(new ProducerRecord<>(telemetry, null, Fixtures.utf8("{\"type\":\"BOOT\"")));
                    producer.send(new ProducerRecord<>(telemetry, null, null));
                }
            }
        }

        ProductionJob.build(config, true).execute(ProductionJob.JOB_NAME);

        List<ConsumerRecord<byte[], byte[]>> dead = broker.readCommitted(config.kafka().topics().deadLetters());
        List<DeadLetter> letters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            String json = new String(r.value(), StandardCharsets.UTF_8);
            assertThat(ContractValidator.shared().validate(Contract.DEAD_LETTER, json)).as(json).isEmpty();
            letters.add(Json.MAPPER.readValue(json, DeadLetter.class));
        }
        assertThat(letters).extracting(DeadLetter::category).containsExactlyInAnyOrder(DeadLetterCategory.NOT_TEXT,
                DeadLetterCategory.TOO_LARGE, DeadLetterCategory.CONTRACT, DeadLetterCategory.MALFORMED_JSON,
                DeadLetterCategory.EMPTY);
        assertThat(letters).allMatch(d -> d.partition() != null && d.offset() != null && !d.reason().isBlank());
        assertThat(letters).filteredOn(d -> d.category() == DeadLetterCategory.CONTRACT).singleElement()
                .satisfies(d -> assertThat(d.reason()).isEqualTo("attempt: expected integer, got an array"));
        assertThat(letters).filteredOn(d -> d.category() == DeadLetterCategory.NOT_TEXT).singleElement()
                .satisfies(d -> assertThat(d.originalBase64()).isEqualTo("wP8AEg=="));
        assertThat(letters).filteredOn(d -> d.category() == DeadLetterCategory.TOO_LARGE).singleElement()
                .satisfies(d -> assertThat(d.originalSize()).isGreaterThan(100_000));
        List<Alert> alerts = new ArrayList<>();
        for (String a : values(broker.readCommitted(config.kafka().topics().alerts()))) {
            alerts.add(Json.MAPPER.readValue(a, Alert.class));
        }
        assertThat(alerts).as("the wave after the poison is still detected").anyMatch(a ->
                a.type() == AlertType.REBOOT_WAVE && a.region().equals("eu"));
    }
}
