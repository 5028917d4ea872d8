package io.stampede.cli;

import io.stampede.config.ConfigException;
import io.stampede.config.Durations;
import io.stampede.config.StampedeConfig;
import io.stampede.event.Timestamps;
import io.stampede.io.kafka.KafkaIo;
import io.stampede.io.kafka.KafkaTopics;
import io.stampede.io.kafka.ReplayRecord;
import io.stampede.io.kafka.ReplaySpeed;
import io.stampede.io.kafka.Replayer;
import io.stampede.sim.Scenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stampede replay}: recorded or simulated events into the input topics. */
@Command(name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Publishes events into the input topics: recorded JSONL files or a simulated scenario.",
            "",
            "Files (--logins and/or --telemetry, gzip when the name ends in .gz) are merged into one timeline by "
                    + "event time (RFC 3339 strings and epoch milliseconds alike) and published line by line, byte for "
                    + "byte, bad lines too: the job dead-letters them. A scenario (--scenario) is played by the "
                    + "built-in simulator, as 'stampede simulate' would write it. Each record is keyed by its "
                    + "deviceId (the authNode for NODE_HEALTH telemetry; no key when there is none), so one device's "
                    + "events stay in order in one partition.",
            "",
            "The pace follows event time: --speed realtime plays an hour of events in an hour, 60x in a minute, max "
                    + "as fast as Kafka takes them. The producer is idempotent with acks=all and lz4 compression.",
            "",
            "The broker address (kafka.bootstrapServers), the topics (kafka.topics.logins and "
                    + "kafka.topics.telemetry) and the security settings (kafka.properties.*) come from the "
                    + "configuration: -c FILE and --set KEY=VALUE.",
            "",
            "Examples:",
            "  stampede replay --scenario update-wave --devices 30000 --speed 60x \\",
            "      --set kafka.bootstrapServers=127.0.0.1:9092",
            "  stampede replay --logins logins.jsonl.gz --telemetry telemetry.jsonl.gz \\",
            "      --speed realtime --shift-to-now -c prod.yaml",
            ""},
        footer = {"", "Exit code: 0 when the input was published (also when stopped early with Ctrl-C: what was "
                + "read by then is published); 1 when an input file cannot be read, Kafka cannot be reached, a "
                + "topic is missing or Kafka refuses the records; 2 for usage and configuration errors."})
