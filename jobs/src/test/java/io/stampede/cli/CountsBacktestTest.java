package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mistakes a backtest from counts stops at before it runs: exit code 2 and one message that says where. */
class CountsBacktestTest {

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        return Files.writeString(dir.resolve("counts.csv"), text);
    }

    private CliRun backtest(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "backtest";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--out";
        all[args.length + 2] = dir.resolve("out").toString();
        return CliRun.of(all);
    }

    @Test
    void aMalformedCountsFileExitsWith2AndNamesTheLineAndColumn() throws IOException {
        Path counts = file("""
                time,segment,first_attempts,boots
                2026-11-24T09:00:00Z,eu-west,10,1
                # a comment counts as a line
                2026-11-24T09:01:00Z,eu-west,12,-3
                """);
        CliRun run = backtest("--counts", counts.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("stampede: " + counts + " line 4, column boots: \"-3\" is not a count "
                + "(negative); counts are whole numbers, 0 or more\n");
        assertThat(dir.resolve("out")).as("nothing is written").doesNotExist();
    }

    @Test
    void unknownColumnsExitWith2NamingThemAndTheKnownOnes() throws IOException {
        CliRun run = backtest("--counts", file("time,segment,logins\n").toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("line 1: unknown column logins; the columns are time, segment and any of "
                + "first_attempts, interactive");
    }

    @Test
    void anIntervalOutsideTheBucketsRangeIsAUsageError() throws IOException {
        Path counts = file("time,segment,boots\n2026-11-24T08:00:00Z,eu-west,1\n2026-11-24T10:00:00Z,eu-west,2\n");
        CliRun run = backtest("--counts", counts.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("stampede: " + counts + ": its interval, 7200 s, cannot be the detection "
                + "bucket: ").contains("detection.bucket must be whole seconds between 1s and 1h, got 2h");
    }

    @Test
    void countsAndEventsTogetherAreAUsageError() throws IOException {
        Path counts = file("time,segment,boots\n0,fleet,1\n1000,fleet,1\n");
        CliRun run = backtest("--counts", counts.toString(), "--logins", counts.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("stampede: --counts cannot be combined with --logins or --telemetry: a "
                + "backtest starts from counts or from events, not both\n");
    }

    @Test
    void anEmptyCountsFileIsAUsageError() throws IOException {
        CliRun run = backtest("--counts", file("").toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("is empty; it needs a header row (time,segment,");
    }
}
