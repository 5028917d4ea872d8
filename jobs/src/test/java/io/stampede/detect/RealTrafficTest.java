package io.stampede.detect;

import static io.stampede.detect.CountTraffic.DAY;
import static io.stampede.detect.CountTraffic.MONDAY;
import static io.stampede.detect.CountTraffic.diurnal;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.alert.Alert;
import io.stampede.alert.AlertStatus;
import io.stampede.alert.AlertType;
import io.stampede.event.Timestamps;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The detectors on traffic as real series have it: recurring bursts, heavy tails, lasting level
 * shifts, coarse buckets, and a slow wave in a small region.
 */
class RealTrafficTest {

    private static final long HOUR = 3_600_000L;
    private static final long MINUTE = 60_000L;
    /** A region of 40,000 devices: about 7 first login attempts and 0.14 boots per second on average. */
    private static final double LOGINS = 10;
    private static final double BOOTS = 0.2;

    private static double workday(long t) {
        return diurnal(t, 0.15);
    }

    @Test
    void aStepAtNineEveryDayIsSilentFromItsThirdDay() {
        CountTraffic traffic = new CountTraffic(1)
                .firstAttempts(t -> {
                    double h = Math.floorMod(t, DAY) / (double) HOUR;
                    return LOGINS * workday(t) * (h >= 9 && h < 10 ? 3 : 1);
                })
                .boots(t -> BOOTS * workday(t));
        traffic.playUntil(MONDAY + 5 * DAY);
        List<Alert> fromDayThree = traffic.fired(MONDAY + 2 * DAY);
        assertThat(fromDayThree).as("pages from the third day on").isEmpty();
    }

    @Test
    void heavyTailedNormalTrafficRaisesNothing() {
        // One bucket in fifty is a burst, Pareto-tailed: 1.5× or more, up to 10×.
        CountTraffic traffic = new CountTraffic(2)
                .firstAttempts(t -> 100 * workday(t))
                .boots(t -> 2 * workday(t))
                .bursts(0.02, 1.5, 10);
        traffic.playUntil(MONDAY + 3 * DAY);
        // The first day, without a daily shape yet, is the baselines' to learn: judged from the second on.
        assertThat(traffic.fired(MONDAY + DAY)).isEmpty();
    }

    @Test
    void aLastingLevelShiftBecomesTheNewNormalAndResolvesAsSuch() {
        long shift = MONDAY + DAY + 14 * HOUR;
        CountTraffic traffic = new CountTraffic(3)
                .firstAttempts(t -> LOGINS * 10 * workday(t) * (t >= shift ? 2.5 : 1))
                .boots(t -> BOOTS * workday(t));
        traffic.playUntil(MONDAY + 3 * DAY);
        List<Alert> surge = traffic.alerts.stream().filter(a -> a.type() == AlertType.LOGIN_SURGE).toList();
        assertThat(surge).filteredOn(a -> a.status() == AlertStatus.FIRING && a.sequence() == 1).hasSize(1);
        Alert resolved = surge.stream().filter(a -> a.status() == AlertStatus.RESOLVED).findFirst().orElseThrow();
        assertThat(resolved.summary()).contains("is the new normal");
        long adoptAfter = traffic.config.detection().adoptShiftAfter().toMillis();
        assertThat(Timestamps.parse(resolved.detectedAt()) - shift).isBetween(adoptAfter, adoptAfter + 10 * MINUTE);
    }

    @Test
    void hourlyBucketsGetADailyShapeAndTheEveningIsNotASurge() {
        CountTraffic traffic = new CountTraffic(4, "detection.bucket=1h", "forecast.horizon=1h")
                .firstAttempts(t -> LOGINS * workday(t))
                .boots(t -> BOOTS * workday(t));
        traffic.playUntil(MONDAY + 4 * DAY);
        assertThat(traffic.state.firstAttempts.hasDailyShape()).isTrue();
        assertThat(traffic.fired(MONDAY)).isEmpty();
        // A surge of five times the day's level for three hours is found in hourly counts too.
        long surge = MONDAY + 4 * DAY + 11 * HOUR;
        traffic.firstAttempts(t -> LOGINS * workday(t) * (t >= surge && t < surge + 3 * HOUR ? 5 : 1));
        traffic.playUntil(MONDAY + 5 * DAY);
        List<Alert> alerts = traffic.alerts.stream().filter(a -> a.type() == AlertType.LOGIN_SURGE).toList();
        assertThat(traffic.fired(AlertType.LOGIN_SURGE, surge)).hasSize(1);
        assertThat(alerts).filteredOn(a -> a.status() == AlertStatus.RESOLVED).singleElement()
                .satisfies(a -> assertThat(a.summary()).doesNotContain("new normal"));
    }

    @Test
    void aWaveRampingOverTwelveMinutesInASmallRegionFiresWithinThirtySeconds() {
        long onset = MONDAY + DAY + 10 * HOUR + 3 * MINUTE;
        // 30 % of 40,000 devices forced to reboot, the rate rising linearly for 12 minutes.
        double peak = 0.3 * 40_000 / 660;
        CountTraffic traffic = new CountTraffic(5)
                .firstAttempts(t -> LOGINS * workday(t))
                .boots(t -> BOOTS * workday(t))
                .forcedBoots(t -> t < onset ? 0 : t < onset + 12 * MINUTE ? peak * (t - onset) / (12.0 * MINUTE)
                        : Math.max(0, peak * (1 - (t - onset - 12 * MINUTE) / (10.0 * MINUTE))));
        traffic.playUntil(onset + HOUR);
        List<Alert> wave = traffic.fired(AlertType.REBOOT_WAVE, MONDAY);
        assertThat(wave).hasSize(1);
        assertThat(Timestamps.parse(wave.get(0).detectedAt()) - onset).isLessThanOrEqualTo(30_000);
    }
}
