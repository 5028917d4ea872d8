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
    void nothingAcceptedIsOneWarningNotAPileOfThem() {
        assertThat(RunWarnings.of(logins(0, 0), null, null, WARMUP, NOW)).singleElement().asString()
                .startsWith("no events were accepted");
        assertThat(RunWarnings.of(logins(0, 7), null, null, WARMUP, NOW)).hasSize(2).first().asString()
                .isEqualTo("every record of login-events (--logins) was refused: 7 dead letters, e.g. "
                        + "\"malformed JSON: x\"; see dead-letters.jsonl");
    }
}
