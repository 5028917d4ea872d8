package io.stampede.detect;

import static io.stampede.detect.Traffic.NODES;
import static io.stampede.detect.Traffic.NODE_CAPACITY;
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
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginSurgeDetectorTest {

    private final SegmentRun run = new SegmentRun();
    private final StampedeConfig.RateRule rule = run.config.detection().loginSurge();
    private final double safeCapacity = NODES * NODE_CAPACITY * run.config.capacity().safeUtilization();

    /** Extra automatic first attempts per bucket that bring the attempt rate to {@code share} of safe capacity. */
    private long autoLoginsAt(double share) {
        return Math.round(share * safeCapacity * run.seconds()) - NORMAL_LOGINS;
    }

    private SegmentRun surge(int buckets, long autoLogins) {
        return run.play(buckets, i -> run.traffic.normal(i).logins(AttemptClass.AUTO, Outcome.SUCCESS, autoLogins));
    }

    /** A surge rising from normal to {@code ratio} times normal over {@code buckets}, AUTO attempts on top. */
    private SegmentRun ramp(int buckets, double ratio) {
        int from = run.next();
        return run.play(buckets, i -> run.traffic.normal(i).logins(AttemptClass.AUTO, Outcome.SUCCESS,
                Math.round((ratio - 1) * NORMAL_LOGINS * (i - from + 1) / buckets)));
    }

    @Test
    void firesWhenFirstAttemptsJumpAboveTheBaselineAndNamesTheTrigger() {
        run.warm();
        int first = run.next();
        surge(2, autoLoginsAt(0.8));
        Alert fired = run.of(AlertType.LOGIN_SURGE).get(0);
        assertThat(Timestamps.parse(fired.detectedAt())).isEqualTo(run.traffic.start(first + 2));
        assertThat(fired.severity()).as("five times normal at once: far and fast").isEqualTo(Severity.CRITICAL);
        assertThat(fired.summary()).contains("login surge", "mostly AUTO");
    }

    @Test
    void aSurgeRisingSlowlyToLessThanTheCriticalRatioIsAWarning() {
        run.warm();
        ramp(24, (rule.fireRatio() + rule.criticalRatio()) / 2);
        assertThat(run.of(AlertType.LOGIN_SURGE)).isNotEmpty().allMatch(a -> a.severity() == Severity.WARNING);
    }

    @Test
    void isCriticalOnceAttemptsExceedSafeCapacity() {
        run.warm();
        surge(2, autoLoginsAt(1.5));
        assertThat(run.of(AlertType.LOGIN_SURGE).get(0).severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void sendsAnUpdateWhenItEscalates() {
        run.warm();
        ramp(24, (rule.fireRatio() + rule.criticalRatio()) / 2);
        surge(2, autoLoginsAt(1.5));
        List<Alert> alerts = run.of(AlertType.LOGIN_SURGE);
        assertThat(alerts).extracting(Alert::severity).startsWith(Severity.WARNING).endsWith(Severity.CRITICAL)
                .containsOnlyOnce(Severity.CRITICAL);
        assertThat(alerts).extracting(Alert::sequence).doesNotHaveDuplicates();
    }

    @Test
    void resolvesAfterClearAfterOfNormalAttemptsAndDoesNotFlapInTheBand() {
        run.warm();
        surge(3, autoLoginsAt(0.8));
        long band = Math.round((rule.clearRatio() + rule.fireRatio()) / 2 * NORMAL_LOGINS) - NORMAL_LOGINS;
        surge(run.buckets(rule.clearAfter().multipliedBy(3)), band);
        assertThat(run.of(AlertType.LOGIN_SURGE, AlertStatus.RESOLVED)).isEmpty();
        run.play(rule.clearAfter().multipliedBy(2), run.traffic::normal);
        Alert resolved = run.of(AlertType.LOGIN_SURGE, AlertStatus.RESOLVED).get(0);
        assertThat(Timestamps.parse(resolved.detectedAt()) - Timestamps.parse(resolved.endsAt()))
                .isEqualTo(rule.clearAfter().toMillis());
        assertThat(run.of(AlertType.LOGIN_SURGE).stream().filter(a -> a.sequence() == 1)).hasSize(1);
    }

    @Test
    void ignoresARiseJustUnderTheFiringRatio() {
        run.warm();
        surge(run.buckets(rule.clearAfter().multipliedBy(3)),
                (long) Math.floor(0.9 * rule.fireRatio() * NORMAL_LOGINS) - NORMAL_LOGINS);
        assertThat(run.of(AlertType.LOGIN_SURGE)).isEmpty();
    }
}
