package io.stampede.cli;

import io.stampede.config.ConfigException;
import io.stampede.config.Durations;
import io.stampede.config.StampedeConfig;
import io.stampede.event.InputKind;
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
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
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
                    + "as fast as Kafka takes them. The producer is idempotent with acks=all and lz4 compression. "
                    + "Each record's Kafka timestamp is the moment it is published; its event time stays in the "
                    + "payload, which is what the job reads, so a recording older than a topic's retention is not "
                    + "deleted for its age.",
            "",
            "A broker that stops answering mid-replay is waited for, up to --outage-timeout: one line says it "
                    + "stopped answering, one that it is back, and nothing is lost or reordered meanwhile. At the end "
                    + "the replay says what Kafka acknowledged per topic and, when something was not published (Kafka "
                    + "gave up, or Ctrl-C), how many records and from which line of each file (event time of a "
                    + "scenario) to publish the rest.",
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
        footer = {"", "Exit code: 0 when the whole input was published; 1 when an input file cannot be read, Kafka "
                + "cannot be reached at the start, a topic is missing, or Kafka refused records or did not take them "
                + "within --outage-timeout; 130 when stopped with Ctrl-C (Kafka gets up to 10 s more for what was "
                + "handed to it); 2 for usage and configuration errors. After 1 and 130 the report says "
                + "from where to publish the rest."})
public final class ReplayCommand implements Callable<Integer> {

    /** The exit code after Ctrl-C, as the JVM itself reports an interrupt (128 + SIGINT). */
    static final int STOPPED = 130;

