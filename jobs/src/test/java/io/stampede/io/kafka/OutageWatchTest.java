package io.stampede.io.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.io.kafka.OutageWatch.Change;
import org.junit.jupiter.api.Test;

/** When a replay says the broker stopped answering and when it is back: once each, from acknowledgements. */
class OutageWatchTest {

    private static final long S = 1_000_000_000L;

    private final OutageWatch watch = new OutageWatch(5 * S);

    @Test
    void recordsWaitingWithoutAnAnswerForTheSilenceAreAnOutageSaidOnce() {
        assertThat(watch.check(4 * S, 10, 0)).isEqualTo(Change.NONE);
        assertThat(watch.check(5 * S, 10, 0)).isEqualTo(Change.SILENT);
        assertThat(watch.silentSinceNanos()).isZero();
        assertThat(watch.check(30 * S, 5_000, 0)).as("said once, however long it lasts").isEqualTo(Change.NONE);
        assertThat(watch.silent()).isTrue();
    }

    @Test
    void theFirstAnswerAfterAnOutageEndsItWithItsLength() {
        watch.check(6 * S, 10, S);
        assertThat(watch.check(80 * S, 10, 76 * S)).isEqualTo(Change.BACK);
        assertThat(watch.silentNanos()).isEqualTo(75 * S);
        assertThat(watch.check(81 * S, 10, 80 * S)).isEqualTo(Change.NONE);
        assertThat(watch.silent()).isFalse();
    }

    @Test
    void anIdleProducerIsNeverSilentNorAnAnsweringOne() {
        assertThat(watch.check(60 * S, 0, 0)).as("nothing waits").isEqualTo(Change.NONE);
        assertThat(watch.check(61 * S, 100, 59 * S)).as("answered two seconds ago").isEqualTo(Change.NONE);
    }
}
