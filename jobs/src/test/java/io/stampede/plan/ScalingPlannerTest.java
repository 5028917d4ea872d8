package io.stampede.plan;

import static io.stampede.Fixtures.MINUTE;
import static io.stampede.Fixtures.T0;
import static io.stampede.Fixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.event.Timestamps;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ScalingPlannerTest {

    /** nodeStartup 3m, scaleDownAfter 15m, emitEvery 1m, safeUtilization 0.85. */
    private final ScalingPlanner planner = new ScalingPlanner(config().scaling(), config().capacity());

    private static DemandForecast forecast(long now, double peak, int crossSafe) {
        double[] d = new double[90];
        Arrays.fill(d, peak);
        return new DemandForecast(now, 10_000, d, peak, 85, 100, crossSafe, -1, 0, peak, 0.9, 45_000, 1, 0, 0);
    }

    @Test
    void asksForEnoughNodesToCarryThePeakAtSafeUtilisationInTime() {
        ScalingSignal s = planner.plan(new ScalingState(), "eu", T0, forecast(T0, 170, 30), 4, 25, "alert-1");
        assertThat(s.direction()).isEqualTo(ScalingSignal.Direction.UP);
        assertThat(s.desiredNodes()).isEqualTo(8);
        assertThat(s.desiredCapacityPerSec()).isEqualTo(200.0);
        assertThat(s.neededBy()).isEqualTo(Timestamps.format(T0 + 300_000 - 3 * MINUTE));
        assertThat(s.causeAlertId()).isEqualTo("alert-1");
    }

    @Test
    void scalesDownOnlyAfterTheStabilisationWindow() {
        ScalingState state = new ScalingState();
        ScalingSignal.Direction last = null;
        long t = T0;
        for (; t < T0 + 14 * MINUTE; t += MINUTE) {
            last = planner.plan(state, "eu", t, forecast(t, 30, -1), 4, 25, null).direction();
        }
        assertThat(last).isEqualTo(ScalingSignal.Direction.HOLD);
        ScalingSignal down = null;
        for (; t <= T0 + 16 * MINUTE; t += MINUTE) {
            down = planner.plan(state, "eu", t, forecast(t, 30, -1), 4, 25, null);
        }
        assertThat(down.direction()).isEqualTo(ScalingSignal.Direction.DOWN);
        assertThat(down.desiredNodes()).isEqualTo(2);
        assertThat(down.neededBy()).isNull();
    }
}