public final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--logins", paramLabel = "FILE", description = "login-events JSONL file (.gz: gzip).")
    Path logins;

    @Option(names = "--telemetry", paramLabel = "FILE", description = "telemetry-events JSONL file (.gz: gzip).")
    Path telemetry;

    @Option(names = "--scenario", paramLabel = "NAME",
            description = "Replay a simulated scenario instead of files: update-wave, power-loss, flash-crowd or "
                    + "quiet-day.")
    String scenario;

    @Option(names = "--devices", defaultValue = "300000", paramLabel = "N",
            description = "With --scenario: fleet size (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--seed", defaultValue = "7", paramLabel = "N",
            description = "With --scenario: seed; the same seed plays the same events (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "With --scenario: event time to play (default: the scenario's own).")
    String duration;

    @Option(names = "--speed", defaultValue = "max", paramLabel = "SPEED", converter = SpeedConverter.class,
            description = "max (as fast as Kafka takes them; the default), realtime, or a multiple of real time "
                    + "such as 10x or 0.5x.")
    ReplaySpeed speed;

    @Option(names = "--shift-to-now",
            description = "Move every event time by the same amount so that the replay's first event happens now "
                    + "(records without a readable event time are published unchanged).")
    boolean shiftToNow;

    @Option(names = "--broker-timeout", defaultValue = "30s", paramLabel = "DURATION",
            description = "How long to wait for the broker (connecting, topic metadata, delivery) before giving up "
                    + "(default: ${DEFAULT-VALUE}).")
    String brokerTimeout;

    @Mixin
    ConfigOptions configOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Reads {@code --speed}; a bad value is a usage error (exit code 2) with the reason. */
    static final class SpeedConverter implements CommandLine.ITypeConverter<ReplaySpeed> {
        @Override
        public ReplaySpeed convert(String value) {
            try {
                return ReplaySpeed.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        Duration wait = validate();
        StampedeConfig config = configOptions.load();
        StampedeConfig.Kafka kafka = config.kafka();
        Scenario sc = scenario == null ? null : scenario();
        List<String> topics = new ArrayList<>();
        if (sc != null || logins != null) {
            topics.add(kafka.topics().logins());
        }
        if (sc != null || telemetry != null) {
            topics.add(kafka.topics().telemetry());
        }
        String what = sc != null
                ? String.format(Locale.ROOT, "scenario %s (%,d devices, seed %d, %s of event time)", sc.name(),
                        sc.devices(), sc.seed(), Durations.format(sc.duration()))
                : describeFiles();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.printf(Locale.ROOT, "Replaying %s into %s at %s, speed %s%s...%n", what, String.join(" and ", topics),
                kafka.bootstrapServers(), speed, shiftToNow ? ", event times shifted to now" : "");
        try {
            KafkaTopics.partitions(KafkaIo.clientProperties(kafka), topics, wait);
        } catch (KafkaTopics.Unavailable e) {
            err.println("stampede replay: " + e.getMessage());
            return 1;
        }

        Terminal term = new Terminal(System.out);
        KafkaProducer<byte[], byte[]> producer;
        try {
            producer = Replayer.producer(kafka, wait);
        } catch (KafkaException e) {
            throw new ConfigException("the Kafka producer refused its settings (kafka.properties): " + e.getMessage(), e);
        }
        Replayer replayer = new Replayer(producer, kafka.topics().logins(), kafka.topics().telemetry(), speed,
                shiftToNow);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            replayer.stop();
            try {
                // Let the replay flush what it handed to the producer and print its count.
                done.await(wait.toMillis() + 10_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "replay-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Replayer.Progress progress = new ProgressLine(term);
            Replayer.Totals totals = sc != null ? replayer.replayScenario(sc, progress)
                    : replayer.replayFiles(logins, telemetry, progress);
            term.endProgress();
            out.println(summary(totals, kafka.bootstrapServers()));
            return 0;
        } catch (KafkaTopics.Unavailable e) {
            term.endProgress();
            err.println("stampede replay: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            term.endProgress();
            err.println("stampede replay: could not read the input: " + e.getMessage());
            return 1;
        } finally {
            producer.close(Duration.ofSeconds(5));
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it is what stopped the replay.
            }
        }
    }

    /** Checks the options; returns the broker timeout. */
    Duration validate() {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        boolean files = logins != null || telemetry != null;
        if (files && scenario != null) {
            throw new StampedeCli.UserException("replay either files (--logins/--telemetry) or a scenario (--scenario), "
                    + "not both");
        }
        if (!files && scenario == null) {
            throw new StampedeCli.UserException("nothing to replay: give --logins FILE and/or --telemetry FILE, or "
                    + "--scenario NAME (e.g. --scenario update-wave)");
        }
        if (files) {
            for (String option : List.of("--devices", "--seed", "--duration")) {
                if (parsed != null && parsed.hasMatchedOption(option)) {
                    throw new StampedeCli.UserException(option + " goes with --scenario, not with files");
                }
            }
            for (Path p : new Path[] {logins, telemetry}) {
                if (p != null && !Files.isRegularFile(p)) {
                    throw new StampedeCli.UserException("input file " + p + " does not exist or is not a file");
                }
            }
        }
        if (scenario != null && (devices < 1_000 || devices > 5_000_000)) {
            throw new StampedeCli.UserException("--devices must be between 1000 and 5000000, got " + devices);
        }
        Duration wait;
        try {
            wait = Durations.parse(brokerTimeout);
        } catch (RuntimeException e) {
            throw new StampedeCli.UserException("--broker-timeout: " + e.getMessage());
        }
        if (wait.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new StampedeCli.UserException("--broker-timeout must be at least 1s, got " + brokerTimeout);
        }
        return wait;
    }

    private Scenario scenario() {
        return ScenarioChoice.of(scenario, devices, seed, duration);
    }

    private String describeFiles() {
        List<String> names = new ArrayList<>();
        if (logins != null) {
            names.add(logins.toString());
        }
        if (telemetry != null) {
            names.add(telemetry.toString());
        }
        return String.join(" and ", names);
    }

    static String summary(Replayer.Totals t, String bootstrap) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "%s %,d records (%,d logins, %,d telemetry) to %s in %.1f s, %,.0f events/s",
                t.stopped() ? "Stopped: published" : "Published", t.published(), t.logins(), t.telemetry(), bootstrap,
                t.seconds(), t.eventsPerSecond()));
        if (t.withoutTime() > 0) {
            s.append(String.format(Locale.ROOT, "; %,d without a readable event time", t.withoutTime()));
        }
        if (t.withoutKey() > 0) {
            s.append(String.format(Locale.ROOT, "; %,d without a device id (no key)", t.withoutKey()));
        }
        if (t.tooLarge() > 0) {
            s.append(String.format(Locale.ROOT, "; %,d too large to publish, skipped", t.tooLarge()));
        }
        return s.toString();
    }

    /** The progress bar's detail: records so far, the current rate and the event time reached. */
    private static final class ProgressLine implements Replayer.Progress {
        private final Terminal term;
        private long lastCount;
        private long lastNanos = System.nanoTime();

        ProgressLine(Terminal term) {
            this.term = term;
        }

        @Override
        public void update(long published, double share, long eventClock) {
            long now = System.nanoTime();
            double rate = (published - lastCount) / Math.max(1e-3, (now - lastNanos) / 1e9);
            lastCount = published;
            lastNanos = now;
            String clock = eventClock == ReplayRecord.NO_TIME ? "" : ", event time " + Timestamps.format(eventClock);
            term.progress("replay", share, String.format(Locale.ROOT, "%,d records, %,.0f events/s%s", published, rate,
                    clock));
        }
    }
}
