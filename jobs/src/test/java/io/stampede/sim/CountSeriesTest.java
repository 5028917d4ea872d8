package io.stampede.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.stampede.admission.AttemptClass;
import io.stampede.event.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The count series have the properties the scorecard's scenarios claim for them. */
class CountSeriesTest {

    private static final long BUCKET_MS = 10_000;
    private static final long MINUTE = 60_000;
    private static final long HOUR = 3_600_000;
    private static final long DAY = 86_400_000;
    private static final long START = CountScenario.START.toEpochMilli();
    private static final int SMALL = 40_000;
    private static final int LARGE = 4_000_000;
    private static final Map<String, Counts> PLAYED = new HashMap<>();

    /**
     * Counts of every bucket of the first days of one series, by field, and the boot-to-login
     * delays of all its automatic logins; each series is played once per test class.
     */
    record Counts(long[] boots, long[] armed, long[] installs, long[] interactive, long[] token, long[] auto,
            long[] retries, long[] failed, long[] first, long[] delays) {

        /** The whole series. */
        static Counts of(String scenario, int devices, long seed) {
            return of(scenario, devices, seed, CountScenario.named(scenario).days());
        }

        /** Its first {@code days} days. */
        static Counts of(String scenario, int devices, long seed, int days) {
            return PLAYED.computeIfAbsent(scenario + "/" + devices + "/" + seed + "/" + days,
                    k -> play(scenario, devices, seed, days));
        }

        private static Counts play(String scenario, int devices, long seed, int days) {
            int n = (int) (Duration.ofDays(days).toMillis() / BUCKET_MS);
            Counts c = new Counts(new long[n], new long[n], new long[n], new long[n], new long[n], new long[n],
                    new long[n], new long[n], new long[n], new long[CountBucket.MAX_DELAY_SECONDS]);
            CountSeries series = new CountSeries(CountScenario.named(scenario), devices, seed, BUCKET_MS);
            for (int i = 0; i < n; i++) {
                CountBucket b = series.next();
                long paired = 0;
                for (int d = 0; d < c.delays.length; d++) {
                    c.delays[d] += b.autoLoginsAfterBoot(d);
                    paired += b.autoLoginsAfterBoot(d);
                }
                assertThat(paired).isEqualTo(b.autoLoginsAfterBoot());
                c.boots[i] = b.boots();
                c.armed[i] = b.armedBoots();
                c.installs[i] = b.installs();
                c.interactive[i] = b.logins(AttemptClass.INTERACTIVE);
                c.token[i] = b.logins(AttemptClass.TOKEN_REFRESH);
                c.auto[i] = b.logins(AttemptClass.AUTO);
                c.retries[i] = b.logins(AttemptClass.RETRY);
                for (AttemptClass cls : AttemptClass.values()) {
                    c.failed[i] += b.logins(cls, Outcome.FAILURE);
                }
                c.first[i] = b.firstAttempts();
            }
            return c;
        }

        /** The sum of {@code field} over {@code [from, to)}, epoch ms. */
        static long sum(long[] field, long from, long to) {
            long s = 0;
            for (int i = index(from); i < index(to); i++) {
                s += field[i];
            }
            return s;
        }
    }

    private static int index(long t) {
        return (int) ((t - START) / BUCKET_MS);
    }

    private static long day(int day) {
        return START + (day - 1) * DAY;
    }

    private static long at(Instant t) {
        return t.toEpochMilli();
    }

    @Test
    void averagesFollowThePerDeviceRates() {
        // Whole weeks: 0.3 boots and about 15 first attempts per device and day.
        Counts small = Counts.of("quiet-week", SMALL, 1);
        double twoWeeks = 14 * DAY / 1000.0;
        assertThat(Counts.sum(small.boots, day(1), day(15)) / twoWeeks).isCloseTo(0.14, within(0.01));
        assertThat(Counts.sum(small.first, day(1), day(15)) / twoWeeks).isCloseTo(7.0, within(0.5));
        Counts large = Counts.of("quiet-week", LARGE, 1, 7);
        double week = 7 * DAY / 1000.0;
        assertThat(Counts.sum(large.boots, day(1), day(8)) / week).isCloseTo(14, within(1.5));
        assertThat(Counts.sum(large.first, day(1), day(8)) / week).isCloseTo(700, within(70.0));
    }

