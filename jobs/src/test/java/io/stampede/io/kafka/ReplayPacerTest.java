package io.stampede.io.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The replay's pace as arithmetic: event time in, wall-clock waits out (no clock involved). */
class ReplayPacerTest {

    private static final long T0 = 1_795_000_000_000L;
    private static final long SECOND = 1_000_000_000L;

    @Nested
    class Speeds {

        @Test
        void readsMaxRealtimeAndFactors() {
            assertThat(ReplaySpeed.parse("max").isMax()).isTrue();
            assertThat(ReplaySpeed.parse("realtime").factor()).isEqualTo(1);
            assertThat(ReplaySpeed.parse("10x").factor()).isEqualTo(10);
            assertThat(ReplaySpeed.parse("0.5x").factor()).isEqualTo(0.5);
            assertThat(ReplaySpeed.parse(" 2.5X ").factor()).isEqualTo(2.5);
            assertThat(ReplaySpeed.parse("60x")).hasToString("60x");
            assertThat(ReplaySpeed.parse("1x")).hasToString("realtime");
            assertThat(ReplaySpeed.parse("0.5x")).hasToString("0.5x");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "fast", "10", "x", "0x", "-2x", "1e3x", "10 x", "NaNx", "9999999x"})
        void refusesAnythingElseWithTheForms(String bad) {
            assertThatThrownBy(() -> ReplaySpeed.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a replay speed: use max, realtime or a factor of real time such as 10x");
        }

        @Test
        void aFactorDividesEventTime() {
            assertThat(ReplaySpeed.parse("10x").dueNanos(60_000)).isEqualTo(6 * SECOND);
            assertThat(ReplaySpeed.parse("0.5x").dueNanos(1_000)).isEqualTo(2 * SECOND);
            assertThat(ReplaySpeed.MAX.dueNanos(3_600_000)).isZero();
        }
    }

    @Test
    void theFirstRecordGoesAtOnceAndLaterOnesAreDueAtTheirEventTimeOverTheSpeed() {
        ReplayPacer pacer = new ReplayPacer(ReplaySpeed.parse("10x"));
        long start = 5 * SECOND;
        assertThat(pacer.waitNanos(T0, start)).isZero();
        // 10 s of event time at 10x: due 1 s after the start.
        assertThat(pacer.waitNanos(T0 + 10_000, start)).isEqualTo(SECOND);
        // Asked again later (after sleeping part of the time): only the rest.
        assertThat(pacer.waitNanos(T0 + 20_000, start + SECOND + SECOND / 2)).isEqualTo(SECOND / 2);
        assertThat(pacer.eventClock()).isEqualTo(T0 + 20_000);
    }

    @Test
    void recordsOlderThanTheReplayClockAreNotWaitedFor() {
        ReplayPacer pacer = new ReplayPacer(ReplaySpeed.REALTIME);
        pacer.waitNanos(T0, 0);
        assertThat(pacer.waitNanos(T0 + 3_000, 0)).isEqualTo(3 * SECOND);
        assertThat(pacer.waitNanos(T0 + 1_000, 3 * SECOND)).isZero();
        assertThat(pacer.eventClock()).isEqualTo(T0 + 3_000);
    }

    @Test
    void aReplayThatFellBehindCatchesUpWithoutWaiting() {
        ReplayPacer pacer = new ReplayPacer(ReplaySpeed.parse("2x"));
        pacer.waitNanos(T0, 0);
        // 10 s of event time were due after 5 s; the producer needed 8 s.
        assertThat(pacer.waitNanos(T0 + 10_000, 8 * SECOND)).isZero();
        // The schedule is kept: 20 s of event time are due 10 s after the start.
        assertThat(pacer.waitNanos(T0 + 20_000, 8 * SECOND)).isEqualTo(2 * SECOND);
    }

    @Test
    void maxNeverWaitsButFollowsTheEventClock() {
        ReplayPacer pacer = new ReplayPacer(ReplaySpeed.MAX);
        assertThat(pacer.waitNanos(T0, 0)).isZero();
        assertThat(pacer.waitNanos(T0 + 86_400_000L, 0)).isZero();
        assertThat(pacer.eventClock()).isEqualTo(T0 + 86_400_000L);
    }
}
