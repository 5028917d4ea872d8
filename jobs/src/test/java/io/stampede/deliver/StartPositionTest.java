package io.stampede.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartPositionTest {

    @Test
    void firstStartLearnsTheLookbackAndDeliversFromTheEnd() {
        assertThat(StartPosition.of(null, 40L, 100)).isEqualTo(new StartPosition(40, 100));
    }

    @Test
    void restartLearnsTheLookbackAndDeliversFromTheCommittedOffset() {
        assertThat(StartPosition.of(90L, 40L, 100)).isEqualTo(new StartPosition(40, 90));
    }

    @Test
    void committedOffsetOlderThanTheLookbackIsWhereDeliveryResumes() {
        assertThat(StartPosition.of(10L, 40L, 100)).isEqualTo(new StartPosition(10, 10));
    }

    @Test
    void nothingWithinTheLookbackMeansNothingToLearn() {
        assertThat(StartPosition.of(100L, null, 100)).isEqualTo(new StartPosition(100, 100));
        assertThat(StartPosition.of(null, null, 100)).isEqualTo(new StartPosition(100, 100));
    }
}
