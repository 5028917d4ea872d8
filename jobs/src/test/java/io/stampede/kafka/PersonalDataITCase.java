package io.stampede.kafka;

import static io.stampede.Fixtures.SECOND;
import static io.stampede.Fixtures.T0;
import static io.stampede.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.Fixtures;
import io.stampede.cli.StampedeCli;
import io.stampede.config.StampedeConfig;
import io.stampede.event.DeadLetter;
import io.stampede.event.DeadLetterCategory;
import io.stampede.io.Json;
import io.stampede.io.OutputFiles;
import io.stampede.io.RunOutputs;
import io.stampede.io.kafka.ProductionJob;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records of a marker account id through every path that writes something, in files and through
 * Kafka: refused by the contract, malformed, cut, too large, not UTF-8, late, duplicated, and
 * accepted. The marker must be nowhere in what Stampede writes (output files, output topics) or
 * logs, while the records demonstrably arrived (dead letters by category, counters).
 */
class PersonalDataITCase extends WithKafkaBroker {

    private static final String MARKER = "MARKER-ACCT-4711";
    private static final String KEY = "personal-data-key-of-the-test-0123456789";
    private static final int MAX_RECORD_BYTES = 10_000;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    private static String markerLogin(String eventId, long time) {
        return Fixtures.login(eventId, time, "dm", "eu", "INTERACTIVE", 1, "SUCCESS").replace("acct-dm", MARKER);
    }

