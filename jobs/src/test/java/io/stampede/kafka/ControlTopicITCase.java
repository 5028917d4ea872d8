package io.stampede.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stampede.Fixtures;
import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import io.stampede.cli.SimulatedRun;
import io.stampede.cli.StampedeCli;
import io.stampede.config.StampedeConfig;
import io.stampede.detect.Segments;
import io.stampede.event.DeadLetter;
import io.stampede.event.InputKind;
import io.stampede.event.Timestamps;
import io.stampede.io.Json;
import io.stampede.io.OutputFiles;
import io.stampede.io.RunOutputs;
import io.stampede.io.kafka.ProductionJob;
import io.stampede.io.kafka.ReplayRecord;
import io.stampede.sim.FleetSimulator;
import io.stampede.sim.Scenario;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The control topic against a real broker: controls written with {@code stampede control} reach the
 * live job without a restart, survive a stop and restore, and a backtest given the same controls
 * ({@code stampede control list --json}) makes the live run's decisions.
 */
class ControlTopicITCase extends WithKafkaBroker {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String UPDATE = "KB-2026-11-A";

    /** The idleness of the test that silences its input: short, so that the silence outlasts it. */
    private static final Duration QUIET_IDLENESS = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    /** The live job's settings for topics of {@code prefix}'s own, a compacted control topic among them. */
    private static List<String> settings(String prefix) throws Exception {
        String control = prefix + "-control";
        broker.createTopics(Map.of(prefix + "-logins", 3, prefix + "-telemetry", 3, prefix + "-alerts", 1,
                prefix + "-directives", 1, prefix + "-signals", 1, prefix + "-dead", 1, control, 1),
                Map.of(prefix + "-directives", Map.of("cleanup.policy", "compact"),
                        control, Map.of("cleanup.policy", "compact")));
        List<String> s = jobSettings(prefix);
        s.add("kafka.topics.control=" + control);
        s.add("input.idleness=10m"); // a partition read late on a loaded machine must not turn its events late
        return s;
    }

    /** {@code stampede control ...} against the broker; returns what it printed, failing on a non-zero exit. */
    private static String control(List<String> settings, String... args) {
        List<String> all = new ArrayList<>(List.of("control"));
        all.addAll(List.of(args));
        for (String s : settings) {
            if (s.startsWith("kafka.")) {
                all.add("--set");
                all.add(s);
            }
        }
        CommandLine cli = StampedeCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(all.toArray(String[]::new));
        assertThat(code).as("stampede %s: %s%s", all, out, err).isZero();
        return out.toString();
    }

    /**
     * Produces the scenario's events of the seconds chosen, keyed by device, and appends them to the
     * event files a backtest reads.
     */
    private static void produce(Scenario scenario, StampedeConfig config, Predicate<Long> whichSeconds, Path logins,
            Path telemetry) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = broker.producer();
                BufferedWriter l = Files.newBufferedWriter(logins, StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                BufferedWriter t = Files.newBufferedWriter(telemetry, StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
            FleetSimulator sim = new FleetSimulator(scenario, null, 0);
            java.io.IOException[] failed = new java.io.IOException[1];
            while (sim.hasNext()) {
                boolean send = whichSeconds.test(sim.nextSecondMillis());
                sim.step((kind, json) -> {
                    if (!send) {
                        return;
                    }
                    boolean login = kind == InputKind.LOGIN;
                    String topic = login ? config.kafka().topics().logins() : config.kafka().topics().telemetry();
                    sent.add(producer.send(new ProducerRecord<>(topic, ReplayRecord.of(json).key(), json)));
                    try {
                        (login ? l : t).write(new String(json, StandardCharsets.UTF_8));
                        (login ? l : t).newLine();
                    } catch (java.io.IOException e) {
                        failed[0] = e;
                    }
                });
            }
            producer.flush();
            if (failed[0] != null) {
                throw failed[0];
            }
        }
        for (Future<RecordMetadata> f : sent) {
            f.get();
        }
    }

