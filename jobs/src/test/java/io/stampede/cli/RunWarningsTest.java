package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.Fixtures;
import io.stampede.config.StampedeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a finished run's result is probably not what the user meant, and when it is fine. */
class RunWarningsTest {

    private static final StampedeConfig CONFIG = Fixtures.config();
    private static final Duration WARMUP = CONFIG.detection().warmupTime();
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    private static Map<String, RunWarnings.InputResult> logins(long accepted, long dead) {
        return Map.of("login-events", new RunWarnings.InputResult("--logins", accepted, dead, "malformed JSON: x"));
    }

    @Test
    void aLongEnoughRecordingOfPlausibleTimesGivesNoWarning() {
        long first = Fixtures.T0;
        assertThat(RunWarnings.of(logins(1_000, 3), first, first + WARMUP.toMillis() + 1, WARMUP, NOW)).isEmpty();
    }

    @Test
    void eventTimesMoreThanADayAheadOfNowAreWarnedAbout() {
        long first = NOW.plus(Duration.ofDays(3)).toEpochMilli();
        assertThat(RunWarnings.of(logins(10, 0), first, first + WARMUP.toMillis(), WARMUP, NOW)).singleElement()
                .asString().startsWith("event times run until 2026-12-05T")
                .contains("more than a day after now (2026-12-02T12:00:00Z)");
        long withinADay = NOW.plus(Duration.ofHours(23)).toEpochMilli();
        assertThat(RunWarnings.of(logins(10, 0), withinADay - WARMUP.toMillis(), withinADay, WARMUP, NOW)).isEmpty();
    }

    @Test
    void theTimesOfCountsAreWarnedAboutInTheirOwnWords() {
        long seconds = Fixtures.T0 / 1000;
        assertThat(RunWarnings.times(RunWarnings.TimeWords.COUNTS, seconds, seconds + 120_000, WARMUP, NOW))
                .containsExactly("the counts span only 2.0 min of event time (1970-01-21T18:44:38.400Z to "
                        + "1970-01-21T18:46:38.400Z), less than detection.warmup (10m): no detector can fire; give a "
                        + "longer recording or lower detection.warmup",
                        "the counts' times start at 1970-01-21T18:44:38.400Z, before the year 2000; are epoch seconds "
                        + "given where the time column expects epoch milliseconds?");
    }

    @Test
    void nothingAcceptedIsOneWarningNotAPileOfThem() {
        assertThat(RunWarnings.of(logins(0, 0), null, null, WARMUP, NOW)).singleElement().asString()
                .startsWith("no events were accepted");
        assertThat(RunWarnings.of(logins(0, 7), null, null, WARMUP, NOW)).hasSize(2).first().asString()
                .isEqualTo("every record of login-events (--logins) was refused: 7 dead letters, e.g. "
                        + "\"malformed JSON: x\"; see dead-letters.jsonl");
    }
}
