package io.stampede.plan;

import static io.stampede.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemandForecasterTest {

    private static final long STEP = 10_000;

    private static DemandForecaster.Inputs inputs(double armedRemaining, double armedRate, double slope,
            double[] recent, double base, double safe) {
        double[] pmf = new double[8];
        pmf[4] = 1; // every automatic login comes 40-50 s after its boot
        return new DemandForecaster.Inputs(T0, STEP, 90, ahead -> base, base, armedRemaining, armedRate, slope, 0, recent,
                0.9, pmf, 45_000, 1.0, safe, safe / 0.85, null);
    }

    @Test
    void withoutAWaveTheForecastIsTheBaseline() {
        DemandForecast f = DemandForecaster.forecast(inputs(0, 0, 0, new double[32], 40, 85));
        assertThat(f.peak()).isEqualTo(40);
        assertThat(f.exceedsSafe()).isFalse();
        assertThat(f.remainingWaveLogins()).isZero();
    }

    @Test
    void theArmedPoolBootingBringsAutomaticLoginsAfterTheLearnedDelay() {
        DemandForecast f = DemandForecaster.forecast(inputs(100_000, 60, 0, new double[32], 40, 85));
        assertThat(f.demand()[0]).isEqualTo(40);
        assertThat(f.demand()[4]).isCloseTo(40 + 0.9 * 60, org.assertj.core.data.Offset.offset(0.01));
        assertThat(f.crossSafe()).isEqualTo(4);
        assertThat(f.timeOf(f.crossSafe())).isEqualTo(T0 + 40_000);
    }

    @Test
    void aRisingWaveIsSeenComingMinutesAhead() {
        DemandForecast f = DemandForecaster.forecast(inputs(100_000, 10, 0.4, new double[32], 40, 85));
        assertThat(f.demand()[0]).isLessThan(85);
        assertThat(f.exceedsSafe()).isTrue();
        assertThat(f.crossSafe() * STEP).isGreaterThan(60_000);
    }

    @Test
    void theWaveEndsWhenTheArmedPoolIsEmpty() {
        DemandForecast f = DemandForecaster.forecast(inputs(3_000, 100, 0, new double[32], 40, 85));
        assertThat(f.remainingWaveBoots()).isEqualTo(3_000);
        assertThat(f.demand()[89]).isEqualTo(40);
    }

    @Test
    void devicesThatBootedRecentlyStillBringTheirLogins() {
        double[] recent = new double[32];
        recent[31] = 500;
        DemandForecast f = DemandForecaster.forecast(inputs(0, 0, 0, recent, 40, 85));
        assertThat(f.remainingWaveLogins()).isCloseTo(450, org.assertj.core.data.Offset.offset(1.0));
    }
}
