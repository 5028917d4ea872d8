package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.admission.ThrottleDirective;
import io.stampede.io.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Option checks of {@code replay} and {@code tail}, and the tail's lines: everything before Kafka is asked. */
class ReplayTailCommandTest {

    @TempDir
    Path dir;

    @Test
    void aSpeedThatIsNotOneIsAUsageErrorThatSaysWhatWouldBe() {
        CliRun r = CliRun.of("replay", "--scenario", "update-wave", "--speed", "fast");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Invalid value for option '--speed'")
                .contains("'fast' is not a replay speed: use max, realtime or a factor of real time such as 10x");
        assertThat(StampedeCli.execute("replay", "--scenario", "update-wave", "--speed", "0x")).isEqualTo(2);
    }

    @Test
    void aReplayNeedsFilesOrAScenarioButNotBoth() throws Exception {
        CliRun nothing = CliRun.of("replay");
        assertThat(nothing.code()).isEqualTo(2);
        assertThat(nothing.err()).contains("nothing to replay: give --logins FILE and/or --telemetry FILE, "
                + "or --scenario NAME");
        Path file = Files.writeString(dir.resolve("logins.jsonl"), "{}\n");
        CliRun both = CliRun.of("replay", "--logins", file.toString(), "--scenario", "update-wave");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("either files (--logins/--telemetry) or a scenario (--scenario), not both");
        assertThat(CliRun.of("replay", "--logins", file.toString(), "--devices", "5000").err())
                .contains("--devices goes with --scenario");
        CliRun missing = CliRun.of("replay", "--telemetry", dir.resolve("nope.jsonl").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("input file " + dir.resolve("nope.jsonl") + " (--telemetry) does not exist");
        assertThat(CliRun.of("replay", "--scenario", "update-wave", "--devices", "10").err())
                .contains("--devices must be between 1000 and 5000000");
        assertThat(CliRun.of("replay", "--scenario", "tsunami").err()).contains("unknown scenario \"tsunami\"");
        assertThat(CliRun.of("replay", "--scenario", "update-wave", "--broker-timeout", "10ms").err())
                .contains("--broker-timeout must be at least 1s");
        assertThat(CliRun.of("replay", "--scenario", "update-wave", "--outage-timeout", "soon").err())
                .contains("--outage-timeout:");
    }

    @Test
    void tailOptionsAreChecked() {
        CliRun noMax = CliRun.of("tail", "--max", "0");
        assertThat(noMax.code()).isEqualTo(2);
        assertThat(noMax.err()).contains("--max must be at least 1, got 0");
        CliRun badTimeout = CliRun.of("tail", "--timeout", "soon");
        assertThat(badTimeout.code()).isEqualTo(2);
        assertThat(badTimeout.err()).contains("--timeout:");
    }

    @Test
    void anUnreachableBrokerIsOneClearMessageAfterTheBoundedWait() {
        CliRun replay = CliRun.of("replay", "--scenario", "update-wave", "--devices", "1000", "--broker-timeout", "2s",
                "--set", "kafka.bootstrapServers=127.0.0.1:1");
        assertThat(replay.code()).isEqualTo(1);
        assertThat(replay.err()).contains("stampede replay: Kafka at 127.0.0.1:1 did not answer within 2 s; is the "
                + "broker running and kafka.bootstrapServers right?");
        CliRun tail = CliRun.of("tail", "--broker-timeout", "2s", "--set", "kafka.bootstrapServers=127.0.0.1:1");
        assertThat(tail.code()).isEqualTo(1);
        assertThat(tail.err()).contains("stampede tail: Kafka at 127.0.0.1:1 did not answer within 2 s; is the broker "
                + "running and kafka.bootstrapServers right?");
    }

    @Test
    void bothCommandsExplainThemselves() {
        StringWriter out = new StringWriter();
        CommandLine cli = StampedeCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("replay", "--help")).isZero();
        assertThat(cli.execute("tail", "--help")).isZero();
        assertThat(out.toString()).contains("--speed=SPEED").contains("--shift-to-now").contains("--from-beginning")
                .contains("read_committed");
    }

    @Test
    void directivesAndUnreadableRecordsHaveOneLineEach() {
        ThrottleDirective d = new ThrottleDirective("d-1", "eu-west", "2026-11-24T08:04:10Z", "2026-11-24T08:06:10Z",
                ThrottleDirective.State.THROTTLE, 8.5, ThrottleDirective.TriggerPolicy.ADMIT_ALL,
                new ThrottleDirective.RetryAfter(30, 90), "a-1", "inc-1", "capacity risk");
        assertThat(TailCommand.line(TailCommand.Kind.DIRECTIVE, Json.bytes(d)))
                .isEqualTo("  08:04:10Z          DIRECTIVE     THROTTLE eu-west: admit 8.5/s, retry after 30-90 s, "
                        + "until 08:06:10Z (capacity risk)");
        assertThat(TailCommand.line(TailCommand.Kind.ALERT, "not json".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("  (unreadable alert) not json");
    }
}
