package io.stampede.cli;

import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.config.ConfigException;
import io.stampede.config.Durations;
import io.stampede.config.StampedeConfig;
import io.stampede.event.DeadLetter;
import io.stampede.io.Json;
import io.stampede.io.kafka.KafkaIo;
import io.stampede.io.kafka.KafkaTopics;
import io.stampede.plan.ScalingSignal;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stampede tail}: the job's committed outputs as they come. */
@Command(name = "tail",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the alerts the live job commits to Kafka, one line each, as they come.",
            "",
            "Reads the alerts topic (kafka.topics.alerts) with isolation.level=read_committed, so only what the job "
                    + "committed is shown, never records of aborted or still open transactions; with --directives, "
                    + "--signals and --dead-letters those topics too. It reads every partition itself and commits "
                    + "no offsets (no consumer group). Lines are the ones the demo prints; --json prints the records "
                    + "as they are. Messages about the tail itself go to stderr. Stop with Ctrl-C, --max or "
                    + "--timeout.",
            "",
            "Examples:",
            "  stampede tail --set kafka.bootstrapServers=127.0.0.1:9092",
            "  stampede tail --from-beginning --json --to-end > alerts.jsonl",
            "  stampede tail --directives --signals --max 1 --timeout 2m",
            ""},
        footer = {"", "Exit code: 0; 1 when --max records did not come before --timeout or the end (--to-end), or "
                + "Kafka could not be reached or a topic is missing; 2 for usage and configuration errors."})
