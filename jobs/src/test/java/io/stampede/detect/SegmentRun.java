package io.stampede.detect;

import io.stampede.Fixtures;
import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertStatus;
import io.stampede.alert.AlertType;
import io.stampede.config.StampedeConfig;
import io.stampede.plan.ScalingSignal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** One region's segment engine fed bucket by bucket from {@link Traffic}, remembering the alerts. */
final class SegmentRun implements SegmentOutput {

    final StampedeConfig config;
    final SegmentEngine engine;
    final Traffic traffic;
    final SegmentState state = new SegmentState(Traffic.REGION);
    final List<Alert> alerts = new ArrayList<>();
    final List<ThrottleDirective> directives = new ArrayList<>();
    final List<ScalingSignal> signals = new ArrayList<>();
    private int next;

    SegmentRun(String... overrides) {
        config = Fixtures.config(overrides);
        engine = new SegmentEngine(config);
        traffic = new Traffic(engine.bucketMs());
    }

    /** Plays normal traffic until the baselines are warm, and a little more. */
    SegmentRun warm() {
        return play((int) (config.detection().warmupTime().toMillis() / engine.bucketMs()) + 6, traffic::normal);
    }

    /** Plays {@code n} buckets, each made by {@code bucket} from its index. */
    SegmentRun play(int n, IntFunction<Traffic.Builder> bucket) {
        for (int i = 0; i < n; i++, next++) {
            engine.onBucket(state, bucket.apply(next).build(), this);
        }
        return this;
    }

    SegmentRun play(Duration d, IntFunction<Traffic.Builder> bucket) {
        return play(buckets(d), bucket);
    }

    int buckets(Duration d) {
        return (int) (d.toMillis() / engine.bucketMs());
    }

    double seconds() {
        return engine.bucketMs() / 1000.0;
    }

    /** Index of the next bucket to be played. */
    int next() {
        return next;
    }

    List<Alert> of(AlertType type) {
        return alerts.stream().filter(a -> a.type() == type).toList();
    }

    List<Alert> of(AlertType type, AlertStatus status) {
        return of(type).stream().filter(a -> a.status() == status).toList();
    }

    @Override
    public void alert(Alert alert) {
        alerts.add(alert);
    }

    @Override
    public void directive(ThrottleDirective directive) {
        directives.add(directive);
    }

    @Override
    public void signal(ScalingSignal signal) {
        signals.add(signal);
    }

    @Override
    public void snapshot(SegmentSnapshot snapshot) {}
}
