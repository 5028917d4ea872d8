package io.stampede.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.alert.Alert;
import io.stampede.alert.AlertStatus;
import io.stampede.alert.AlertType;
import io.stampede.alert.Severity;
import io.stampede.event.Timestamps;
import io.stampede.sim.CountScenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scoring measures delay, misses and false alarms from the alerts of a run, whatever the detectors are. */
class ScoringTest {

    private static final CountScenario WAVE = CountScenario.named("update-wave");
    private static final Instant ONSET = WAVE.onset();

    /** The alert states of a run, written as a test needs them. */
    static final class Alerts {
        final List<Alert> list = new ArrayList<>();

        /** A new alert of {@code type}, named {@code key}, detected at {@code at}. */
        Alerts fire(String key, AlertType type, Instant at) {
            return add(key, type, AlertStatus.FIRING, 1, at);
        }

        Alerts update(String key, AlertType type, int sequence, Instant at) {
            return add(key, type, AlertStatus.FIRING, sequence, at);
        }

        Alerts resolve(String key, AlertType type, Instant at) {
            return add(key, type, AlertStatus.RESOLVED, 99, at);
        }

        private Alerts add(String key, AlertType type, AlertStatus status, int sequence, Instant at) {
            String time = Timestamps.format(at.toEpochMilli());
            list.add(new Alert(key + "#" + sequence, key, "inc-1", sequence, type, status, Severity.WARNING,
                    "region-40k", time, time, status == AlertStatus.RESOLVED ? time : null, "summary", null, List.of(),
                    null, List.of(), "RUNBOOK.md", false, null));
            return this;
        }
    }

    private static Instant after(Instant t, int seconds) {
        return t.plusSeconds(seconds);
    }

    private static RunScore score(CountScenario scenario, Alerts alerts) {
        return Scoring.score(scenario, 40_000, 1, alerts.list);
    }

    @Test
    void delayRunsFromTheOnsetToTheFirstNewAlertOfEachExpectedType() {
        RunScore s = score(WAVE, new Alerts()
                .fire("wave", AlertType.REBOOT_WAVE, after(ONSET, 20))
                .update("wave", AlertType.REBOOT_WAVE, 2, after(ONSET, 140))
                .fire("surge", AlertType.LOGIN_SURGE, after(ONSET, 90))
                .resolve("wave", AlertType.REBOOT_WAVE, after(ONSET, 1800)));
        assertThat(s.detections()).containsExactly(new RunScore.Detection(AlertType.REBOOT_WAVE, 20L),
                new RunScore.Detection(AlertType.LOGIN_SURGE, 90L));
        assertThat(s.falseAlarms()).isEmpty();
        assertThat(s.targetMet()).isFalse();

        RunScore fast = score(WAVE, new Alerts()
                .fire("wave", AlertType.REBOOT_WAVE, after(ONSET, 20))
                .fire("surge", AlertType.LOGIN_SURGE, after(ONSET, 30)));
        assertThat(fast.targetMet()).isTrue();
    }

    @Test
    void anExpectedTypeIsMissedWhenNoNewAlertOfItComesWithinTheDisturbance() {
        Instant end = WAVE.disturbanceEnd();
        RunScore s = score(WAVE, new Alerts()
                // Open before the onset (something else raised it), still open during the wave: no detection.
                .fire("early", AlertType.REBOOT_WAVE, after(ONSET, -60))
                .update("early", AlertType.REBOOT_WAVE, 2, after(ONSET, 60))
                // A bucket ending at the onset holds nothing of the disturbance.
                .fire("at-onset", AlertType.LOGIN_SURGE, ONSET)
                .fire("late", AlertType.LOGIN_SURGE, after(end, 10)));
        assertThat(s.detections()).allMatch(RunScore.Detection::missed);
        assertThat(s.falseAlarms()).extracting(RunScore.Alarm::type)
                .containsExactly(AlertType.REBOOT_WAVE, AlertType.LOGIN_SURGE, AlertType.LOGIN_SURGE);
        assertThat(s.targetMet()).isFalse();
    }

    @Test
    void newAlertsBeyondTheDetectionsAreFalseAlarmsButNotDuringTheHistory() {
        Instant historyDay = WAVE.start().plus(Duration.ofDays(3));
        RunScore s = score(WAVE, new Alerts()
                .fire("history", AlertType.LOGIN_SURGE, historyDay)
                .fire("wave", AlertType.REBOOT_WAVE, after(ONSET, 20))
                .fire("surge", AlertType.LOGIN_SURGE, after(ONSET, 30))
                .resolve("surge", AlertType.LOGIN_SURGE, after(ONSET, 200))
                .fire("surge-again", AlertType.LOGIN_SURGE, after(ONSET, 300))
                .fire("storm", AlertType.RETRY_STORM, after(ONSET, 60))
                .fire("evening", AlertType.LOGIN_SURGE, after(ONSET, 15 * 3600)));
        assertThat(s.historyAlarms()).isEqualTo(1);
        assertThat(s.falseAlarms()).extracting(RunScore.Alarm::type)
                .containsExactly(AlertType.LOGIN_SURGE, AlertType.RETRY_STORM, AlertType.LOGIN_SURGE);
        // The delays are the target; false alarms of a disturbance's run are shown, not judged.
        assertThat(s.targetMet()).isTrue();
    }

