package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stampede scorecard}: the table on the console, the files in --out, and its option checks. */
class ScorecardCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsTheTableAndTheTargetsAndWritesEveryRun() throws Exception {
        CliRun r = CliRun.of("scorecard", "--scenario", "flash-crowd", "--sizes", "4000", "--seeds", "2",
                "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| scenario | devices | LOGIN_SURGE delay median / max |")
                .contains("| flash-crowd | 4,000 |")
                .contains("Targets: flash-crowd: LOGIN_SURGE within 30 s of the onset, every seed.")
                .containsPattern("(Every target met\\.|Targets missed: flash-crowd at 4,000 devices \\(.*\\)\\.)\n");
        JsonNode json = Json.MAPPER.readTree(dir.resolve("scorecard.json").toFile());
        assertThat(json.get("runs")).hasSize(2);
        assertThat(json.get("runs").get(1).get("seed").asLong()).isEqualTo(2);
        assertThat(json.get("scenarios").get(0).get("name").asText()).isEqualTo("flash-crowd");
        assertThat(Files.readString(dir.resolve("scorecard.md"))).contains("| flash-crowd | 4,000 |");
    }

    @Test
    void anUnknownScenarioOrNoSeedIsAUsageError() {
        CliRun unknown = CliRun.of("scorecard", "--scenario", "tsunami");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("--scenario: unknown scenario 'tsunami'; known: update-wave, power-loss, "
                + "flash-crowd, quiet-week, daily-step, level-shift, heavy-tails");
        assertThat(CliRun.of("scorecard", "--seeds", "0").code()).isEqualTo(2);
        assertThat(CliRun.of("scorecard", "--sizes", "0").code()).isEqualTo(2);
    }
}