    @Test
    void weekendDaysCarryAboutFortyPercentOfAWeekdaysLogins() {
        Counts c = Counts.of("quiet-week", SMALL, 1);
        double weekday = Counts.sum(c.first, day(1), day(6)) / 5.0;
        double weekend = Counts.sum(c.first, day(6), day(8)) / 2.0;
        assertThat(weekend / weekday).isBetween(0.3, 0.5);
        assertThat(Counts.sum(c.boots, day(6), day(8)) / 2.0).isLessThan(0.6 * Counts.sum(c.boots, day(1), day(6)) / 5.0);
    }

    @Test
    void nightsAreLowAndWorkingHoursAPlateau() {
        Counts c = Counts.of("quiet-week", LARGE, 1, 7);
        long tuesday = day(2);
        double night = Counts.sum(c.interactive, tuesday + 3 * HOUR, tuesday + 4 * HOUR);
        long[] hours = new long[6];
        for (int h = 0; h < hours.length; h++) {
            hours[h] = Counts.sum(c.interactive, tuesday + (10 + h) * HOUR, tuesday + (11 + h) * HOUR);
        }
        double plateau = Arrays.stream(hours).average().orElseThrow();
        assertThat(night).isLessThan(0.1 * plateau);
        assertThat(Arrays.stream(hours).min().orElseThrow()).isGreaterThan((long) (0.8 * plateau));
        assertThat(Arrays.stream(hours).max().orElseThrow()).isLessThan((long) (1.2 * plateau));
    }

    @Test
    void retriesAndFailuresAreASmallShareOfFirstAttempts() {
        Counts c = Counts.of("quiet-week", SMALL, 1);
        double first = Counts.sum(c.first, day(1), day(15));
        assertThat(Counts.sum(c.retries, day(1), day(15)) / first).isBetween(0.02, 0.05);
        assertThat(Counts.sum(c.failed, day(1), day(15)) / first).isBetween(0.005, 0.02);
    }

    @Test
    void normalLoginsBurstSeveralTimesAnHour() {
        Counts c = Counts.of("quiet-week", LARGE, 1, 7);
        // Tuesday's working hours: buckets at least 1.5x the median of the hour around them.
        int bursts = countAbove(c.first, day(2) + 10 * HOUR, day(2) + 16 * HOUR, 1.5);
        assertThat(bursts).isBetween(6, 60);
    }

    @Test
    void heavyTailsHasBucketsOfFiveTimesTheLocalMedian() {
        Counts heavy = Counts.of("heavy-tails", SMALL, 1, 10);
        assertThat(countAbove(heavy.first, day(9), day(10), 5)).isGreaterThanOrEqualTo(5);
        assertThat(countAbove(heavy.boots, day(9) + 8 * HOUR, day(10), 5)).isGreaterThanOrEqualTo(1);
        assertThat(countAbove(Counts.of("quiet-week", SMALL, 1).first, day(9), day(10), 5)).isZero();
    }

    /** Buckets in {@code [from, to)} at least {@code factor} times the median of the half hour either side. */
    private static int countAbove(long[] field, long from, long to, double factor) {
        int n = 0;
        int half = (int) (30 * MINUTE / BUCKET_MS);
        for (int i = index(from); i < index(to); i++) {
            long[] around = Arrays.copyOfRange(field, i - half, i + half + 1);
            Arrays.sort(around);
            if (field[i] >= factor * Math.max(1, around[half])) {
                n++;
            }
        }
        return n;
    }

