package io.stampede.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ArmedPoolForecasterTest {

    private static final long T = 1_800_000_000_000L;
    private static final long WINDOW = 20 * 60_000L;

    private static ArmedPoolForecaster.Pool pool(long devices) {
        return new ArmedPoolForecaster.Pool("u", devices, T, WINDOW, "default", 0.35);
    }

    @Test
    void theWholePoolRebootsWithinItsWindowPeakingWhereTheShapeSays() {
        double[] boots = ArmedPoolForecaster.bootsPerStep(pool(12_000), T - 60_000, 10_000, 140);
        double sum = 0;
        int peak = 0;
        for (int j = 0; j < boots.length; j++) {
            sum += boots[j];
            if (boots[j] > boots[peak]) {
                peak = j;
            }
            if (j < 6 || j >= 6 + 120) {
                assertThat(boots[j]).as("step %d, outside the window", j).isZero();
            }
        }
        assertThat(sum).isCloseTo(12_000, within(1e-6));
        assertThat(peak - 6).as("peak step within the window").isBetween(41, 42);
    }

    @Test
    void aPoolPartlyRebootedSpreadsWhatIsLeftOverTheRestOfItsWindow() {
        long now = T + WINDOW / 2;
        double[] boots = ArmedPoolForecaster.bootsPerStep(pool(3_000), now, 10_000, 90);
        double sum = 0;
        for (double b : boots) {
            sum += b;
        }
        assertThat(sum).isCloseTo(3_000, within(1e-6));
        assertThat(pool(3_000).pending(now)).isTrue();
        assertThat(pool(3_000).pending(T + WINDOW)).as("its window is over: the deadline did not hold").isFalse();
    }

    @Test
    void theWindowLearnedFromADrainIsTheOneThatWouldHaveDrainedItSo() {
        ArmedPoolForecaster.Pool p = pool(1);
        for (double share : new double[] {0.2, 0.5, 0.9}) {
            long t = 0;
            while (p.rebootedBy(T + t) < share) {
                t += 1_000;
            }
            assertThat(ArmedPoolForecaster.windowFromDrain(t, share, 0.35)).isCloseTo(WINDOW, within(5_000L));
        }
    }

    @Test
    void theOutlookSaysWhenThePoolsLoginsWouldCrossSafeCapacity() {
        // 30,000 devices, 80 % logging in 45 s after their boot, on a baseline of 5/s.
        ArmedPoolForecaster.Outlook o = ArmedPoolForecaster.outlook(pool(30_000), T - 3_600_000L, 30_000, a -> 5, 0.8,
                45_000, 1, 34, 6 * 3_600_000L);
        assertThat(o.crosses()).isTrue();
        assertThat(o.crossesAt()).isBetween(T, T + WINDOW);
        assertThat(o.peakDemand()).isBetween(40.0, 46.0);
        ArmedPoolForecaster.Outlook small = ArmedPoolForecaster.outlook(pool(5_000), T - 3_600_000L, 30_000, a -> 5,
                0.8, 45_000, 1, 34, 6 * 3_600_000L);
        assertThat(small.crosses()).isFalse();
    }
}
