package io.stampede.detect;

import static io.stampede.detect.Traffic.NORMAL_BOOTS;
import static io.stampede.detect.Traffic.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.alert.Alert;
import io.stampede.alert.AlertStatus;
import io.stampede.alert.AlertType;
import io.stampede.alert.Severity;
import io.stampede.config.StampedeConfig;
import io.stampede.event.Timestamps;
import org.junit.jupiter.api.Test;

class RebootWaveDetectorTest {

    private final SegmentRun run = new SegmentRun();
    private final StampedeConfig.RateRule rule = run.config.detection().rebootWave();
    /** Boots per bucket of a wave far past every threshold: steep, and critical. */
    private final long wave = Math.round(3 * rule.criticalRatio() * NORMAL_BOOTS);

    private SegmentRun wave(int buckets, long boots) {
        return run.play(buckets, i -> run.traffic.normal(i).boots(boots, "UPDATE", UPDATE, true));
    }

    @Test
    void firesOnTheSecondBucketOfASteepWaveNamingTheUpdateAndTheArmedPoolStillToCome() {
        run.play(1, i -> run.traffic.normal(i).installs(3_000, UPDATE)).warm();
        int first = run.next();
        wave(1, wave);
        assertThat(run.of(AlertType.REBOOT_WAVE)).as("one bucket, however high, is not a page").isEmpty();
        wave(1, wave);
        Alert fired = run.of(AlertType.REBOOT_WAVE).get(0);
        assertThat(fired.status()).isEqualTo(AlertStatus.FIRING);
        assertThat(Timestamps.parse(fired.detectedAt())).isEqualTo(run.traffic.start(first + 2));
        assertThat(fired.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(fired.attribution().get(0).value()).isEqualTo(UPDATE);
        assertThat(fired.forecast().wave().armedDevices()).isEqualTo(3_000 - 2 * wave);
        assertThat(fired.summary()).contains("reboot wave", UPDATE);
    }

    @Test
    void aWaveRisingSlowlyToLessThanTheCriticalRatioIsAWarning() {
        run.warm();
        double peak = (rule.fireRatio() + rule.criticalRatio()) / 2 * NORMAL_BOOTS;
        // From normal to the peak over three minutes: it never doubles within a minute.
        int ramp = 18;
        int from = run.next();
        run.play(ramp + 6, i -> {
            int k = i - from;
            long extra = Math.round((peak - NORMAL_BOOTS) * Math.min(1, (k + 1) / (double) ramp));
            return run.traffic.normal(i).boots(extra, "UPDATE", UPDATE, true);
        });
        assertThat(run.of(AlertType.REBOOT_WAVE)).isNotEmpty().allMatch(a -> a.severity() == Severity.WARNING);
    }

    @Test
    void aModestWaveThatDoubledWithinAMinuteIsCritical() {
        run.warm();
        long boots = Math.round((rule.fireRatio() + rule.criticalRatio()) / 2 * NORMAL_BOOTS);
        wave(3, boots);
        assertThat(run.of(AlertType.REBOOT_WAVE)).isNotEmpty().allMatch(a -> a.severity() == Severity.CRITICAL);
    }

    @Test
    void sendsAnUpdateWhenTheWaveGrowsAfterTheUpdateInterval() {
        run.warm();
        wave(run.buckets(run.config.detection().updateInterval()), wave);
        wave(2, 3 * wave);
        assertThat(run.of(AlertType.REBOOT_WAVE)).extracting(Alert::sequence).containsExactly(1, 2);
        Alert update = run.of(AlertType.REBOOT_WAVE).get(1);
        assertThat(update.status()).isEqualTo(AlertStatus.FIRING);
        assertThat(Timestamps.parse(update.detectedAt()) - Timestamps.parse(run.of(AlertType.REBOOT_WAVE).get(0)
                .detectedAt())).isGreaterThanOrEqualTo(run.config.detection().updateInterval().toMillis());
    }

    @Test
    void resolvesOnceBootsStayedUnderTheClearingRatioForClearAfter() {
        run.warm();
        wave(5, wave);
        run.play(rule.clearAfter().multipliedBy(2), run.traffic::normal);
        Alert resolved = run.of(AlertType.REBOOT_WAVE, AlertStatus.RESOLVED).get(0);
        assertThat(Timestamps.parse(resolved.detectedAt()) - Timestamps.parse(resolved.endsAt()))
                .isEqualTo(rule.clearAfter().toMillis());
        assertThat(resolved.summary()).contains("reboot wave over");
    }

    @Test
    void doesNotFlapWhileBootsStayBetweenTheClearingAndTheFiringRatio() {
        run.warm();
        wave(3, wave);
        long boots = Math.round((rule.clearRatio() + rule.fireRatio()) / 2 * NORMAL_BOOTS);
        run.play(rule.clearAfter().multipliedBy(4), i -> run.traffic.quiet(i).boots(boots, "UPDATE", UPDATE, true));
        assertThat(run.of(AlertType.REBOOT_WAVE, AlertStatus.RESOLVED)).isEmpty();
        run.play(rule.clearAfter().multipliedBy(2), run.traffic::normal);
        assertThat(run.of(AlertType.REBOOT_WAVE, AlertStatus.FIRING).stream().filter(a -> a.sequence() == 1))
                .hasSize(1);
        assertThat(run.of(AlertType.REBOOT_WAVE, AlertStatus.RESOLVED)).hasSize(1);
    }

    @Test
    void ignoresARiseJustUnderTheFiringRatio() {
        run.warm();
        long boots = (long) Math.floor(0.9 * rule.fireRatio() * NORMAL_BOOTS) - NORMAL_BOOTS;
        run.play(rule.clearAfter().multipliedBy(3), i -> run.traffic.normal(i).boots(boots, "USER", null, false));
        assertThat(run.of(AlertType.REBOOT_WAVE)).isEmpty();
    }

    @Test
    void staysSilentUntilTheBaselineIsWarm() {
        wave(3, wave);
        assertThat(run.alerts).isEmpty();
    }
}
