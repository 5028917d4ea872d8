package io.stampede.plan;

import static io.stampede.Fixtures.T0;
import static io.stampede.Fixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.admission.ThrottleDirective;
import io.stampede.admission.ThrottleDirective.Action;
import io.stampede.event.Timestamps;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ThrottlePlannerTest {

    private static final long B = 10_000;
    /** ttl 2m, renewEvery 30s, controlLatency 20s, releaseStep 0.1, releaseInterval 20s, retry-after 15s to 10m. */
    private final ThrottlePlanner planner = new ThrottlePlanner(config().throttle());

    private static DemandForecast forecast(long now, double demandNow, double peak, double safe) {
        double[] d = new double[90];
        Arrays.fill(d, peak);
        d[0] = demandNow;
        d[1] = demandNow;
        return new DemandForecast(now, B, d, demandNow, safe, safe / 0.85, peak > safe ? 2 : -1, -1, 2, peak, 0.9,
                45_000, 1, 0, 0);
    }

    @Test
    void admitsInteractiveFirstThenRefreshesAndDefersTheRest() {
        double[] f = ThrottlePlanner.allocate(100, new double[] {30, 40, 80, 20});
        assertThat(f[0]).isEqualTo(1);
        assertThat(f[1]).isEqualTo(1);
        assertThat(f[2]).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(f[3]).isEqualTo(f[2]);
        double admitted = 30 + 40 + 80 * f[2] + 20 * f[3];
        assertThat(admitted).isCloseTo(100, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void isNeverMoreRestrictiveThanNeeded() {
        double[] f = ThrottlePlanner.allocate(100, new double[] {10, 20, 30, 5});
        assertThat(f).containsOnly(1.0);
        double[] tight = ThrottlePlanner.allocate(100, new double[] {120, 20, 30, 5});
        assertThat(tight[0]).isCloseTo(100.0 / 120, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(tight[1]).isZero();
    }

    @Test
    void throttlesWhileAtRiskThenReleasesStepByStepAndLifts() {
        ThrottleState s = new ThrottleState();
        double[] rates = {10, 20, 60, 10};
        ThrottleDirective first = planner.plan(s, "eu", T0, forecast(T0, 100, 140, 85), rates, true, "a1", "inc1");
        assertThat(first.state()).isEqualTo(ThrottleDirective.State.THROTTLE);
        assertThat(first.admitPerSec()).isEqualTo(85.0);
        assertThat(first.expiresAt()).isEqualTo(Timestamps.format(T0 + 120_000));
        assertThat(first.triggerPolicy().interactive().action()).isEqualTo(Action.ADMIT);
        assertThat(first.triggerPolicy().auto().action()).isEqualTo(Action.LIMIT);
        assertThat(first.triggerPolicy().auto().admitFraction()).isLessThan(1);
        assertThat(first.retryAfter().minSeconds()).isEqualTo(15);
        assertThat(first.retryAfter().maxSeconds()).isBetween(45, 600);
        assertThat(first.causeAlertId()).isEqualTo("a1");

        long t = T0 + B;
        ThrottleDirective last = first;
        int releases = 0;
        for (int i = 0; i < 100; i++, t += B) {
            ThrottleDirective d = planner.plan(s, "eu", t, forecast(t, 40, 40, 85), new double[] {10, 20, 10, 0}, false,
                    null, null);
            if (d != null) {
                if (d.state() == ThrottleDirective.State.RELEASE) {
                    releases++;
                    assertThat(d.triggerPolicy().auto().admitFraction())
                            .isGreaterThanOrEqualTo(last.triggerPolicy().auto().admitFraction());
                }
                last = d;
                if (d.state() == ThrottleDirective.State.LIFTED) {
                    break;
                }
            }
        }
        assertThat(releases).as("released in several steps").isGreaterThan(3);
        assertThat(last.state()).isEqualTo(ThrottleDirective.State.LIFTED);
        assertThat(last.admitPerSec()).isNull();
        assertThat(s.mode()).isEqualTo(ThrottleState.Mode.IDLE);
    }

    @Test
    void renewsAnUnchangedDirectiveBeforeItExpires() {
        ThrottleState s = new ThrottleState();
        double[] rates = {10, 20, 60, 10};
        planner.plan(s, "eu", T0, forecast(T0, 100, 140, 85), rates, true, "a1", "inc1");
        int issued = 0;
        for (long t = T0 + B; t <= T0 + 120_000; t += B) {
            if (planner.plan(s, "eu", t, forecast(t, 100, 140, 85), rates, true, "a1", "inc1") != null) {
                issued++;
            }
        }
        assertThat(issued).isBetween(4, 12);
    }

    @Test
    void saysNothingWhenThereIsNoRisk() {
        ThrottleState s = new ThrottleState();
        assertThat(planner.plan(s, "eu", T0, forecast(T0, 40, 40, 85), new double[4], false, null, null)).isNull();
    }

    @Test
    void defersEverythingWhileNoNodeIsHealthyAndKeepsSayingSo() {
        ThrottleState s = new ThrottleState();
        ThrottleDirective d = planner.plan(s, "eu", T0, forecast(T0, 400, 400, 0), new double[] {10, 20, 300, 70}, true,
                "a", "i");
        assertThat(d.admitPerSec()).isZero();
        assertThat(d.triggerPolicy().interactive().action()).isEqualTo(Action.DEFER);
        assertThat(planner.plan(s, "eu", T0 + 60_000, forecast(T0 + 60_000, 400, 400, 0),
                new double[] {10, 20, 300, 70}, true, "a", "i")).as("renewed").isNotNull();
    }
}
