package io.stampede.detect;

import static io.stampede.detect.Traffic.NODES;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.alert.Alert;
import io.stampede.alert.AlertStatus;
import io.stampede.alert.AlertType;
import io.stampede.alert.Severity;
import io.stampede.config.StampedeConfig;
import io.stampede.event.Timestamps;
import org.junit.jupiter.api.Test;

class AuthDegradedDetectorTest {

    private final SegmentRun run = new SegmentRun();
    private final StampedeConfig.AuthDegraded rule = run.config.detection().authDegraded();

    private SegmentRun slow(int buckets, double p99) {
        return run.play(buckets, i -> run.traffic.normal(i).nodes(p99, 0, NODES));
    }

    @Test
    void firesOnceLatencyBrokeItsObjectiveForFireAfter() {
        run.warm();
        int first = run.next();
        slow(run.buckets(rule.fireAfter()) + 1, 2 * rule.p99LatencyMs());
        Alert fired = run.of(AlertType.AUTH_DEGRADED).get(0);
        assertThat(Timestamps.parse(fired.detectedAt()) - run.traffic.start(first))
                .isEqualTo(Math.max(rule.fireAfter().toMillis(), run.engine.bucketMs()));
        assertThat(fired.severity()).isEqualTo(Severity.WARNING);
        assertThat(fired.evidence().unit()).isEqualTo("p99 latency ms");
        assertThat(fired.evidence().expected()).isEqualTo(rule.p99LatencyMs());
    }

    @Test
    void isCriticalWhenHealthyCapacityFallsUnderItsCriticalShare() {
        run.warm();
        int healthy = (int) Math.floor(rule.criticalHealthyCapacityShare() * NODES - 0.5);
        run.play(run.buckets(rule.fireAfter()) + 1, i -> run.traffic.normal(i).nodes(120, 0, healthy));
        Alert fired = run.of(AlertType.AUTH_DEGRADED).get(0);
        assertThat(fired.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(fired.evidence().unit()).isEqualTo("healthy capacity logins/s");
    }

    @Test
    void isCriticalFromTheCriticalErrorRate() {
        run.warm();
        run.play(run.buckets(rule.fireAfter()) + 1,
                i -> run.traffic.normal(i).nodes(120, rule.criticalErrorRate(), NODES));
        assertThat(run.of(AlertType.AUTH_DEGRADED).get(0).severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void resolvesAfterClearAfterAndDoesNotFlapWhileLatencyComesAndGoes() {
        run.warm();
        slow(run.buckets(rule.fireAfter()) + 1, 2 * rule.p99LatencyMs());
        run.play(rule.clearAfter().multipliedBy(3), i -> run.traffic.normal(i)
                .nodes(i % 2 == 0 ? 2 * rule.p99LatencyMs() : 120, 0, NODES));
        assertThat(run.of(AlertType.AUTH_DEGRADED, AlertStatus.RESOLVED)).isEmpty();
        run.play(rule.clearAfter().multipliedBy(2), run.traffic::normal);
        Alert resolved = run.of(AlertType.AUTH_DEGRADED, AlertStatus.RESOLVED).get(0);
        assertThat(Timestamps.parse(resolved.detectedAt()) - Timestamps.parse(resolved.endsAt()))
                .isEqualTo(rule.clearAfter().toMillis());
        assertThat(resolved.summary()).contains("auth tier healthy again");
        assertThat(run.of(AlertType.AUTH_DEGRADED).stream().filter(a -> a.sequence() == 1)).hasSize(1);
    }

    @Test
    void ignoresLatencyJustUnderItsObjectiveAndABriefSpike() {
        run.warm();
        slow(run.buckets(rule.clearAfter().multipliedBy(3)), 0.9 * rule.p99LatencyMs());
        slow(run.buckets(rule.fireAfter()) - 1, 2 * rule.p99LatencyMs());
        run.play(3, run.traffic::normal);
        assertThat(run.of(AlertType.AUTH_DEGRADED)).isEmpty();
    }
}
