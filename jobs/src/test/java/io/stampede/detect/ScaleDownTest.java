package io.stampede.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.alert.AlertType;
import io.stampede.plan.ScalingSignal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Nodes that leave because Stampede advised a scale-down are not capacity lost. */
class ScaleDownTest {

    /** A bucket of normal traffic in which only the first {@code nodes} nodes report, all healthy. */
    private static Traffic.Builder with(SegmentRun run, int i, int nodes) {
        Traffic.Builder b = run.traffic.normal(i);
        b.stats.nodes.removeIf(n -> Integer.parseInt(n.node().substring("node-".length())) >= nodes);
        return b;
    }

    @Test
    void theTierShrinkingToTheAdvisedSizeIsNotADegradedTier() {
        SegmentRun run = new SegmentRun();
        run.warm();
        run.play(run.config.scaling().scaleDownAfter().plus(Duration.ofMinutes(2)), run.traffic::normal);
        ScalingSignal down = run.signals.stream().filter(s -> s.direction() == ScalingSignal.Direction.DOWN)
                .findFirst().orElseThrow();
        assertThat(down.desiredNodes()).isLessThan(Traffic.NODES);
        run.play(Duration.ofMinutes(20), i -> with(run, i, down.desiredNodes()));
        assertThat(run.of(AlertType.AUTH_DEGRADED)).isEmpty();
    }

    @Test
    void nodesVanishingWithoutAScaleDownAreStillCapacityLost() {
        SegmentRun run = new SegmentRun("scaling.enabled=false");
        run.warm();
        run.play(Duration.ofMinutes(20), i -> with(run, i, 1));
        assertThat(run.of(AlertType.AUTH_DEGRADED)).isNotEmpty();
    }
}
