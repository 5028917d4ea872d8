package io.stampede.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.sim.ScalingRequest.Direction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AutoscalerTest {

    private static final Scenario SCENARIO = Scenario.updateWave(2_000, 5).withDuration(Duration.ofMinutes(10));
    private static final long T0 = SCENARIO.start().toEpochMilli();
    private static final long DELIVERY = 20_000;
    private static final long STARTUP = 180_000;
    /** eu-west's index in the scenario, and its nodes. */
    private static final int EU = 1;
    private static final int EU_NODES = 4;

    /** A feed of scripted requests, each returned once it has been issued. */
    private static Autoscaler.RequestFeed script(ScalingRequest... requests) {
        List<ScalingRequest> left = new ArrayList<>(List.of(requests));
        return upTo -> {
            List<ScalingRequest> out = left.stream().filter(q -> q.issuedAt() <= upTo).toList();
            left.removeAll(out);
            return out;
        };
    }

    private static ScalingRequest eu(long at, Direction direction, int desired) {
        return new ScalingRequest("eu-west", T0 + at, direction, desired);
    }

    private static Autoscaler following(ScalingRequest... requests) {
        return new Autoscaler(SCENARIO, script(requests), DELIVERY, STARTUP);
    }

    @Test
    void nodesAskedForServeTheStartUpTimeAfterTheRequestWasIssued() {
        Autoscaler scaler = following(eu(60_000, Direction.UP, 7));
        assertThat(scaler.nodes(EU, T0)).isEqualTo(EU_NODES);
        assertThat(scaler.nodes(EU, T0 + 60_000 + STARTUP - 1)).isEqualTo(EU_NODES);
        assertThat(scaler.nodes(EU, T0 + 60_000 + STARTUP)).isEqualTo(7);
        assertThat(scaler.nodes(0, T0 + 60_000 + STARTUP)).as("us-east").isEqualTo(4);
    }

    @Test
    void aLaterRequestForMoreAddsOnlyTheDifferenceAndOneForFewerDoesNotStopNodesStarting() {
        Autoscaler scaler = following(eu(0, Direction.UP, 5), eu(60_000, Direction.UP, 7), eu(90_000, Direction.UP, 6));
        assertThat(scaler.nodes(EU, T0 + STARTUP)).isEqualTo(5);
        assertThat(scaler.nodes(EU, T0 + 60_000 + STARTUP)).isEqualTo(7);
        assertThat(scaler.nodes(EU, T0 + 90_000 + STARTUP)).isEqualTo(7);
    }

    @Test
    void neverMoreThanItsBoundNorFewerThanTheScenarioGives() {
        Autoscaler scaler = following(eu(0, Direction.UP, 100), eu(300_000, Direction.DOWN, 1));
        assertThat(scaler.nodes(EU, T0 + STARTUP)).isEqualTo(Autoscaler.MAX_FACTOR * EU_NODES);
        assertThat(scaler.nodes(EU, T0 + 300_000 + DELIVERY)).isEqualTo(EU_NODES);
    }

    @Test
    void aScaleDownRemovesNodesWhenItArrivesNewestFirst() {
        Autoscaler scaler = following(eu(0, Direction.UP, 6), eu(60_000, Direction.UP, 8),
                eu(120_000, Direction.DOWN, 7), eu(130_000, Direction.HOLD, 7));
        // The DOWN arrives before the second batch serves: it takes one of those, and the rest still start.
        assertThat(scaler.nodes(EU, T0 + STARTUP)).isEqualTo(6);
        assertThat(scaler.nodes(EU, T0 + 60_000 + STARTUP)).isEqualTo(7);

        Autoscaler down = following(eu(0, Direction.UP, 8), eu(300_000, Direction.DOWN, 5));
        assertThat(down.nodes(EU, T0 + 300_000 + DELIVERY - 1000)).isEqualTo(8);
        assertThat(down.nodes(EU, T0 + 300_000 + DELIVERY)).isEqualTo(5);
    }

    @Test
    void ignoresTheFleetsSignalsAndWithoutRequestsKeepsTheScenariosNodes() {
        Autoscaler scaler = following(new ScalingRequest("fleet", T0, Direction.UP, 40));
        Autoscaler fixed = Autoscaler.fixed(SCENARIO);
        for (int r = 0; r < SCENARIO.regions().size(); r++) {
            int nodes = SCENARIO.regions().get(r).nodes();
            assertThat(scaler.nodes(r, T0 + 600_000)).isEqualTo(nodes);
            assertThat(fixed.nodes(r, T0 + 600_000)).isEqualTo(nodes);
        }
    }

    @Test
    void nodesAddedReportTheirHealthOnceTheyServe() {
        Autoscaler scaler = following(eu(60_000, Direction.UP, 6));
        FleetSimulator sim = new FleetSimulator(SCENARIO, null, scaler, 0);
        TreeSet<String> before = new TreeSet<>();
        TreeSet<String> after = new TreeSet<>();
        long serving = T0 + 60_000 + STARTUP;
        while (sim.hasNext()) {
            long t = sim.nextSecondMillis();
            sim.step((kind, bytes) -> {
                String json = new String(bytes, StandardCharsets.UTF_8);
                if (json.contains("\"NODE_HEALTH\"") && json.contains("\"eu-west\"")) {
                    (t < serving ? before : after).add(json.replaceAll(".*\"authNode\":\"([^\"]+)\".*", "$1"));
                }
            });
        }
        assertThat(before).containsExactly("eu-west-auth-1", "eu-west-auth-2", "eu-west-auth-3", "eu-west-auth-4");
        assertThat(after).contains("eu-west-auth-5", "eu-west-auth-6").hasSize(6);
        SimResult.RegionSeries eu = sim.result().regions.get("eu-west");
        int first = (int) ((serving - T0) / 1000);
        assertThat(eu.firstSecondWithAddedNodes()).isEqualTo(first);
        assertThat(eu.peakNodes()).isEqualTo(6);
        assertThat(eu.capacity[first]).isEqualTo(1.5 * eu.capacity[0]);
    }
}