    private static List<Alert> alerts(StampedeConfig config) throws Exception {
        List<Alert> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.readCommitted(config.kafka().topics().alerts())) {
            out.add(Json.MAPPER.readValue(r.value(), Alert.class));
        }
        return out;
    }

    private static List<ThrottleDirective> directives(StampedeConfig config, String region) throws Exception {
        List<ThrottleDirective> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.readCommitted(config.kafka().topics().directives())) {
            ThrottleDirective d = Json.MAPPER.readValue(r.value(), ThrottleDirective.class);
            if (d.region().equals(region)) {
                out.add(d);
            }
        }
        return out;
    }

    private static List<String> lines(StampedeConfig config, String topic) {
        return broker.readCommitted(topic).stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    private static List<String> states(List<Alert> alerts, AlertType type) {
        return alerts.stream().filter(a -> a.type() == type)
                .map(a -> a.dedupKey() + " " + a.sequence() + " " + a.status()).toList();
    }

    @Test
    void controlsWrittenWithTheCliAreAppliedByTheLiveJobAndABacktestWithTheirListMakesTheSameDecisions()
            throws Exception {
        Scenario sc = Scenario.updateWave(30_000, 21);
        List<String> settings = settings("ctl");
        StampedeConfig config = Fixtures.config(settings.toArray(String[]::new));
        String from = sc.start().toString();
        String until = sc.start().plus(sc.duration()).toString();
        control(settings, "maintenance", "--id", "mnt-eu-west", "--region", "eu-west", "--from", from, "--until", until,
                "--update-id", UPDATE, "--reason", "patch rollout CHG-7", "--by", "alice");
        control(settings, "throttle", "--id", "thr-us-east", "--region", "us-east", "--mode", "OFF", "--from", from,
                "--reason", "admission layer misbehaving", "--by", "bob");
        // A record written past the CLI that the job refuses: a dead letter, and nothing of it applied.
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            producer.send(new ProducerRecord<>(config.kafka().topics().control(), Fixtures.utf8("bad"),
                    Fixtures.utf8("{\"controlId\":\"bad\",\"kind\":\"THROTTLE\",\"region\":\"eu-west\"}"))).get();
        }
        // The scenario's window is in the past of the wall clock: ended, listed with --all.
        assertThat(control(settings, "list")).contains("in force   thr-us-east", "refused    bad: ",
                "(1 ended: --all lists them)").doesNotContain("mnt-eu-west");
        assertThat(control(settings, "list", "--all")).contains("ended      mnt-eu-west: maintenance of " + UPDATE);

        Path logins = dir.resolve("logins.jsonl");
        Path telemetry = dir.resolve("telemetry.jsonl");
        produce(sc, config, t -> true, logins, telemetry);
        ProductionJob.build(config, true).execute(ProductionJob.JOB_NAME);

        List<Alert> live = alerts(config);
        assertThat(live).filteredOn(a -> a.region().equals("eu-west") && a.type() == AlertType.REBOOT_WAVE)
                .isNotEmpty().allMatch(Alert::expected).allMatch(a -> "mnt-eu-west".equals(a.controlId()));
        assertThat(live).filteredOn(a -> a.region().equals("us-east") && a.type() == AlertType.REBOOT_WAVE)
                .isNotEmpty().noneMatch(Alert::expected);
        assertThat(live).filteredOn(a -> a.type() == AlertType.CAPACITY_RISK).noneMatch(Alert::expected);
        assertThat(directives(config, "us-east")).as("throttling is off in us-east")
                .noneMatch(d -> d.state() == ThrottleDirective.State.THROTTLE);
        assertThat(directives(config, "eu-west")).anyMatch(d -> d.state() == ThrottleDirective.State.THROTTLE);
        List<DeadLetter> refused = new ArrayList<>();
        for (String json : lines(config, config.kafka().topics().deadLetters())) {
            DeadLetter d = Json.MAPPER.readValue(json, DeadLetter.class);
            if (d.input().equals("controls")) {
                refused.add(d);
            }
        }
        assertThat(refused).singleElement().satisfies(d -> {
            assertThat(d.reason()).contains("effectiveFrom");
            assertThat(d.offset()).isNotNull();
        });

        // The backtest of the same events with the controls as listed makes the same decisions.
        Path controls = dir.resolve("controls.jsonl");
        Files.writeString(controls, control(settings, "list", "--json"));
        assertThat(Files.readAllLines(controls)).hasSize(2);
        Path out = dir.resolve("backtest");
        assertThat(StampedeCli.execute("backtest", "--logins", logins.toString(), "--telemetry", telemetry.toString(),
                "--control", controls.toString(), "--out", out.toString())).isZero();
        RunOutputs backtest = RunOutputs.read(out);
        Fixtures.assertSameLines(lines(config, config.kafka().topics().alerts()),
                Files.readAllLines(out.resolve(OutputFiles.ALERTS)));
        // Directives of different regions come from different subtasks; each region's are in order.
        Fixtures.assertSameLines(lines(config, config.kafka().topics().directives()).stream().sorted().toList(),
                Files.readAllLines(out.resolve(OutputFiles.DIRECTIVES)).stream().sorted().toList());
        assertThat(backtest.alerts()).isNotEmpty();
    }

    /**
     * The unbounded job with an empty control topic detects as before (the control topic holds no
     * event time back); a switch written while it runs applies to what it judges next, and the
     * job restored from its savepoint still has it.
     */
    @Test
    void aSwitchWrittenWhileTheJobRunsAppliesAtOnceAndSurvivesAStopAndRestore() throws Exception {
        Scenario sc = Scenario.updateWave(30_000, 22);
        Path reference = dir.resolve("reference");
        SimulatedRun.run(Fixtures.config(), sc, false, reference, null, null);
        ThrottleDirective first = RunOutputs.read(reference).directives().stream()
                .filter(d -> d.region().equals("eu-west") && d.state() == ThrottleDirective.State.THROTTLE)
                .findFirst().orElseThrow();
        long firstAt = Timestamps.parse(first.issuedAt());
        long cut1 = firstAt + Duration.ofMinutes(1).toMillis();
        long cut2 = cut1 + Duration.ofMinutes(4).toMillis();

        List<String> settings = settings("switch");
        StampedeConfig config = Fixtures.config(settings.toArray(String[]::new));
        Path logins = dir.resolve("logins.jsonl");
        Path telemetry = dir.resolve("telemetry.jsonl");
        produce(sc, config, t -> t < cut1, logins, telemetry);
        JobClient job = ProductionJob.build(config, false).executeAsync(ProductionJob.JOB_NAME);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> directives(config, "eu-west").stream()
                        .anyMatch(d -> d.state() == ThrottleDirective.State.THROTTLE));

        String written = control(settings, "throttle", "--id", "thr-eu-west", "--region", "eu-west", "--mode", "OFF",
                "--from", sc.start().toString(), "--reason", "admission layer misbehaving", "--by", "carol");
        assertThat(written).contains("control thr-eu-west written to switch-control");
        produce(sc, config, t -> t >= cut1 && t < cut2, logins, telemetry);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> directives(config, "eu-west").stream()
                        .anyMatch(d -> d.state() == ThrottleDirective.State.LIFTED
                                && "thr-eu-west".equals(d.controlId())));
        String savepoint = job.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();

        produce(sc, config, t -> t >= cut2, logins, telemetry);
        Configuration restore = new Configuration();
        restore.setString("execution.state-recovery.path", savepoint);
        JobClient restored = ProductionJob.build(config, false, restore).executeAsync(ProductionJob.JOB_NAME);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> broker.consumedToEnd(
                config.kafka().groupId(), List.of(config.kafka().topics().logins(), config.kafka().topics().telemetry())));
        restored.stopWithSavepoint(true, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                .get();

        List<ThrottleDirective> eu = directives(config, "eu-west");
        ThrottleDirective lifted = eu.stream().filter(d -> "thr-eu-west".equals(d.controlId())).findFirst()
                .orElseThrow();
        assertThat(lifted.state()).isEqualTo(ThrottleDirective.State.LIFTED);
        assertThat(eu.subList(eu.indexOf(lifted), eu.size())).as("nothing but the lift once throttling is off, "
                + "after the restore too").allMatch(d -> d.state() == ThrottleDirective.State.LIFTED);
        assertThat(Timestamps.parse(lifted.issuedAt())).as("applied to the first buckets judged after it arrived")
                .isBetween(firstAt, cut2);
        // Detection went on through the restore as without the switch: the wave's alerts, every state once.
        assertThat(states(alerts(config), AlertType.REBOOT_WAVE))
                .isEqualTo(states(RunOutputs.read(reference).alerts(), AlertType.REBOOT_WAVE))
                .anyMatch(s -> s.endsWith("RESOLVED"));
    }

    /**
     * The input falls silent in the middle of the scenario (a collector outage), for longer than
     * {@code input.idleness}, and then resumes. While it is silent the live job judges no bucket its
     * events have not reached (the empty control topic carries no event time on: it used to, and
     * every region paged AUTH_DEGRADED for auth nodes that had merely not been heard from yet);
     * once the events come back, detection goes on live, and the regions' waves are the backtest's.
     */
    @Test
    void anInputSilentLongerThanItsIdlenessHoldsJudgementUntilItsEventsResume() throws Exception {
        Scenario sc = Scenario.updateWave(30_000, 23);
        long cut = sc.start().plus(Duration.ofMinutes(75)).toEpochMilli();
        List<String> settings = new ArrayList<>(settings("quiet"));
        settings.replaceAll(s -> s.startsWith("input.idleness=") ? "input.idleness=" + QUIET_IDLENESS.toSeconds() + "s"
                : s);
        StampedeConfig config = Fixtures.config(settings.toArray(String[]::new));
        Path logins = dir.resolve("logins.jsonl");
        Path telemetry = dir.resolve("telemetry.jsonl");
        List<String> inputs = List.of(config.kafka().topics().logins(), config.kafka().topics().telemetry());

        produce(sc, config, t -> t < cut, logins, telemetry);
        JobClient job = ProductionJob.build(config, false).executeAsync(ProductionJob.JOB_NAME);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> broker.consumedToEnd(config.kafka().groupId(), inputs));
        // Silent for several idleness periods, with a checkpoint (every second) committing whatever
        // is judged meanwhile: no alert past the last event may appear at any point of it.
        await().during(QUIET_IDLENESS.multipliedBy(4)).atMost(QUIET_IDLENESS.multipliedBy(4).plusMinutes(1))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(alerts(config))
                        .as("alerts detected past the last event while the input is silent")
                        .filteredOn(a -> Timestamps.parse(a.detectedAt()) > cut).extracting(Alert::dedupKey).isEmpty());

        produce(sc, config, t -> t >= cut, logins, telemetry);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> alerts(config).stream().anyMatch(a -> a.type() == AlertType.REBOOT_WAVE));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> broker.consumedToEnd(config.kafka().groupId(), inputs));
        job.stopWithSavepoint(true, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL).get();

        // The regions' waves, not every line: the 75 minutes after the silence come in one burst,
        // read 3 s of idleness at a time, so a partition waiting behind another one's backlog can be
        // taken for idle and some of its events count late, a bucket later (what idleness means;
        // the other tests keep it at 10 minutes for that reason). The fleet segment is left out: it
        // sums every partition, so it takes those shifts from all of them at once, and once in eleven
        // loop runs the live run had a fleet wave that no region's wave explained within the grace.
        Path out = dir.resolve("backtest");
        assertThat(StampedeCli.execute("backtest", "--logins", logins.toString(), "--telemetry", telemetry.toString(),
                "--out", out.toString())).isZero();
        assertThat(resolvedWaves(alerts(config))).as("regions whose reboot wave was detected and resolved")
                .isEqualTo(resolvedWaves(RunOutputs.read(out).alerts())).isNotEmpty();
    }

    private static Set<String> resolvedWaves(List<Alert> alerts) {
        return alerts.stream().filter(a -> a.type() == AlertType.REBOOT_WAVE && !a.isFiring())
                .map(Alert::region).filter(region -> !Segments.FLEET.equals(region))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
