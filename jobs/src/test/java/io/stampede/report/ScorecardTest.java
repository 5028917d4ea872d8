package io.stampede.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.alert.AlertType;
import io.stampede.sim.CountScenario;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table aggregates the seeds' figures per scenario and size and says which targets were missed. */
class ScorecardTest {

    private static final CountScenario WAVE = CountScenario.named("update-wave");
    private static final CountScenario QUIET = CountScenario.named("quiet-week");

    private static RunScore wave(int devices, long seed, Long waveDelay, Long surgeDelay, int falseAlarms) {
        List<RunScore.Alarm> alarms = new ArrayList<>();
        for (int i = 0; i < falseAlarms; i++) {
            alarms.add(new RunScore.Alarm(AlertType.LOGIN_SURGE, "2026-11-11T10:00:00Z"));
        }
        boolean met = waveDelay != null && waveDelay <= 30 && surgeDelay != null && surgeDelay <= 30;
        return new RunScore(WAVE.name(), devices, seed, List.of(new RunScore.Detection(AlertType.REBOOT_WAVE, waveDelay),
                new RunScore.Detection(AlertType.LOGIN_SURGE, surgeDelay)), alarms, 2, List.of(), null, met);
    }

    private static RunScore quiet(int devices, long seed, int falseAlarms) {
        List<RunScore.Alarm> alarms = new ArrayList<>();
        for (int i = 0; i < falseAlarms; i++) {
            alarms.add(new RunScore.Alarm(AlertType.LOGIN_SURGE, "2026-11-12T10:00:00Z"));
        }
        return new RunScore(QUIET.name(), devices, seed, List.of(), alarms, 0, List.of(), null, falseAlarms == 0);
    }

    private static Scorecard card() {
        return Scorecard.of(List.of(WAVE, QUIET), List.of(40_000, 4_000_000), List.of(
                wave(40_000, 1, 20L, 40L, 1), wave(40_000, 2, 10L, null, 0), wave(40_000, 3, 30L, 60L, 2),
                wave(4_000_000, 1, 10L, 20L, 0), wave(4_000_000, 2, 10L, 10L, 0),
                quiet(40_000, 1, 0), quiet(40_000, 2, 0), quiet(4_000_000, 1, 3), quiet(4_000_000, 2, 0)));
    }

    @Test
    void aRowHasTheMedianAndMaxDelayOfTheSeedsThatDetectedAndCountsTheMisses() {
        Scorecard.Row row = card().rows().get(0);
        assertThat(row.delays(AlertType.REBOOT_WAVE)).containsExactly(10L, 20L, 30L);
        assertThat(row.delays(AlertType.LOGIN_SURGE)).containsExactly(40L, 60L);
        assertThat(row.missed(AlertType.LOGIN_SURGE)).isEqualTo(1);
        assertThat(row.falseAlarms()).isEqualTo(3);
        assertThat(row.targetMet()).isFalse();
        assertThat(Scorecard.median(List.of(40L, 60L))).isEqualTo(50.0);
    }

    @Test
    void theTableHasOneRowPerScenarioAndSizeAndMarksTheTargets() {
        String md = card().markdown();
        assertThat(md).startsWith("| scenario | devices | REBOOT_WAVE delay median / max | LOGIN_SURGE delay median / max "
                + "| missed | false alarms | target | notes |\n");
        assertThat(md).contains("| update-wave | 40,000 | 20 s / 30 s | 50 s / 60 s | 1 LOGIN_SURGE | 3 | ✗ | "
                + "6 alerts in the 8-day history (not scored) |");
        assertThat(md).contains("| update-wave | 4,000,000 | 10 s / 10 s | 15 s / 20 s | 0 | 0 | ✓ |");
        assertThat(md).contains("| quiet-week | 40,000 | – | – | – | 0 | ✓ |");
        assertThat(md).contains("| quiet-week | 4,000,000 | – | – | – | 3 | ✗ |");
        assertThat(md.lines()).hasSize(2 + 4);
    }

    @Test
    void theVerdictNamesEveryMissedTargetInOneLine() {
        String verdict = card().verdict();
        assertThat(verdict).isEqualTo("Targets missed: update-wave at 40,000 devices (LOGIN_SURGE missed in 1 of 3, "
                + "LOGIN_SURGE later than 30 s in 2 of 3); quiet-week at 4,000,000 devices (3 false alarms).");
        assertThat(Scorecard.of(List.of(QUIET), List.of(40_000), List.of(quiet(40_000, 1, 0))).verdict())
                .isEqualTo("Every target met.");
    }

    @Test
    void theJsonHoldsEveryRowAndEveryRun() {
        var json = card().json();
        assertThat(json.get("rows")).hasSize(4);
        assertThat(json.get("runs")).hasSize(9);
        assertThat(json.get("rows").get(0).get("delaySeconds").get("LOGIN_SURGE").get("median").asDouble()).isEqualTo(50);
        assertThat(json.get("scenarios").get(0).get("onset").asText()).isEqualTo("2026-11-10T03:00:00Z");
    }
}
