package io.stampede.it;

import static io.stampede.Fixtures.SECOND;
import static io.stampede.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.Fixtures;
import io.stampede.alert.AlertType;
import io.stampede.cli.StampedeCli;
import io.stampede.event.DeadLetter;
import io.stampede.event.DeadLetterCategory;
import io.stampede.io.Json;
import io.stampede.io.OutputFiles;
import io.stampede.io.RunOutputs;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recorded files with bad lines of every kind mixed into good traffic (a reboot wave): each bad
 * line lands in the dead letters with its reason and original, duplicates are dropped and counted,
 * and the job goes on to detect the wave.
 */
class DeadLetterITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    @Test
    void badLinesOfEveryKindBecomeDeadLettersAndTheJobGoesOn() throws Exception {
        List<byte[]> logins = new ArrayList<>();
        List<byte[]> telemetry = new ArrayList<>();
        int id = 0;
        // 40 minutes of steady traffic in eu, then a power-loss wave from minute 30.
        for (int s = 0; s < 40 * 60; s++) {
            long t = T0 + s * SECOND;
            for (int i = 0; i < 5; i++) {
                logins.add(bytes(Fixtures.login("l" + id++, t + i * 150, "d" + ((s * 5 + i) % 3000), "eu",
                        "TOKEN_REFRESH", 1, "SUCCESS")));
            }
            if (s % 10 == 0) {
                telemetry.add(bytes(Fixtures.boot("b" + id++, t, "d" + (s % 3000), "eu", "USER", "KB1")));
                telemetry.add(bytes(Fixtures.nodeHealth("h" + id++, t + 1, "eu", "eu-auth-1", 100, true)));
            }
            if (s >= 30 * 60 && s < 31 * 60) {
                for (int i = 0; i < 20; i++) {
                    telemetry.add(bytes(Fixtures.boot("p" + id++, t + i * 40, "w" + (s * 20 + i), "eu", "POWER", null)));
                }
            }
            if (s == 600) {
                String good = Fixtures.login("dup-1", t, "d1", "eu", "INTERACTIVE", 1, "SUCCESS");
                logins.add(bytes(good));
                logins.add(bytes(good));
                logins.add(bytes(good.replace("\"INTERACTIVE\"", "\"SOMETIMES\"")));
                logins.add(bytes(good.replace("\"attempt\":1", "\"attempt\":\"one\"")));
                logins.add(bytes(good.replace(",\"deviceId\":\"d1\"", "")));
                logins.add(bytes(good.substring(0, 30)));
                logins.add(bytes("   "));
                logins.add(new byte[] {(byte) 0xFF, (byte) 0xFE, 0x00, 0x41});
                logins.add(bytes("{\"eventId\":\"huge\",\"padding\":\"" + "x".repeat(2_000_000) + "\"}"));
                telemetry.add(bytes("{\"eventId\":\"t-bad\",\"eventTime\":\"not a time\",\"type\":\"BOOT\"}"));
                telemetry.add(bytes("[\"an\",\"array\"]"));
            }
        }
        Path loginFile = dir.resolve("login-events.jsonl.gz");
        Path telemetryFile = dir.resolve("telemetry-events.jsonl");
        write(loginFile, logins, true);
        write(telemetryFile, telemetry, false);
        Path out = dir.resolve("out");

        int code = StampedeCli.execute("backtest", "--logins", loginFile.toString(), "--telemetry",
                telemetryFile.toString(), "--out", out.toString(), "--set", "detection.warmup=5m");
        assertThat(code).isZero();

        List<DeadLetter> dead = RunOutputs.deadLetters(out);
        Map<DeadLetterCategory, List<DeadLetter>> byCategory = dead.stream()
                .collect(Collectors.groupingBy(DeadLetter::category));
        assertThat(byCategory.keySet()).containsExactlyInAnyOrder(DeadLetterCategory.CONTRACT,
                DeadLetterCategory.MALFORMED_JSON, DeadLetterCategory.EMPTY, DeadLetterCategory.NOT_TEXT,
                DeadLetterCategory.TOO_LARGE);
        assertThat(byCategory.get(DeadLetterCategory.CONTRACT)).extracting(DeadLetter::reason).contains(
                "trigger: \"SOMETIMES\" is not one of AUTO, INTERACTIVE, TOKEN_REFRESH",
                "attempt: expected integer, got the string \"one\"",
                "required field deviceId is missing");
        assertThat(byCategory.get(DeadLetterCategory.CONTRACT)).anyMatch(d -> d.input().equals("telemetry-events")
                && d.reason().contains("eventTime: \"not a time\" is neither an RFC 3339 date-time") && d.line() != null);
        DeadLetter huge = byCategory.get(DeadLetterCategory.TOO_LARGE).get(0);
        assertThat(huge.truncated()).isTrue();
        assertThat(huge.originalSize()).isGreaterThan(2_000_000);
        assertThat(huge.original()).startsWith("{\"eventId\":\"huge\"");
        DeadLetter binary = byCategory.get(DeadLetterCategory.NOT_TEXT).get(0);
        assertThat(binary.originalBase64()).isEqualTo("//4AQQ==");
        assertThat(dead).allMatch(d -> d.source().equals("login-events.jsonl.gz")
                || d.source().equals("telemetry-events.jsonl"));
        ScenarioRuns.assertOutputsMatchTheirSchemas(out);

        JsonNode summary = Json.MAPPER.readTree(out.resolve(OutputFiles.SUMMARY).toFile());
        assertThat(summary.at("/counts/duplicates").asLong()).isEqualTo(1);
        assertThat(summary.at("/counts/deadLetters").asLong()).isEqualTo(dead.size());
        assertThat(summary.at("/counts/eventsAccepted").asLong())
                .isEqualTo(logins.size() + telemetry.size() - dead.size());
        RunOutputs outputs = RunOutputs.read(out);
        assertThat(outputs.alerts()).anyMatch(a -> a.type() == AlertType.REBOOT_WAVE && a.region().equals("eu")
                && a.attribution().get(0).value().equals("POWER"));
        assertThat(Files.readString(out.resolve(OutputFiles.REPORT))).contains("<svg").contains("REBOOT_WAVE");
    }

    /**
     * An event half an hour behind the one before it in the same file is late: it passed the parser
     * (so it counts as accepted) and becomes a LATE dead letter instead of being counted. One input
     * file, so what is late depends on the file alone: with two files (logins and telemetry), the
     * watermark is the lower of the two sources' and so depends on how far the other file has been
     * read when the event arrives.
     */
    @Test
    void anEventTheWatermarkHasPassedBecomesALateDeadLetter() throws Exception {
        List<byte[]> logins = new ArrayList<>();
        for (int s = 0; s < 40 * 60; s++) {
            logins.add(bytes(Fixtures.login("l" + s, T0 + s * SECOND, "d" + (s % 300), "eu", "TOKEN_REFRESH", 1,
                    "SUCCESS")));
        }
        logins.add(bytes(Fixtures.login("l-late", T0 + 60 * SECOND, "d2", "eu", "INTERACTIVE", 1, "SUCCESS")));
        logins.add(bytes(Fixtures.login("l-after", T0 + 40 * 60 * SECOND, "d3", "eu", "INTERACTIVE", 1, "SUCCESS")));
        Path loginFile = dir.resolve("login-events.jsonl");
        write(loginFile, logins, false);
        Path out = dir.resolve("out");

        int code = StampedeCli.execute("backtest", "--logins", loginFile.toString(), "--out", out.toString());
        assertThat(code).isZero();

        List<DeadLetter> dead = RunOutputs.deadLetters(out);
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.category()).isEqualTo(DeadLetterCategory.LATE);
            assertThat(d.eventId()).isEqualTo("l-late");
            assertThat(d.input()).isEqualTo("login-events");
            assertThat(d.reason()).startsWith("late: event time ");
        });
        ScenarioRuns.assertOutputsMatchTheirSchemas(out);
        JsonNode summary = Json.MAPPER.readTree(out.resolve(OutputFiles.SUMMARY).toFile());
        assertThat(summary.at("/counts/eventsAccepted").asLong()).isEqualTo(logins.size());
        assertThat(summary.at("/counts/late").asLong()).isEqualTo(1);
        assertThat(summary.at("/counts/deadLetters").asLong()).isEqualTo(1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Path file, List<byte[]> lines, boolean gzip) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (OutputStream out = gzip ? new GZIPOutputStream(buffer) : buffer) {
            for (byte[] line : lines) {
                out.write(line);
                out.write('\n');
            }
        }
        Files.write(file, buffer.toByteArray());
    }

}
