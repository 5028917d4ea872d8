package io.stampede.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.Fixtures;
import org.junit.jupiter.api.Test;

class OutputTimestampsTest {

    private static final long NOW = Fixtures.T0 + 86_400_000L * 30;

    @Test
    void writeTimeStampsEveryOutputWithTheClockWhateverItsEventTime() {
        assertThat(OutputTimestamps.WRITE_TIME.recordTimestamp(Fixtures.T0, NOW)).isEqualTo(NOW);
        assertThat(OutputTimestamps.WRITE_TIME.recordTimestamp(null, NOW)).isEqualTo(NOW);
    }

    @Test
    void eventTimeKeepsPastEventTimesButNeverStampsTheFutureWhichBrokersRefuse() {
        assertThat(OutputTimestamps.EVENT_TIME.recordTimestamp(Fixtures.T0, NOW)).isEqualTo(Fixtures.T0);
        assertThat(OutputTimestamps.EVENT_TIME.recordTimestamp(NOW + 7_200_000L, NOW)).isEqualTo(NOW);
        assertThat(OutputTimestamps.EVENT_TIME.recordTimestamp(null, NOW)).isEqualTo(NOW);
    }

    @Test
    void theDefaultIsWriteTimeAndAnUnknownValueIsAClearConfigurationError() {
        assertThat(ConfigLoader.defaults().kafka().outputTimestamps()).isEqualTo(OutputTimestamps.WRITE_TIME);
        assertThatThrownBy(() -> ConfigLoader.load(null, java.util.List.of("kafka.outputTimestamps=now")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("setting 'kafka.outputTimestamps': must be write-time or event-time, got \"now\"");
    }
}