public final class TailCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(200);

    @Option(names = "--from-beginning",
            description = "Start at the beginning of the topics (default: only records committed from now on).")
    boolean fromBeginning;

    @Option(names = "--directives", description = "Also tail the throttle directives (kafka.topics.directives).")
    boolean directives;

    @Option(names = "--signals", description = "Also tail the scaling signals (kafka.topics.signals).")
    boolean signals;

    @Option(names = "--dead-letters", description = "Also tail the dead letters (kafka.topics.deadLetters).")
    boolean deadLetters;

    @Option(names = "--json", description = "Print each record's JSON as it is, one per line.")
    boolean json;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    Integer max;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Stop after this long, e.g. 30s or 5m.")
    String timeout;

    @Option(names = "--to-end",
            description = "Stop once every record committed when the tail started has been printed.")
    boolean toEnd;

    @Mixin
    BrokerCheck broker;

    @Mixin
    ConfigOptions configOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What kind of record a topic holds, for the one-line rendering. */
    enum Kind { ALERT, DIRECTIVE, SIGNAL, DEAD_LETTER }

    @Override
    public Integer call() {
        Duration stopAfter = timeout == null ? null : duration("--timeout", timeout);
        if (max != null && max < 1) {
            throw new StampedeCli.UserException("--max must be at least 1, got " + max);
        }
        broker.timeout();
        StampedeConfig config = configOptions.load();
        StampedeConfig.Topics t = config.kafka().topics();
        Map<String, Kind> kinds = new LinkedHashMap<>();
        kinds.put(t.alerts(), Kind.ALERT);
        if (directives) {
            kinds.put(t.directives(), Kind.DIRECTIVE);
        }
        if (signals) {
            kinds.put(t.signals(), Kind.SIGNAL);
        }
        if (deadLetters) {
            kinds.put(t.deadLetters(), Kind.DEAD_LETTER);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Properties client = KafkaIo.clientProperties(config.kafka());
        Map<String, Integer> partitions = broker.partitions(config.kafka(), kinds.keySet());
        List<TopicPartition> assigned = new ArrayList<>();
        partitions.forEach((topic, n) -> {
            for (int p = 0; p < n; p++) {
                assigned.add(new TopicPartition(topic, p));
            }
        });

        Properties p = new Properties();
        p.putAll(client);
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "stampede-tail");
        p.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(broker.timeout().toMillis()));
        KafkaConsumer<byte[], byte[]> consumer;
        try {
            consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (KafkaException e) {
            throw new ConfigException("the Kafka consumer refused its settings (kafka.properties): " + e.getMessage(), e);
        }
        CountDownLatch closed = new CountDownLatch(1);
        try (consumer) {
            Thread hook = new Thread(() -> {
                consumer.wakeup();
                try {
                    closed.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "tail-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return tail(consumer, assigned, kinds, stopAfter, out, err);
            } catch (WakeupException stopped) {
                return 0;
            } catch (KafkaException e) {
                err.println("stampede tail: reading from Kafka at " + config.kafka().bootstrapServers() + " failed: "
                        + e.getMessage());
                return 1;
            } finally {
                out.flush();
                err.flush();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is running: it is what stopped the tail.
                }
            }
        } finally {
            closed.countDown();
        }
    }

    private int tail(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> assigned, Map<String, Kind> kinds,
            Duration stopAfter, PrintWriter out, PrintWriter err) {
        consumer.assign(assigned);
        if (fromBeginning) {
            consumer.seekToBeginning(assigned);
        } else {
            consumer.seekToEnd(assigned);
        }
        // Resolve the start positions now, so "new" means from this moment, not from the first poll.
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        for (TopicPartition tp : assigned) {
            positions.put(tp, consumer.position(tp));
        }
        Map<TopicPartition, Long> ends = toEnd ? consumer.endOffsets(assigned) : Map.of();
        err.printf(Locale.ROOT, "stampede tail: reading %s (committed records only, %s)%s%n",
                String.join(", ", kinds.keySet()), fromBeginning ? "from the beginning" : "new ones",
                toEnd ? ", up to the current end" : max == null && stopAfter == null ? "; Ctrl-C to stop" : "");
        err.flush();
        long deadline = stopAfter == null ? Long.MAX_VALUE : System.nanoTime() + stopAfter.toNanos();
        long printed = 0;
        while (max == null || printed < max) {
            if (toEnd && reachedEnd(consumer, ends)) {
                break;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            var records = consumer.poll(left < POLL.toNanos() ? Duration.ofNanos(left) : POLL);
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (toEnd && r.offset() >= ends.get(new TopicPartition(r.topic(), r.partition()))) {
                    continue; // committed after the tail started
                }
                out.println(json ? text(r.value()) : line(kinds.get(r.topic()), r.value()));
                printed++;
                if (max != null && printed >= max) {
                    break;
                }
            }
            out.flush();
        }
        if (max != null && printed < max) {
            err.printf(Locale.ROOT, "stampede tail: %d of %d records came before the %s%n", printed, max,
                    toEnd && reachedEnd(consumer, ends) ? "end" : "timeout");
            return 1;
        }
        return 0;
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Duration duration(String option, String value) {
        try {
            return Durations.parse(value);
        } catch (RuntimeException e) {
            throw new StampedeCli.UserException(option + ": " + e.getMessage());
        }
    }

    private static String text(byte[] value) {
        return value == null ? "null" : new String(value, StandardCharsets.UTF_8);
    }

    /** The one-line rendering of an output record; a record that does not read as its kind is shown raw. */
    static String line(Kind kind, byte[] value) {
        try {
            return switch (kind) {
                case ALERT -> AlertLines.of(Json.MAPPER.readValue(value, Alert.class));
                case DIRECTIVE -> directive(Json.MAPPER.readValue(value, ThrottleDirective.class));
                case SIGNAL -> signal(Json.MAPPER.readValue(value, ScalingSignal.class));
                case DEAD_LETTER -> deadLetter(Json.MAPPER.readValue(value, DeadLetter.class));
            };
        } catch (IOException | RuntimeException e) {
            return "  (unreadable " + kind.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ") " + text(value);
        }
    }

    static String directive(ThrottleDirective d) {
        String what = switch (d.state()) {
            case LIFTED -> "admit all";
            case THROTTLE, RELEASE -> String.format(Locale.ROOT, "admit %.1f/s%s, until %s",
                    d.admitPerSec() == null ? Double.NaN : d.admitPerSec(),
                    d.retryAfter() == null ? "" : ", retry after " + d.retryAfter().minSeconds() + "-"
                            + d.retryAfter().maxSeconds() + " s", time(d.expiresAt()));
        };
        return String.format(Locale.ROOT, "  %s %-8s %-13s %-8s %s%s", time(d.issuedAt()), "", "DIRECTIVE",
                d.state(), d.region() + ": " + what, d.reason() == null ? "" : " (" + d.reason() + ")");
    }

    static String signal(ScalingSignal s) {
        return String.format(Locale.ROOT,
                "  %s %-8s %-13s %-8s %s: demand %.1f/s, forecast %.1f/s within %d min, safe capacity %.1f/s; "
                        + "nodes %d -> %d%s",
                time(s.issuedAt()), "", "SCALING", s.direction(), s.region(), s.currentDemandPerSec(),
                s.forecastDemandPerSec(), s.horizonSeconds() / 60, s.safeCapacityPerSec(), s.currentNodes(),
                s.desiredNodes(), s.neededBy() == null ? "" : " by " + time(s.neededBy()));
    }

    static String deadLetter(DeadLetter d) {
        String where = d.partition() != null ? "partition " + d.partition() + " offset " + d.offset()
                : d.line() != null ? "line " + d.line() : "";
        return String.format(Locale.ROOT, "  %-9s %-8s %-13s %-8s %s%s: %s", "", "", "DEAD_LETTER", d.category(),
                d.input(), where.isEmpty() ? "" : " " + where, d.reason());
    }

    /** The time of day of an RFC 3339 UTC time, as the alert lines show it. */
    private static String time(String rfc3339) {
        return rfc3339 != null && rfc3339.length() >= 19 ? rfc3339.substring(11, 19) + "Z" : String.valueOf(rfc3339);
    }
}
