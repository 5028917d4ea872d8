package io.stampede.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

class PairingSampleTest {

    @Test
    void takesOneDeviceInNAndTheSameOnesEveryTime() {
        PairingSample sample = new PairingSample(8);
        int n = 1_000_000;
        int in = 0;
        for (int i = 0; i < n; i++) {
            if (sample.contains("dev-" + i)) {
                in++;
            }
        }
        assertThat(in / (double) n).isCloseTo(1 / 8.0, within(0.002));
        assertThat(new PairingSample(8).contains("dev-42")).isEqualTo(sample.contains("dev-42"));
        assertThat(PairingSample.everyDevice().contains("any")).isTrue();
    }

    /**
     * Flink puts a key in a key group by a murmur hash of its hashCode: a sample made the same way
     * would put every sampled device in the same few key groups, and so on one parallel instance.
     */
    @Test
    void spreadsTheSampledDevicesOverEveryParallelInstance() {
        PairingSample sample = new PairingSample(8);
        int parallelism = 4;
        int[] sampled = new int[parallelism];
        int[] all = new int[parallelism];
        for (int i = 0; i < 400_000; i++) {
            String d = "dev-" + i;
            int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(d, 128, parallelism);
            all[subtask]++;
            if (sample.contains(d)) {
                sampled[subtask]++;
            }
        }
        for (int s = 0; s < parallelism; s++) {
            assertThat(sampled[s] / (double) all[s]).as("instance %d", s).isCloseTo(1 / 8.0, within(0.005));
        }
    }

    @Test
    void refusesASampleOfLessThanOneInOne() {
        assertThatThrownBy(() -> new PairingSample(0)).hasMessageContaining("at least 1");
    }
}