    @Test
    void updateWaveInstallsThenRebootsThirtyPercentOverAtLeastTenMinutes() {
        int devices = 400_000;
        CountScenario sc = CountScenario.named("update-wave");
        Counts c = Counts.of(sc.name(), devices, 1, 9);
        long onset = at(sc.onset());
        long wave = (long) (0.3 * devices);
        assertThat(Counts.sum(c.installs, onset - DAY, onset)).isCloseTo(wave, within(2_000L));
        assertThat(Counts.sum(c.installs, onset, day(10))).isZero();
        assertThat(Counts.sum(c.armed, START, onset)).isZero();
        assertThat(Counts.sum(c.armed, onset, at(sc.disturbanceEnd()))).isCloseTo(wave, within(2_000L));

        long[] perMinute = new long[25];
        for (int m = 0; m < perMinute.length; m++) {
            perMinute[m] = Counts.sum(c.armed, onset + m * MINUTE, onset + (m + 1) * MINUTE);
        }
        int peak = 0;
        for (int m = 1; m < perMinute.length; m++) {
            if (perMinute[m] > perMinute[peak]) {
                peak = m;
            }
        }
        assertThat(peak).isGreaterThanOrEqualTo(10);
        for (int m = 1; m < 10; m++) {
            assertThat(perMinute[m]).as("minute %d of the ramp", m).isGreaterThan(perMinute[m - 1]);
        }
        // Every rebooted device logs in by itself: the automatic logins beyond normal add up to the wave.
        long normalAuto = Counts.sum(c.auto, onset - DAY, onset - DAY + 30 * MINUTE);
        long waveAuto = Counts.sum(c.auto, onset, onset + 30 * MINUTE) - normalAuto;
        assertThat(waveAuto).isCloseTo(wave, within(2_000L));
    }

    @Test
    void automaticLoginsFollowTheirBootBy20To90Seconds() {
        long[] delays = Counts.of("update-wave", SMALL, 1, 9).delays();
        assertThat(Arrays.stream(delays, 0, 20).sum()).isZero();
        assertThat(Arrays.stream(delays, 90, delays.length).sum()).isZero();
        assertThat(Arrays.stream(delays, 20, 90).min().orElseThrow()).isPositive();
    }

    @Test
    void powerLossBootsTwentyPercentWithinAboutTwoMinutesUnarmed() {
        CountScenario sc = CountScenario.named("power-loss");
        Counts c = Counts.of(sc.name(), SMALL, 1, 9);
        long onset = at(sc.onset());
        long normal = Counts.sum(c.boots, onset - DAY, onset - DAY + 2 * MINUTE);
        assertThat(Counts.sum(c.boots, onset, onset + 2 * MINUTE) - normal).isBetween(7_500L, 8_000L);
        assertThat(Counts.sum(c.boots, onset, onset + 20_000)).isGreaterThan(200);
        assertThat(Counts.sum(c.armed, START, day(10))).isZero();
    }

    @Test
    void everyScenarioOfASeedHasTheSameNormalTraffic() {
        Counts quiet = Counts.of("quiet-week", SMALL, 1);
        Counts crowd = Counts.of("flash-crowd", SMALL, 1);
        Counts step = Counts.of("daily-step", SMALL, 1);
        int ten = index(day(10));
        assertThat(Arrays.copyOf(crowd.boots, ten)).isEqualTo(Arrays.copyOf(quiet.boots, ten));
        assertThat(Arrays.copyOf(crowd.token, ten)).isEqualTo(Arrays.copyOf(quiet.token, ten));
        // Outside its hour the daily step leaves the traffic as it was.
        assertThat(Arrays.copyOfRange(step.interactive, index(day(3) + 10 * HOUR), index(day(4) + 9 * HOUR)))
                .isEqualTo(Arrays.copyOfRange(quiet.interactive, index(day(3) + 10 * HOUR), index(day(4) + 9 * HOUR)));
    }

