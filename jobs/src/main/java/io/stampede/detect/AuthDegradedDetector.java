package io.stampede.detect;

import io.stampede.alert.AlertContent;
import io.stampede.alert.AlertType;
import io.stampede.alert.Evidence;
import io.stampede.alert.Severity;
import io.stampede.config.StampedeConfig;
import java.util.List;

/**
 * AUTH_DEGRADED: the region's auth nodes break their objective: p99 latency, error rate, or
 * healthy capacity below its share of the known capacity. Its evidence is the worst of the three.
 */
final class AuthDegradedDetector implements Detector {

    /** Score standing for "no healthy capacity at all" when some is required: far past the objective. */
    private static final double NO_HEALTHY_CAPACITY = 10;

    private final StampedeConfig.AuthDegraded rule;

    AuthDegradedDetector(StampedeConfig config) {
        this.rule = config.detection().authDegraded();
    }

    @Override
    public AlertType type() {
        return AlertType.AUTH_DEGRADED;
    }

    /** Each measurement against its objective: above 1 breaks it. */
    private record Ratios(double latency, double errors, double capacity, double floor) {

        static Ratios of(NodeHealthBook.Health h, StampedeConfig.AuthDegraded rule) {
            double latency = h.p99LatencyMs() < 0 ? 0 : h.p99LatencyMs() / rule.p99LatencyMs();
            double errors = h.errorRate() < 0 ? 0 : h.errorRate() / rule.errorRate();
            double floor = rule.minHealthyCapacityShare() * h.knownCapacity();
            double capacity = h.healthyCapacity() <= 0 ? (floor > 0 ? NO_HEALTHY_CAPACITY : 0)
                    : floor / h.healthyCapacity();
            return new Ratios(latency, errors, capacity, floor);
        }

        double worst() {
            return Math.max(latency, Math.max(errors, capacity));
        }
    }

    @Override
    public Condition judge(SegmentState s, ClosedBucket b) {
        double score = Ratios.of(b.health(), rule).worst();
        boolean hot = score > 1;
        return new Condition(score, hot, !hot, hot, Math.max(b.millis(), rule.fireAfter().toMillis()),
                rule.clearAfter().toMillis());
    }

    @Override
    public Finding report(SegmentState s, ClosedBucket b, Condition c, Step step) {
        NodeHealthBook.Health h = b.health();
        Ratios r = Ratios.of(h, rule);
        String state = String.format("p99 %s ms (objective %s ms), errors %s (objective %s), healthy capacity %s/s of %s/s "
                + "(%d of %d nodes)", h.p99LatencyMs() < 0 ? "n/a" : Texts.rate(h.p99LatencyMs()),
                Texts.rate(rule.p99LatencyMs()), h.errorRate() < 0 ? "n/a" : Texts.percent(h.errorRate()),
                Texts.percent(rule.errorRate()), Texts.rate(h.healthyCapacity()), Texts.rate(h.knownCapacity()),
                h.healthyNodes(), h.knownNodes());
        String summary = s.segment + (step.resolved() ? ": auth tier healthy again, " : ": auth tier degraded, ")
                + state;
        Severity severity = (h.knownCapacity() > 0
                && h.healthyCapacity() < rule.criticalHealthyCapacityShare() * h.knownCapacity())
                || h.errorRate() >= rule.criticalErrorRate() ? Severity.CRITICAL : Severity.WARNING;
        double score = Texts.round(c.score());
        Evidence evidence;
        if (r.latency() >= r.errors() && r.latency() >= r.capacity()) {
            evidence = new Evidence(Texts.round(h.p99LatencyMs()), rule.p99LatencyMs(), score, "p99 latency ms",
                    b.window());
        } else if (r.errors() >= r.capacity()) {
            evidence = new Evidence(Texts.round(h.errorRate()), rule.errorRate(), score, "error rate", b.window());
        } else {
            evidence = new Evidence(Texts.round(h.healthyCapacity()), Texts.round(r.floor()), score,
                    "healthy capacity logins/s", b.window());
        }
        return new Finding(severity, new AlertContent(summary, evidence, List.of(), null, null));
    }
}
