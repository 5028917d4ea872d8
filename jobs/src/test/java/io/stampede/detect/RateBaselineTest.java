package io.stampede.detect;

import static io.stampede.Fixtures.HOUR;
import static io.stampede.Fixtures.MINUTE;
import static io.stampede.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RateBaselineTest {

    private static final long BUCKET = 10_000;
    private final RateBaseline.Params params = RateBaseline.Params.of(BUCKET, 10 * MINUTE, 30 * MINUTE, 10 * MINUTE);
    private final Random random = new Random(5);

    /** Poisson-ish counts per bucket for a rate per second. */
    private double observe(double ratePerSec) {
        double mean = ratePerSec * BUCKET / 1000.0;
        return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian())) / (BUCKET / 1000.0);
    }

    @Test
    void learnsAConstantLevelAndIsWarmAfterTheWarmup() {
        RateBaseline b = new RateBaseline();
        long t = T0;
        for (int i = 0; i < 30; i++, t += BUCKET) {
            b.learn(t, observe(50), false, params);
        }
        assertThat(b.isWarm(params)).isFalse();
        for (int i = 0; i < 60; i++, t += BUCKET) {
            b.learn(t, observe(50), false, params);
        }
        assertThat(b.isWarm(params)).isTrue();
        assertThat(b.expected(t)).isCloseTo(50, org.assertj.core.data.Offset.offset(3.0));
    }

    @Test
    void aSlowRampStaysWithinNoiseButASteepRiseStandsOut() {
        RateBaseline b = new RateBaseline();
        long t = T0;
        for (int i = 0; i < 120; i++, t += BUCKET) {
            b.learn(t, observe(20), false, params);
        }
        double maxRampScore = 0;
        // Morning ramp: 20/s to 60/s over two hours.
        for (int i = 0; i < 720; i++, t += BUCKET) {
            double rate = observe(20 + 40.0 * i / 720);
            maxRampScore = Math.max(maxRampScore, b.score(rate, b.expected(t), params));
            b.learn(t, rate, false, params);
        }
        assertThat(maxRampScore).isLessThan(5);
        // Surge: from 60/s to 150/s within a minute.
        double surgeScore = 0;
        for (int i = 0; i < 6; i++, t += BUCKET) {
            double rate = observe(60 + 90.0 * (i + 1) / 6);
            surgeScore = b.score(rate, b.expected(t), params);
            b.learn(t, rate, true, params);
        }
        assertThat(surgeScore).isGreaterThan(10);
    }

    @Test
    void anAnomalyBarelyMovesTheBaseline() {
        RateBaseline b = new RateBaseline();
        long t = T0;
        for (int i = 0; i < 200; i++, t += BUCKET) {
            b.learn(t, observe(5), false, params);
        }
        double before = b.expected(t);
        for (int i = 0; i < 30; i++, t += BUCKET) {
            b.learn(t, observe(200), true, params);
        }
        assertThat(b.expected(t)).isLessThan(before * 1.5);
    }

    @Test
    void learnsTheDailyShapeAndAnticipatesTheMorningRamp() {
        RateBaseline b = new RateBaseline();
        long t = T0;
        // Two days of a strong daily shape: 10/s at night, 100/s in the afternoon.
        for (int i = 0; i < 2 * 8640; i++, t += BUCKET) {
            b.learn(t, observe(shape(t)), false, params);
        }
        assertThat(b.hasDailyShape()).isTrue();
        // Third day: the expectation at 14:00 is high before any 14:00 data of that day came in.
        long next = T0 + 2 * 24 * HOUR;
        for (long u = next; u < next + 8 * HOUR; u += BUCKET) {
            b.learn(u, observe(shape(u)), false, params);
        }
        double ahead = b.forecast(next + 8 * HOUR, 6 * HOUR, params);
        assertThat(ahead).isGreaterThan(60);
    }

    private static double shape(long t) {
        double hours = (t / 3_600_000.0) % 24;
        return 10 + 90 * (0.5 - 0.5 * Math.cos(2 * Math.PI * (hours - 2) / 24));
    }
}