    @Test
    void flashCrowdMakesInteractiveLoginsFiveTimesNormal() {
        CountScenario sc = CountScenario.named("flash-crowd");
        Counts crowd = Counts.of(sc.name(), SMALL, 1);
        Counts quiet = Counts.of("quiet-week", SMALL, 1);
        long hold = at(sc.onset()) + 2 * MINUTE;
        double ratio = Counts.sum(crowd.interactive, hold, hold + 20 * MINUTE)
                / (double) Counts.sum(quiet.interactive, hold, hold + 20 * MINUTE);
        assertThat(ratio).isBetween(4.8, 5.2);
        assertThat(Counts.sum(crowd.interactive, hold + 22 * MINUTE, hold + HOUR))
                .isEqualTo(Counts.sum(quiet.interactive, hold + 22 * MINUTE, hold + HOUR));
    }

    @Test
    void dailyStepTriplesTheNineOClockHourEveryDay() {
        Counts step = Counts.of("daily-step", SMALL, 1);
        Counts quiet = Counts.of("quiet-week", SMALL, 1);
        for (int d = 1; d <= 14; d++) {
            long nine = day(d) + 9 * HOUR;
            double ratio = (Counts.sum(step.interactive, nine, nine + HOUR) + Counts.sum(step.token, nine, nine + HOUR))
                    / (double) (Counts.sum(quiet.interactive, nine, nine + HOUR) + Counts.sum(quiet.token, nine, nine + HOUR));
            assertThat(ratio).as("day %d", d).isBetween(2.85, 3.15);
        }
    }

    @Test
    void levelShiftRaisesFirstAttemptsToOnePointEightForGood() {
        CountScenario sc = CountScenario.named("level-shift");
        Counts shift = Counts.of(sc.name(), SMALL, 1, 11);
        Counts quiet = Counts.of("quiet-week", SMALL, 1);
        long from = at(sc.onset());
        long to = day(12);
        double ratio = (Counts.sum(shift.interactive, from, to) + Counts.sum(shift.token, from, to))
                / (double) (Counts.sum(quiet.interactive, from, to) + Counts.sum(quiet.token, from, to));
        assertThat(ratio).isBetween(1.78, 1.82);
        assertThat(Counts.sum(shift.interactive, START, from)).isEqualTo(Counts.sum(quiet.interactive, START, from));
    }

    @Test
    void aSeedAlwaysMakesTheSameSeriesAndAnotherSeedAnother() {
        assertThat(firstDay(7)).isEqualTo(firstDay(7));
        assertThat(firstDay(8)).isNotEqualTo(firstDay(7));
    }

    private static String firstDay(long seed) {
        CountSeries series = new CountSeries(CountScenario.named("update-wave"), SMALL, seed, BUCKET_MS);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < DAY / BUCKET_MS; i++) {
            CountBucket x = series.next();
            b.append(x.boots()).append(',').append(x.installs()).append(',');
            for (AttemptClass c : AttemptClass.values()) {
                b.append(x.logins(c, Outcome.SUCCESS)).append(',').append(x.logins(c, Outcome.FAILURE)).append(',');
            }
        }
        return b.toString();
    }

    @Test
    void everySeriesStartsOnAMondayWithEightDaysBeforeItsEvent() {
        for (CountScenario sc : CountScenario.all()) {
            assertThat(sc.start()).isEqualTo(Instant.parse("2026-11-02T00:00:00Z"));
            if (sc.onset() != null && !sc.name().equals("daily-step")) {
                assertThat(Duration.between(sc.start(), sc.onset())).isGreaterThanOrEqualTo(Duration.ofDays(8));
            }
        }
        assertThat(java.time.LocalDate.of(2026, 11, 2).getDayOfWeek()).isEqualTo(java.time.DayOfWeek.MONDAY);
    }
}
