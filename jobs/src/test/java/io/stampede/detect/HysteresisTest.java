package io.stampede.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.detect.Hysteresis.Transition;
import org.junit.jupiter.api.Test;

class HysteresisTest {

    private static final long B = 10_000;

    private static Transition step(Hysteresis h, int bucket, boolean hot, boolean calm) {
        return h.update(bucket * B, (bucket + 1) * B, hot, calm, 2 * B, 6 * B);
    }

    @Test
    void firesOnlyAfterTheConditionHeldLongEnoughAndDatesTheOnsetBack() {
        Hysteresis h = new Hysteresis();
        assertThat(step(h, 0, true, false)).isEqualTo(Transition.NONE);
        assertThat(h.isDisturbed()).isTrue();
        assertThat(step(h, 1, true, false)).isEqualTo(Transition.FIRED);
        assertThat(h.onset()).isEqualTo(0);
    }

    @Test
    void aSingleHotBucketDoesNotFireAndIsForgotten() {
        Hysteresis h = new Hysteresis();
        step(h, 0, true, false);
        assertThat(step(h, 1, false, true)).isEqualTo(Transition.NONE);
        assertThat(h.isDisturbed()).isFalse();
        assertThat(step(h, 2, true, false)).isEqualTo(Transition.NONE);
    }

    @Test
    void doesNotFlapWhileTheSignalHoversBetweenThresholds() {
        Hysteresis h = new Hysteresis();
        step(h, 0, true, false);
        step(h, 1, true, false);
        int transitions = 0;
        for (int b = 2; b < 40; b++) {
            boolean calm = b % 3 == 0;
            if (step(h, b, false, calm) != Transition.NONE) {
                transitions++;
            }
        }
        assertThat(transitions).isZero();
        assertThat(h.isActive()).isTrue();
    }

    @Test
    void resolvesAfterACalmStretchAndDatesTheEndBack() {
        Hysteresis h = new Hysteresis();
        step(h, 0, true, false);
        step(h, 1, true, false);
        for (int b = 2; b < 7; b++) {
            assertThat(step(h, b, false, true)).isEqualTo(Transition.NONE);
        }
        assertThat(step(h, 7, false, true)).isEqualTo(Transition.RESOLVED);
        assertThat(h.endedAt()).isEqualTo(2 * B);
        assertThat(h.isActive()).isFalse();
    }
}
