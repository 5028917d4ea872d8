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
import org.junit.jupiter.api.Test;

class CapacityRiskDetectorTest {

    private final SegmentRun run = new SegmentRun();
    private final StampedeConfig.Forecast rule = run.config.forecast();
    private final double safeCapacity = NODES * NODE_CAPACITY * run.config.capacity().safeUtilization();

    private SegmentRun demand(int buckets, double shareOfSafe) {
        long auto = Math.round(shareOfSafe * safeCapacity * run.seconds()) - NORMAL_LOGINS;
        return run.play(buckets, i -> run.traffic.normal(i).logins(AttemptClass.AUTO, Outcome.SUCCESS, auto));
    }

    @Test
    void firesAtOnceWhenDemandIsAboveSafeCapacityNowAndSaysWhen() {
        run.warm();
        int first = run.next();
        demand(1, 1.5);
        Alert fired = run.of(AlertType.CAPACITY_RISK).get(0);
        assertThat(Timestamps.parse(fired.detectedAt())).isEqualTo(run.traffic.start(first + 1));
        assertThat(fired.forecast().capacity().etaSeconds()).isZero();
        assertThat(fired.forecast().capacity().safeCapacityPerSec()).isEqualTo(safeCapacity);
        assertThat(fired.summary()).contains("above safe capacity");
        assertThat(fired.severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void resolvesAfterTheForecastStayedUnderItsClearingShareForClearAfter() {
        run.warm();
        demand(3, 1.5);
        run.play(rule.clearAfter().multipliedBy(3), run.traffic::normal);
        Alert resolved = run.of(AlertType.CAPACITY_RISK, AlertStatus.RESOLVED).get(0);
        assertThat(Timestamps.parse(resolved.detectedAt()) - Timestamps.parse(resolved.endsAt()))
                .isEqualTo(rule.clearAfter().toMillis());
        assertThat(resolved.summary()).contains("capacity risk over");
        assertThat(run.of(AlertType.CAPACITY_RISK).stream().filter(a -> a.sequence() == 1)).hasSize(1);
    }

    @Test
    void holdsWhileTheForecastStaysBetweenItsClearingShareAndSafeCapacity() {
        run.warm();
        demand(3, 1.5);
        demand(run.buckets(rule.clearAfter().multipliedBy(3)), (rule.clearBelow() + 1) / 2);
        assertThat(run.of(AlertType.CAPACITY_RISK, AlertStatus.RESOLVED)).isEmpty();
    }

    @Test
    void ignoresDemandJustUnderSafeCapacity() {
        run.warm();
        demand(run.buckets(rule.clearAfter().multipliedBy(3)), 0.9 * rule.clearBelow());
        assertThat(run.of(AlertType.CAPACITY_RISK)).isEmpty();
    }
}