    /** After Ctrl-C, how long what was handed to the producer may take to be delivered before it is given up. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

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

    @Mixin
    BrokerCheck broker;

    @Option(names = "--outage-timeout", defaultValue = "10m", paramLabel = "DURATION",
            description = "Once publishing, how long to ride out a broker that stops answering: each record is "
                    + "retried until it is this old, then the replay gives up and reports what was not published "
                    + "(default: ${DEFAULT-VALUE}).")
    String outageTimeout;

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
        validate();
        Duration outage = parseTimeout("--outage-timeout", outageTimeout);
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
        String bootstrap = kafka.bootstrapServers();
        out.printf(Locale.ROOT, "Replaying %s into %s at %s, speed %s%s...%n", what, String.join(" and ", topics),
                bootstrap, speed, shiftToNow ? ", event times shifted to now" : "");
        broker.partitions(kafka, topics);

        Terminal term = new Terminal(System.out);
        KafkaProducer<byte[], byte[]> producer;
        try {
            producer = Replayer.producer(kafka, outage);
        } catch (KafkaException e) {
            throw new ConfigException("the Kafka producer refused its settings (kafka.properties): " + e.getMessage(), e);
        }
        Replayer replayer = new Replayer(producer, kafka.topics().logins(), kafka.topics().telemetry(), speed,
                shiftToNow);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            replayer.stop();
            try {
                // Let the replay flush what it handed to the producer; a broker that is down is not waited for.
                if (!done.await(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    replayer.abandon();
                }
                // And let it print its report.
                done.await(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "replay-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Replayer.Progress progress = new ProgressLine(term, err, bootstrap, outage);
            Replayer.Totals totals = sc != null ? replayer.replayGenerated(new SimulatedInput(sc), progress)
                    : replayer.replayFiles(logins, telemetry, progress);
            term.endProgress();
            if (totals.failure() != null) {
                err.println("stampede replay: " + failure(totals.failure(), bootstrap, outage));
            }
            report(totals, bootstrap, sc != null, Map.of(InputKind.LOGIN, String.valueOf(logins),
                    InputKind.TELEMETRY, String.valueOf(telemetry))).forEach(out::println);
            out.flush();
            replayer.unreadable().forEach(reason -> err.println("stampede replay: warning: " + reason));
            err.flush();
            return totals.complete() ? 0 : totals.stopped() ? STOPPED : 1;
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

    /** Checks the options. */
    void validate() {
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
            List<String> empty = new ArrayList<>();
            if (logins != null && InputFiles.check(List.of(logins), "--logins", false, empty).isEmpty()) {
                logins = null;
            }
            if (telemetry != null && InputFiles.check(List.of(telemetry), "--telemetry", false, empty).isEmpty()) {
                telemetry = null;
            }
            PrintWriter err = spec.commandLine().getErr();
            empty.forEach(w -> err.println("stampede replay: warning: " + w));
            if (logins == null && telemetry == null) {
                throw new StampedeCli.UserException("nothing to replay: the input files are empty");
            }
        }
        if (scenario != null && (devices < 1_000 || devices > 5_000_000)) {
            throw new StampedeCli.UserException("--devices must be between 1000 and 5000000, got " + devices);
        }
        parseTimeout("--outage-timeout", outageTimeout);
        broker.timeout();
    }

    private static Duration parseTimeout(String option, String text) {
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (RuntimeException e) {
            throw new StampedeCli.UserException(option + ": " + e.getMessage());
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new StampedeCli.UserException(option + " must be at least 1s, got " + text);
        }
        return d;
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

    /**
     * What the replay published and what not: acknowledged records per topic, then, when not
     * everything was published, how many records Kafka did not acknowledge and from where each
     * input would have to be published again.
     *
     * @param files the input file of each kind (for the advice; ignored for a scenario)
     */
    static List<String> report(Replayer.Totals t, String bootstrap, boolean scenario, Map<InputKind, String> files) {
        List<String> lines = new ArrayList<>();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "%s %,d records (%,d logins, %,d telemetry) to %s in %.1f s, %,.0f events/s",
                t.stopped() ? "Stopped: published" : "Published", t.published(), t.loginsPublished(),
                t.telemetryPublished(), bootstrap, t.seconds(), t.eventsPerSecond()));
        if (t.withoutTime() > 0) {
            s.append(String.format(Locale.ROOT, "; %,d without a readable event time", t.withoutTime()));
        }
        if (t.withoutKey() > 0) {
            s.append(String.format(Locale.ROOT, "; %,d without a device id (no key)", t.withoutKey()));
        }
        if (t.tooLarge() > 0) {
            s.append(String.format(Locale.ROOT, "; %,d too large to publish, skipped", t.tooLarge()));
        }
        lines.add(s.toString());
        if (t.complete()) {
            return lines;
        }
        lines.add(t.notPublished() > 0
                ? String.format(Locale.ROOT, "Not published: %,d records that Kafka did not acknowledge, and the "
                        + "input after them:", t.notPublished())
                : "Not published: the input from here on (not read):");
        for (Replayer.Resume r : t.resume()) {
            String time = r.eventMillis() == ReplayRecord.NO_TIME ? "no readable event time"
                    : "event time " + Timestamps.format(r.eventMillis());
            lines.add(scenario
                    ? String.format(Locale.ROOT, "  %s from %s on", r.kind() == InputKind.LOGIN ? "logins" : "telemetry",
                            time)
                    : String.format(Locale.ROOT, "  %s from line %,d on (%s)", files.get(r.kind()), r.line(), time));
        }
        String twice = "Kafka may have written some of the records it did not acknowledge: one published twice is "
                + "not counted twice by the job (dropped by eventId, or dead-lettered as late).";
        if (scenario) {
            lines.add("To publish the rest, replay the scenario again with the same options; what was published "
                    + "already goes again. " + twice);
        } else {
            Replayer.Resume first = t.resume().isEmpty() ? null : t.resume().get(0);
            String example = first == null ? "" : String.format(Locale.ROOT, " (e.g. %s %s | tail -n +%d > rest)",
                    files.get(first.kind()).endsWith(".gz") ? "zcat" : "cat", files.get(first.kind()), first.line());
            lines.add("To publish the rest, replay each file from that line on" + example + ". " + twice);
        }
        return lines;
    }

    /** Why Kafka gave up on a record, and what to do. */
    static String failure(Exception e, String bootstrap, Duration outage) {
        if (e instanceof TimeoutException) {
            return "Kafka at " + bootstrap + " did not take the records within " + Durations.format(outage)
                    + " (--outage-timeout); gave up: " + e.getMessage() + ". Is the broker running? A longer "
                    + "--outage-timeout rides out a longer outage.";
        }
        return "Kafka at " + bootstrap + " refused the records: " + e;
    }

    /** The progress bar's detail: records so far, the current rate and the event time reached. */
    private static final class ProgressLine implements Replayer.Progress {
        private final Terminal term;
        private final PrintWriter err;
        private final String bootstrap;
        private final Duration outage;
        private long lastCount;
        private long lastNanos = System.nanoTime();

        ProgressLine(Terminal term, PrintWriter err, String bootstrap, Duration outage) {
            this.term = term;
            this.err = err;
            this.bootstrap = bootstrap;
            this.outage = outage;
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

        @Override
        public void brokerSilent(long waiting, Duration silent) {
            term.line(err, String.format(Locale.ROOT, "stampede replay: Kafka at %s has not answered for %d s "
                    + "(%,d records waiting); retrying until it does, for up to %s (--outage-timeout)", bootstrap,
                    silent.toSeconds(), waiting, Durations.format(outage)));
        }

        @Override
        public void brokerBack(Duration silent) {
            term.line(err, String.format(Locale.ROOT, "stampede replay: Kafka at %s answers again after %d s; "
                    + "publishing goes on", bootstrap, silent.toSeconds()));
        }
    }
}
