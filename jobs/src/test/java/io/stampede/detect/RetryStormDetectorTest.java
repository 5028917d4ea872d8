package io.stampede.detect;

import static io.stampede.detect.Traffic.NORMAL_LOGINS;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.admission.AttemptClass;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertStatus;
import io.stampede.alert.AlertType;
import io.stampede.alert.Severity;
import io.stampede.config.StampedeConfig;
import io.stampede.event.Outcome;
import io.stampede.event.Timestamps;
import org.junit.jupiter.api.Test;

class RetryStormDetectorTest {

    private final SegmentRun run = new SegmentRun();
    private final StampedeConfig.RetryStorm rule = run.config.detection().retryStorm();
    /** The share of attempts that must be failing retries for both thresholds to hold (normally nobody retries). */
    private final double threshold = Math.max(rule.fireFailureShare(), rule.fireRetryShareRise());

    /** Failing retries per bucket that make {@code share} of all attempts. */
    private static long failingRetries(double share) {
        return Math.round(share * NORMAL_LOGINS / (1 - share));
    }

    private SegmentRun storm(int buckets, double share) {
        long n = failingRetries(share);
        return run.play(buckets, i -> run.traffic.normal(i).logins(AttemptClass.RETRY, Outcome.FAILURE, n));
    }

    @Test
    void firesWhenRetriesAndFailuresHoldForTwoBuckets() {
        run.warm();
        int first = run.next();
        storm(1, 1.5 * threshold);
        assertThat(run.of(AlertType.RETRY_STORM)).isEmpty();
        storm(1, 1.5 * threshold);
        Alert fired = run.of(AlertType.RETRY_STORM).get(0);
        assertThat(Timestamps.parse(fired.detectedAt()))
                .isEqualTo(run.traffic.start(first + Detector.HOLD_BUCKETS));
        assertThat(Timestamps.parse(fired.startsAt())).isEqualTo(run.traffic.start(first));
        assertThat(fired.summary()).contains("retry storm", "feeding on itself");
        assertThat(fired.evidence().expected()).as("normal retry share").isLessThan(rule.fireRetryShareRise());
    }

    @Test
    void isCriticalFromTheCriticalFailureShare() {
        run.warm();
        storm(2, (threshold + rule.criticalFailureShare()) / 2);
        assertThat(run.of(AlertType.RETRY_STORM).get(0).severity()).isEqualTo(Severity.WARNING);
        run.warm();
        storm(run.buckets(run.config.detection().updateInterval()) + 1, 1.2 * rule.criticalFailureShare());
        assertThat(run.of(AlertType.RETRY_STORM)).extracting(Alert::severity).contains(Severity.CRITICAL);
    }

    @Test
    void resolvesAfterClearAfterAndHoldsInTheBand() {
        run.warm();
        storm(3, 1.5 * threshold);
        storm(run.buckets(rule.clearAfter().multipliedBy(3)),
                (RetryStormDetector.CLEAR_FRACTION + 1) / 2 * threshold);
        assertThat(run.of(AlertType.RETRY_STORM, AlertStatus.RESOLVED)).isEmpty();
        run.play(rule.clearAfter().multipliedBy(2), run.traffic::normal);
        Alert resolved = run.of(AlertType.RETRY_STORM, AlertStatus.RESOLVED).get(0);
        assertThat(Timestamps.parse(resolved.detectedAt()) - Timestamps.parse(resolved.endsAt()))
                .isEqualTo(rule.clearAfter().toMillis());
        assertThat(resolved.summary()).contains("retry storm over");
        assertThat(run.of(AlertType.RETRY_STORM).stream().filter(a -> a.sequence() == 1)).hasSize(1);
    }

    @Test
    void ignoresRetriesThatDoNotFail() {
        run.warm();
        long n = failingRetries(1.5 * threshold);
        run.play(run.buckets(rule.clearAfter().multipliedBy(3)),
                i -> run.traffic.normal(i).logins(AttemptClass.RETRY, Outcome.SUCCESS, n));
        assertThat(run.of(AlertType.RETRY_STORM)).isEmpty();
    }

    @Test
    void ignoresFailuresJustUnderTheFiringShare() {
        run.warm();
        storm(run.buckets(rule.clearAfter().multipliedBy(3)), 0.9 * rule.fireFailureShare());
        assertThat(run.of(AlertType.RETRY_STORM)).isEmpty();
    }
}