    /** One record of each kind the parse step refuses, each carrying the marker; by the category expected. */
    private static Map<DeadLetterCategory, List<byte[]>> refusedRecords(long t) {
        String good = markerLogin("p1", t);
        String contract = good.replace("\"INTERACTIVE\"", "\"SOMETIMES\"");
        return Map.of(
                DeadLetterCategory.CONTRACT, List.of(
                        utf8(contract),
                        utf8(good.replace("\"INTERACTIVE\"", "\"" + MARKER + "\"")), // the reason quotes the trigger
                        utf8(contract.replace("\"region\"", "\"payload\":\"{\\\"accountId\\\":\\\"" + MARKER
                                + "\\\"}\",\"region\"")),
                        // UTF-16 with a byte order mark: the parser reads it, the dead letter keeps bytes
                        contract.getBytes(StandardCharsets.UTF_16)),
                DeadLetterCategory.MALFORMED_JSON, List.of(
                        utf8(good.replace("\"" + MARKER + "\"", MARKER)), // the parser's message quotes the token
                        utf8(good.substring(0, good.indexOf(MARKER) + 10))),
                DeadLetterCategory.TOO_LARGE, List.of(
                        utf8(good.replace("}", ",\"pad\":\"" + "x".repeat(MAX_RECORD_BYTES) + "\"}"))),
                DeadLetterCategory.NOT_TEXT, List.of(
                        good.replace("\"eu\"", "\"caf\u00e9\"").getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void aBacktestWritesAndLogsTheAccountIdNowhere() throws Exception {
        List<byte[]> logins = new ArrayList<>();
        int good = 0;
        for (int s = 0; s < 40 * 60; s++) {
            long t = T0 + s * SECOND;
            logins.add(utf8(s % 10 == 0 ? markerLogin("m" + s, t)
                    : Fixtures.login("l" + s, t, "d" + (s % 300), "eu", "TOKEN_REFRESH", 1, "SUCCESS")));
            good++;
            if (s == 600) {
                logins.add(utf8(markerLogin("m" + s, t))); // a duplicate
                refusedRecords(t).values().forEach(logins::addAll);
            }
        }
        logins.add(utf8(markerLogin("late", T0 + 60 * SECOND)));
        good++;
        Path file = dir.resolve("login-events.jsonl");
        Files.write(file, lines(logins));
        Path out = dir.resolve("out");

        String console;
        try (AllLogs logs = new AllLogs()) {
            console = console(() -> assertThat(StampedeCli.execute("backtest", "--logins", file.toString(), "--out",
                    out.toString(), "--set", "input.maxRecordBytes=" + MAX_RECORD_BYTES,
                    "--set", "input.personalData.key=" + KEY)).isZero());
            assertThat(logs.lines()).as("logs were captured").isNotEmpty();
            assertNoMarker("logs", logs.text());
        }
        assertNoMarker("console", console);

        List<DeadLetter> dead = RunOutputs.deadLetters(out);
        assertThat(countByCategory(dead)).isEqualTo(expectedCounts(true));
        assertThat(dead).filteredOn(d -> d.category() == DeadLetterCategory.CONTRACT && d.original() != null)
                .hasSize(3).allSatisfy(d -> assertThat(d.original()).containsPattern("\"accountId\":\"hmac:[0-9a-f]{16}\""));
        JsonNode summary = Json.MAPPER.readTree(out.resolve(OutputFiles.SUMMARY).toFile());
        assertThat(summary.at("/counts/eventsAccepted").asLong()).isEqualTo(good + 1);
        assertThat(summary.at("/counts/duplicates").asLong()).isEqualTo(1);
        assertThat(summary.at("/counts/late").asLong()).isEqualTo(1);
        try (Stream<Path> files = Files.walk(out)) {
            List<Path> written = files.filter(Files::isRegularFile).collect(Collectors.toList());
            assertThat(written).extracting(p -> p.getFileName().toString())
                    .contains(OutputFiles.DEAD_LETTERS, OutputFiles.SUMMARY, OutputFiles.ALERTS);
            for (Path p : written) {
                assertNoMarker(p.toString(), Files.readAllBytes(p));
            }
        }
        assertNoMarkerInBase64(dead);
    }

    @Test
    void theLiveJobWritesAndLogsTheAccountIdToNoTopic() throws Exception {
        StampedeConfig config = config("pii");
        int good = 0;
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            String logins = config.kafka().topics().logins();
            for (int s = 0; s < 15 * 60; s++) {
                long t = T0 + s * SECOND;
                producer.send(new ProducerRecord<>(logins, utf8(s % 10 == 0 ? markerLogin("m" + s, t)
                        : Fixtures.login("l" + s, t, "d" + (s % 300), "eu", "TOKEN_REFRESH", 1, "SUCCESS"))));
                good++;
                if (s % 20 == 0) {
                    producer.send(new ProducerRecord<>(config.kafka().topics().telemetry(),
                            utf8(Fixtures.boot("b" + s, t, "d" + (s % 300), "eu", "USER", null))));
                }
                if (s == 300) {
                    producer.send(new ProducerRecord<>(logins, utf8(markerLogin("m" + s, t))));
                    for (List<byte[]> records : refusedRecords(t).values()) {
                        for (byte[] r : records) {
                            producer.send(new ProducerRecord<>(logins, r));
                        }
                    }
                }
            }
        }

        JobExecutionResult result;
        try (AllLogs logs = new AllLogs()) {
            result = ProductionJob.build(config, true).execute(ProductionJob.JOB_NAME);
            assertThat(logs.lines()).as("logs were captured").isNotEmpty();
            assertNoMarker("logs", logs.text());
        }

        assertThat(result.<Long>getAccumulatorResult("accepted.login-events")).isEqualTo(good + 1);
        List<DeadLetter> dead = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.readCommitted(config.kafka().topics().deadLetters())) {
            dead.add(Json.MAPPER.readValue(r.value(), DeadLetter.class));
        }
        assertThat(countByCategory(dead)).isEqualTo(expectedCounts(false));
        assertNoMarkerInBase64(dead);
        StampedeConfig.Topics t = config.kafka().topics();
        for (String topic : List.of(t.deadLetters(), t.alerts(), t.directives(), t.signals())) {
            for (ConsumerRecord<byte[], byte[]> r : broker.readCommitted(topic)) {
                assertNoMarker(topic + " key", r.key() == null ? new byte[0] : r.key());
                assertNoMarker(topic, r.value());
            }
        }
    }

    private StampedeConfig config(String prefix) throws Exception {
        broker.createTopics(Map.of(prefix + "-logins", 1, prefix + "-telemetry", 1, prefix + "-alerts", 1,
                prefix + "-directives", 1, prefix + "-signals", 1, prefix + "-dead", 1), Map.of());
        List<String> settings = jobSettings(prefix);
        settings.addAll(List.of("input.idleness=10m", "input.maxRecordBytes=" + MAX_RECORD_BYTES,
                "input.personalData.key=" + KEY));
        return Fixtures.config(settings.toArray(String[]::new));
    }

    private static Map<DeadLetterCategory, Long> expectedCounts(boolean withLate) {
        Map<DeadLetterCategory, Long> expected = refusedRecords(T0).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue().size()));
        if (withLate) {
            expected.put(DeadLetterCategory.LATE, 1L);
        }
        return expected;
    }

    private static Map<DeadLetterCategory, Long> countByCategory(List<DeadLetter> dead) {
        return dead.stream().collect(Collectors.groupingBy(DeadLetter::category, Collectors.counting()));
    }

    private static void assertNoMarkerInBase64(List<DeadLetter> dead) {
        for (DeadLetter d : dead) {
            if (d.originalBase64() != null) {
                assertNoMarker("decoded originalBase64 of " + d.reason(), Base64.getDecoder().decode(d.originalBase64()));
            }
        }
    }

    /** Neither the marker nor a piece of it, in UTF-8 (ASCII, Latin-1) or UTF-16. */
    private static void assertNoMarker(String where, byte[] bytes) {
        for (String piece : List.of("MARKER", "ACCT-4711")) {
            for (java.nio.charset.Charset cs : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE,
                    StandardCharsets.UTF_16BE)) {
                assertThat(indexOf(bytes, piece.getBytes(cs))).as("%s in %s of %s", piece, cs, where).isEqualTo(-1);
            }
        }
    }

    private static void assertNoMarker(String where, String text) {
        assertThat(text).as(where).doesNotContain("MARKER").doesNotContain("ACCT-4711");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] lines(List<byte[]> records) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] r : records) {
            b.writeBytes(r);
            b.write('\n');
        }
        return b.toByteArray();
    }

    /** What the command prints to standard output and error. */
    private static String console(Runnable run) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            run.run();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /**
     * Everything logged at INFO and above by any logger (Flink's, Kafka's and Stampede's), and Stampede's
     * DEBUG, kept in memory while open; the console still gets warnings only.
     */
    private static final class AllLogs implements AutoCloseable {
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
        private final LoggerConfig root = context.getConfiguration().getRootLogger();
        private final Level rootLevel = root.getLevel();
        private final Appender console = context.getConfiguration().getAppender("console");
        private final AbstractAppender appender = new AbstractAppender("all", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                Throwable t = event.getThrown();
                lines.add(event.getLevel() + " " + event.getLoggerName() + " " + event.getMessage().getFormattedMessage()
                        + (t == null ? "" : " " + org.apache.flink.util.ExceptionUtils.stringifyException(t)));
            }
        };

        AllLogs() {
            appender.start();
            root.setLevel(Level.INFO);
            root.addAppender(appender, Level.INFO, null);
            if (console != null) {
                root.removeAppender(console.getName());
                root.addAppender(console, Level.WARN, null);
            }
            LoggerConfig stampede = new LoggerConfig("io.stampede", Level.DEBUG, true);
            stampede.addAppender(appender, Level.DEBUG, null);
            context.getConfiguration().addLogger("io.stampede", stampede);
            context.updateLoggers();
        }

        List<String> lines() {
            return lines;
        }

        String text() {
            return String.join("\n", lines);
        }

        @Override
        public void close() {
            context.getConfiguration().removeLogger("io.stampede");
            root.removeAppender(appender.getName());
            if (console != null) {
                root.removeAppender(console.getName());
                root.addAppender(console, null, null);
            }
            root.setLevel(rootLevel);
            context.updateLoggers();
            appender.stop();
        }
    }
}