    @Test
    void aSilentScenarioCountsEveryNewAlertOnceAsFalse() {
        CountScenario quiet = CountScenario.named("quiet-week");
        Instant day10 = quiet.start().plus(Duration.ofDays(9));
        RunScore s = score(quiet, new Alerts()
                .fire("a", AlertType.LOGIN_SURGE, day10)
                .update("a", AlertType.LOGIN_SURGE, 2, after(day10, 120))
                .resolve("a", AlertType.LOGIN_SURGE, after(day10, 300)));
        assertThat(s.falseAlarms()).hasSize(1);
        assertThat(s.detections()).isEmpty();
        assertThat(s.targetMet()).isFalse();
        assertThat(score(quiet, new Alerts()).targetMet()).isTrue();
    }

    @Test
    void dailyStepCountsAlertsPerDayAndFalseFromTheThirdDay() {
        CountScenario step = CountScenario.named("daily-step");
        Instant nine = step.onset();
        Alerts alerts = new Alerts()
                .fire("d1", AlertType.LOGIN_SURGE, after(nine, 30))
                .fire("d1b", AlertType.LOGIN_SURGE, after(nine, 3600 * 5))
                .fire("d2", AlertType.LOGIN_SURGE, after(nine, 86_400 + 30));
        RunScore learning = score(step, alerts);
        assertThat(learning.falseAlarms()).isEmpty();
        assertThat(learning.targetMet()).isTrue();
        assertThat(learning.alarmsPerDay()).hasSize(14).startsWith(2, 1, 0);

        RunScore late = score(step, alerts.fire("d3", AlertType.LOGIN_SURGE, after(nine, 2 * 86_400 + 30)));
        assertThat(late.falseAlarms()).hasSize(1);
        assertThat(late.alarmsPerDay()).startsWith(2, 1, 1, 0);
        assertThat(late.targetMet()).isFalse();
    }

    @Test
    void levelShiftMayRaiseOneAlertThatResolvesAndSaysHowLongItWasOpen() {
        CountScenario shift = CountScenario.named("level-shift");
        Instant at = shift.onset();
        RunScore resolved = score(shift, new Alerts()
                .fire("s", AlertType.LOGIN_SURGE, after(at, 20))
                .resolve("s", AlertType.LOGIN_SURGE, after(at, 20 + 5400)));
        assertThat(resolved.newNormal()).isEqualTo(new RunScore.NewNormal(
                new RunScore.Alarm(AlertType.LOGIN_SURGE, Timestamps.format(after(at, 20).toEpochMilli())), true, 5400));
        assertThat(resolved.falseAlarms()).isEmpty();
        assertThat(resolved.targetMet()).isTrue();

        RunScore open = score(shift, new Alerts().fire("s", AlertType.LOGIN_SURGE, after(at, 20)));
        assertThat(open.newNormal().resolved()).isFalse();
        assertThat(open.newNormal().openSeconds())
                .isEqualTo(Duration.between(after(at, 20), shift.end()).toSeconds());
        assertThat(open.targetMet()).isFalse();

        RunScore twice = score(shift, new Alerts()
                .fire("before", AlertType.LOGIN_SURGE, after(at, -3600))
                .fire("s", AlertType.LOGIN_SURGE, after(at, 20))
                .resolve("s", AlertType.LOGIN_SURGE, after(at, 600))
                .fire("s2", AlertType.LOGIN_SURGE, after(at, 900)));
        assertThat(twice.falseAlarms()).hasSize(2);
        assertThat(twice.newNormal().openSeconds()).isEqualTo(580);
        assertThat(twice.targetMet()).isFalse();

        RunScore none = score(shift, new Alerts());
        assertThat(none.newNormal().alert()).isNull();
        assertThat(none.targetMet()).isTrue();
    }

    @Test
    void everyScenarioHasAnExpectation() {
        for (CountScenario s : CountScenario.all()) {
            Expectation e = Expectation.of(s);
            assertThat(e.target()).isNotBlank();
            assertThat(e.kind() == Expectation.Kind.DETECT).isEqualTo(s.disturbanceEnd() != null);
        }
    }
}
