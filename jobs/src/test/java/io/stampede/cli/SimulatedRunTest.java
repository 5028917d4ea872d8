package io.stampede.cli;

import static io.stampede.Fixtures.config;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.config.ConfigException;
import org.junit.jupiter.api.Test;

class SimulatedRunTest {

    @Test
    void theSimulatedFrontDoorNeedsDirectivesAfterTheirBucketCloses() {
        assertThatCode(() -> SimulatedRun.checkClosedLoop(config())).doesNotThrowAnyException();
        assertThatThrownBy(() -> SimulatedRun.checkClosedLoop(config("throttle.controlLatency=10s")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("throttle.controlLatency must be at least input.outOfOrderness + detection.bucket + 1s "
                        + "(16s) for the simulated front door: a directive cannot reach it before its bucket closes");
    }
}
