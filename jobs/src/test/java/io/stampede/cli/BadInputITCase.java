package io.stampede.cli;

import static io.stampede.Fixtures.SECOND;
import static io.stampede.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.Fixtures;
import io.stampede.event.DeadLetter;
import io.stampede.event.DeadLetterCategory;
import io.stampede.io.Json;
import io.stampede.io.OutputFiles;
import io.stampede.io.RunOutputs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input matrix: each mistake a new user makes with files, folders, compression and
 * encodings gets the message it should, with the exit code the README documents, and nothing
 * valid in the same input is lost.
 */
class BadInputITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    @Test
    void badBytesOfEveryKindBecomeDeadLettersAndNoValidLineIsLost() throws Exception {
        ByteArrayOutputStream logins = new ByteArrayOutputStream();
        int validLogins = 0;
        // Line 1: a UTF-8 byte order mark before the first record, and Windows line ends.
        logins.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        logins.write(bytes(login(0) + "\r\n"));
        logins.write(bytes(login(1) + "\r\n"));
        validLogins += 2;
        // Line 3: a 5 MB single line.
        logins.write(bytes("{\"eventId\":\"huge\",\"padding\":\"" + "x".repeat(5_000_000) + "\"}\n"));
        // Line 4: binary garbage (no line break in it).
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i++) {
            if (garbage[i] == '\n' || garbage[i] == '\r') {
                garbage[i] = 0;
            }
        }
        logins.write(garbage);
        logins.write('\n');
        // Line 5: a record with invalid UTF-8 in a string.
        logins.write(bytes("{\"eventId\":\"bad-"));
        logins.write(new byte[] {(byte) 0xC3, (byte) 0x28});
        logins.write(bytes("\"}\n"));
        for (int i = 2; i < 300; i++) {
            logins.write(bytes(login(i) + "\n"));
            validLogins++;
        }
        Path loginFile = Files.write(dir.resolve("login-events.jsonl"), logins.toByteArray());

        // A compressed telemetry file cut short, as by an interrupted copy.
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(whole)) {
            for (int i = 0; i < 5_000; i++) {
                gz.write(bytes(Fixtures.nodeHealth("h" + i, T0 + i * SECOND, "eu", "eu-auth-" + (i % 4), 100, true)
                        + "\n"));
            }
        }
        byte[] cut = Arrays.copyOf(whole.toByteArray(), whole.size() / 2);
        Path telemetryFile = Files.write(dir.resolve("telemetry-events.jsonl.gz"), cut);
        int readable = completeLines(cut);
        assertThat(readable).isBetween(100, 4_900);

        Path out = dir.resolve("out");
        CliRun r = CliRun.of("backtest", "--logins", loginFile.toString(), "--telemetry", telemetryFile.toString(),
                "--out", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode summary = Json.MAPPER.readTree(out.resolve(OutputFiles.SUMMARY).toFile());
        assertThat(summary.path("status").asText()).isEqualTo("ok");
        assertThat(summary.path("byInput").path("login-events").path("accepted").asLong()).isEqualTo(validLogins);
        assertThat(summary.path("byInput").path("telemetry-events").path("accepted").asLong()).isEqualTo(readable);

        List<DeadLetter> dead = RunOutputs.deadLetters(out);
        assertThat(dead).extracting(DeadLetter::line, DeadLetter::category).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(3L, DeadLetterCategory.TOO_LARGE),
                org.assertj.core.groups.Tuple.tuple(4L, DeadLetterCategory.NOT_TEXT),
                org.assertj.core.groups.Tuple.tuple(5L, DeadLetterCategory.NOT_TEXT),
                org.assertj.core.groups.Tuple.tuple((long) readable + 1, DeadLetterCategory.UNREADABLE));
        DeadLetter huge = dead.stream().filter(d -> d.category() == DeadLetterCategory.TOO_LARGE).findFirst()
                .orElseThrow();
        assertThat(huge.originalSize()).isGreaterThan(5_000_000);
        assertThat(huge.truncated()).isTrue();

        String lost = "cannot read telemetry-events.jsonl.gz from line " + (readable + 1)
                + " on: Unexpected end of ZLIB input stream (EOFException); the file is truncated or corrupt, "
                + "its lines before are accepted";
        assertThat(r.err()).contains("stampede backtest: warning: " + lost);
        assertThat(summary.path("warnings").toString()).contains(lost);
        assertThat(r.err()).doesNotContain("\tat ");
    }

    @Test
    void anInputOfOnlyDeadLettersAndEventTimesInEpochSecondsAreWarnedAbout() throws Exception {
        Path loginFile = Files.writeString(dir.resolve("logins.jsonl"), "not json\n{\"eventId\":1}\n[]\n");
        StringBuilder telemetry = new StringBuilder();
        long seconds = T0 / 1000;
        for (int i = 0; i < 30; i++) {
            telemetry.append(Fixtures.nodeHealth("h" + i, seconds + i * 60, "eu", "eu-auth-1", 100, true)).append('\n');
        }
        Path telemetryFile = Files.writeString(dir.resolve("telemetry.jsonl"), telemetry);
        Path out = dir.resolve("out");

        CliRun r = CliRun.of("backtest", "--logins", loginFile.toString(), "--telemetry", telemetryFile.toString(),
                "--out", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err())
                .contains("warning: every record of login-events (--logins) was refused: 3 dead letters, e.g. "
                        + "\"malformed JSON")
                .contains("warning: event times start at 1970-01-21T")
                .contains("before the year 2000; are epoch seconds given where eventTime expects epoch milliseconds?")
                .contains("warning: the accepted events span only 1 s of event time (1970-01-21T")
                .contains("less than detection.warmup (10m): no detector can fire");
        JsonNode summary = Json.MAPPER.readTree(out.resolve(OutputFiles.SUMMARY).toFile());
        assertThat(summary.path("warnings")).hasSize(3);
        assertThat(summary.path("byInput").path("telemetry-events").path("accepted").asLong()).isEqualTo(30);
    }

    @Test
    void emptyFilesAreLeftOutWithAWarningAndStillGiveASummary() throws Exception {
        Path empty = Files.createFile(dir.resolve("login-events.jsonl"));
        Path emptyGz = Files.createFile(dir.resolve("telemetry-events.jsonl.gz"));
        Path out = dir.resolve("out");

        CliRun r = CliRun.of("backtest", "--logins", empty.toString(), "--telemetry", emptyGz.toString(), "--out",
                out.toString());

        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("warning: input file " + empty + " (--logins) is empty; it is left out")
                .contains("warning: input file " + emptyGz + " (--telemetry) is empty; it is left out")
                .contains("warning: no events were accepted, so nothing could be detected");
        JsonNode summary = Json.MAPPER.readTree(out.resolve(OutputFiles.SUMMARY).toFile());
        assertThat(summary.path("counts").path("eventsAccepted").asLong()).isZero();
        assertThat(summary.path("warnings")).hasSize(3);
    }

    @Test
    void mistakesWithFilesAndFoldersAreOneLineAndExitCodeTwo() throws Exception {
        Path good = Files.writeString(dir.resolve("logins.jsonl"), login(0) + "\n");
        Path aFile = Files.writeString(dir.resolve("plain.txt"), "x");
        Path notGzip = Files.writeString(dir.resolve("logins.jsonl.gz"), login(0) + "\n");
        Path out = dir.resolve("out");
        Path underAFile = aFile.resolve("out");

        assertOneLine(CliRun.of("backtest", "--logins", dir.toString(), "--out", out.toString()),
                dir + " (--logins) is a folder, not a file; give the files in it, separated by commas");
        assertOneLine(CliRun.of("backtest", "--logins", dir.resolve("nope.jsonl").toString(), "--out", out.toString()),
                "input file " + dir.resolve("nope.jsonl") + " (--logins) does not exist");
        assertOneLine(CliRun.of("backtest", "--logins", notGzip.toString(), "--out", out.toString()),
                "input file " + notGzip + " (--logins) is named .gz but is not gzip-compressed");
        assertOneLine(CliRun.of("backtest", "--logins", good.toString(), "--out", underAFile.toString()),
                "cannot create folder " + underAFile + " (--out): ");
        assertOneLine(CliRun.of("simulate", "--out", underAFile.toString()), "cannot create folder " + underAFile);
        assertOneLine(CliRun.of("demo", "--out", underAFile.toString()), "cannot create folder " + underAFile);
        assertOneLine(CliRun.of("bench", "--out", aFile.resolve("bench.json").toString()), "cannot write ");
        assertThat(Files.exists(out)).as("nothing written for a refused command").isFalse();

        CliRun simulate = CliRun.of("simulate", "--set", "detection.bucket=5s");
        assertThat(simulate.code()).isEqualTo(2);
        assertThat(simulate.err()).contains("Unknown options: '--set'")
                .contains("'simulate' reads no configuration")
                .contains("Run 'stampede simulate --help' for its options.");
        assertThat(simulate.err().lines().count()).isEqualTo(3);
    }

    @Test
    void anUnreachableBrokerIsOneMessageAfterTheBrokerTimeout() {
        CliRun run = CliRun.of("run", "--broker-timeout", "1s", "--set", "kafka.bootstrapServers=127.0.0.1:1");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("stampede run: Kafka at 127.0.0.1:1 did not answer within 1 s; is the broker "
                + "running and kafka.bootstrapServers right?");
        assertThat(run.err().lines().count()).isEqualTo(1);

        CliRun deliver = CliRun.of("deliver", "--from-kafka", "--broker-timeout", "1s", "--set",
                "kafka.bootstrapServers=127.0.0.1:1", "--set", "delivery.alertmanager.url=http://127.0.0.1:1",
                "--set", "delivery.failedDeliveries=" + dir.resolve("failed.jsonl"));
        assertThat(deliver.code()).isEqualTo(1);
        assertThat(deliver.err()).startsWith("stampede deliver: Kafka at 127.0.0.1:1 did not answer within 1 s");
    }

    private static void assertOneLine(CliRun r, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("stampede: ").contains(message);
        assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
    }

    private static String login(int i) {
        return Fixtures.login("l" + i, T0 + i * SECOND, "d" + i, "eu", "TOKEN_REFRESH", 1, "SUCCESS");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The lines a reader gets out of a cut gzip stream before it fails. */
    private static int completeLines(byte[] gzip) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                text.write(buf, 0, n);
            }
        } catch (EOFException expected) {
            // the cut
        }
        String s = text.toString(StandardCharsets.UTF_8);
        return (int) s.chars().filter(c -> c == '\n').count();
    }
}
