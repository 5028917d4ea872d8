package io.stampede.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.Fixtures;
import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.cli.DemoSummary;
import io.stampede.cli.Incidents;
import io.stampede.event.Timestamps;
import io.stampede.io.OutputFiles;
import io.stampede.plan.ScalingSignal;
import io.stampede.sim.Scenario;
import io.stampede.sim.SimResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default demo scenario played on a mini cluster with the simulated tier following Stampede
 * (its front door the directives, its autoscaler the scaling signals) and ignoring it; also once
 * more with it, to see the closed loop play the same, and once with scaling switched off, to see
 * what the added nodes change. Stampede must keep the tier from overloading, warn early enough,
 * and say so in well-formed directives and scaling signals.
 */
class ClosedLoopITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path dir;

    static final Scenario SCENARIO = Scenario.updateWave(Scenario.REFERENCE_DEVICES, 7);
    static ScenarioRuns.Played with;
    static ScenarioRuns.Played without;
    static ScenarioRuns.Played withAgain;
    static ScenarioRuns.Played withoutScaling;

    @BeforeAll
    static void play() throws Exception {
        with = ScenarioRuns.play(SCENARIO, true, dir.resolve("with"));
        without = ScenarioRuns.play(SCENARIO, false, dir.resolve("without"));
        withAgain = ScenarioRuns.play(SCENARIO, true, dir.resolve("with-again"));
        withoutScaling = ScenarioRuns.play(SCENARIO, true, dir.resolve("with-no-scaling"), "scaling.enabled=false");
    }

    @Test
    void theTierOverloadsWithoutStampedeAndNeverWithIt() {
        SimResult.Outcome a = without.truth().outcome();
        SimResult.Outcome b = with.truth().outcome();
        assertThat(a.overloadedMinutes()).isGreaterThan(5);
        assertThat(a.failedLogins()).isGreaterThan(10_000);
        assertThat(b.overloadedMinutes()).isZero();
        assertThat(b.peakUtilization()).isLessThanOrEqualTo(1.0);
        assertThat(b.failedLogins()).isLessThan(a.failedLogins() / 100);
        // With the nodes asked for before the wave, nothing needs deferring; throttling alone defers.
        SimResult.Outcome c = withoutScaling.truth().outcome();
        assertThat(c.overloadedMinutes()).isZero();
        assertThat(c.deferredLogins()).isPositive();
        assertThat(c.meanDeferralSeconds()).isBetween(1.0, 900.0);
    }

    @Test
    void warnsAndAsksForNodesAtLeastFiveMinutesBeforeDemandWouldHaveCrossedCapacity() {
        List<DemoSummary.LeadTime> leads = DemoSummary.leadTimes(without.truth(), without.outputs());
        assertThat(leads).extracting(DemoSummary.LeadTime::region).contains("eu-west");
        for (DemoSummary.LeadTime lead : leads) {
            assertThat(lead.firstWarningAt()).as("warning in %s", lead.region()).isPositive();
            assertThat(lead.leadSeconds()).as("lead time in %s", lead.region()).isGreaterThanOrEqualTo(300);
            assertThat(lead.before(lead.pageAt())).as("WARNING lead in %s", lead.region())
                    .isGreaterThanOrEqualTo(300);
            assertThat(lead.before(lead.scaleUpAt())).as("scale-up lead in %s", lead.region())
                    .isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void directivesAreRenewedBeforeTheyExpireReleasedGraduallyAndLifted() {
        // Throttling alone (no nodes added): the directives carry the tier.
        List<ThrottleDirective> eu = withoutScaling.outputs().directives().stream()
                .filter(d -> d.region().equals("eu-west"))
                .collect(Collectors.toList());
        assertThat(eu).isNotEmpty();
        for (int i = 0; i < eu.size(); i++) {
            ThrottleDirective d = eu.get(i);
            assertThat(Timestamps.parse(d.expiresAt()) - Timestamps.parse(d.issuedAt())).isEqualTo(120_000);
            if (i + 1 < eu.size() && d.state() != ThrottleDirective.State.LIFTED) {
                assertThat(eu.get(i + 1).issuedAt()).as("renewed before %s expires", d.directiveId())
                        .isLessThan(d.expiresAt());
            }
        }
        assertThat(eu).anyMatch(d -> d.triggerPolicy().auto().admitFraction() < 1);
        assertThat(eu).allMatch(d -> d.state() == ThrottleDirective.State.LIFTED
                || d.triggerPolicy().interactive().admitFraction() >= d.triggerPolicy().auto().admitFraction());
        // Released gradually: from the tightest directive on, the admitted share of automatic logins
        // rises in small steps, never at once.
        int tightest = 0;
        for (int i = 0; i < eu.size(); i++) {
            if (eu.get(i).triggerPolicy().auto().admitFraction() < eu.get(tightest).triggerPolicy().auto().admitFraction()) {
                tightest = i;
            }
        }
        int steps = 0;
        for (int i = tightest + 1; i < eu.size(); i++) {
            double before = eu.get(i - 1).triggerPolicy().auto().admitFraction();
            double after = eu.get(i).triggerPolicy().auto().admitFraction();
            assertThat(after - before).as("rise at %s", eu.get(i).issuedAt()).isLessThanOrEqualTo(0.125);
            if (after > before) {
                steps++;
            }
        }
        assertThat(steps).isGreaterThanOrEqualTo(3);
        assertThat(eu.get(eu.size() - 1).state()).isEqualTo(ThrottleDirective.State.LIFTED);
        assertThat(eu.get(0).causeAlertId()).isNotNull();
    }

    @Test
    void scalingSignalsAskForMoreNodesBeforeTheyAreNeeded() {
        List<ScalingSignal> up = without.outputs().signals().stream()
                .filter(s -> s.region().equals("eu-west") && s.direction() == ScalingSignal.Direction.UP)
                .collect(Collectors.toList());
        assertThat(up).isNotEmpty();
        ScalingSignal first = up.get(0);
        assertThat(first.desiredNodes()).isGreaterThan(first.currentNodes());
        assertThat(first.neededBy()).isNotNull();
        assertThat(first.desiredCapacityPerSec() * 0.85).isGreaterThanOrEqualTo(first.forecastDemandPerSec() - 1);
    }

    /**
     * eu-west's tier grows as the signals ask, in time with the start-up of its nodes: the first UP
     * comes before demand would have crossed capacity, its nodes serve {@code scaling.nodeStartup}
     * after it, report their health (the job counts them), and go again on the scale-down.
     */
    @Test
    void theTierScalesUpInEuWestOnTheSignalsBeforeDemandCrossesCapacity() {
        long crossing = DemoSummary.leadTimes(without.truth(), without.outputs()).stream()
                .filter(l -> l.region().equals("eu-west")).findFirst().orElseThrow().demandCrossesCapacityAt();
        ScalingSignal firstUp = with.outputs().signals().stream()
                .filter(s -> s.region().equals("eu-west") && s.direction() == ScalingSignal.Direction.UP)
                .findFirst().orElseThrow();
        long askedAt = Timestamps.parse(firstUp.issuedAt());
        assertThat(askedAt).as("first UP in eu-west").isLessThan(crossing);

        SimResult.RegionSeries eu = with.truth().regions.get("eu-west");
        int nodes = SCENARIO.region("eu-west").nodes();
        long startup = Fixtures.config().scaling().nodeStartup().toMillis();
        long firstServing = with.truth().startMillis + eu.firstSecondWithAddedNodes() * 1000L;
        assertThat(firstServing).isEqualTo(askedAt + startup);
        assertThat(eu.nodes[eu.firstSecondWithAddedNodes()]).isEqualTo(Math.min(firstUp.desiredNodes(), 4 * nodes));
        assertThat(eu.peakNodes()).isGreaterThan(nodes).isLessThanOrEqualTo(4 * nodes);
        assertThat(with.outputs().signals()).as("the job hears the added nodes")
                .anyMatch(s -> s.region().equals("eu-west") && s.currentNodes() > nodes);
        assertThat(eu.nodes[eu.nodes.length - 1]).as("after the scale-down").isEqualTo(nodes);
        assertThat(Arrays.stream(eu.nodes).min().orElseThrow()).isEqualTo(nodes);
        System.out.printf("eu-west: first UP at %s, demand crosses capacity at %s, first added node serving at %s,"
                + " peak %d nodes%n", firstUp.issuedAt(), Timestamps.format(crossing), Timestamps.format(firstServing),
                eu.peakNodes());
    }

    @Test
    void withoutStampedeAndWithScalingOffTheTierKeepsItsNodes() {
        for (ScenarioRuns.Played run : List.of(without, withoutScaling)) {
            for (SimResult.RegionSeries s : run.truth().regions.values()) {
                int nodes = SCENARIO.region(s.region).nodes();
                assertThat(s.nodes).as("%s in %s", s.region, run.dir().getFileName()).containsOnly(nodes);
            }
        }
    }

    /**
     * The added nodes serve about half a minute after demand would have crossed capacity, while the
     * throttle still holds back the wave: with them the planner admits more, sooner, so fewer
     * logins are deferred and not for as long, and the tier stays within capacity either way.
     */
    @Test
    void theAddedNodesLetFewerLoginsWaitThanThrottlingAlone() {
        SimResult.Outcome scaled = with.truth().outcome();
        SimResult.Outcome throttledOnly = withoutScaling.truth().outcome();
        System.out.printf("deferred logins: %,d with scaling (mean %.0f s), %,d with throttling alone (mean %.0f s)%n",
                scaled.deferredLogins(), scaled.meanDeferralSeconds(), throttledOnly.deferredLogins(),
                throttledOnly.meanDeferralSeconds());
        assertThat(withoutScaling.outputs().signals()).isEmpty();
        assertThat(scaled.overloadedMinutes()).isZero();
        assertThat(throttledOnly.overloadedMinutes()).isZero();
        assertThat(throttledOnly.deferredLogins()).isPositive();
        assertThat(scaled.deferredLogins()).isLessThan(throttledOnly.deferredLogins());
        assertThat(scaled.meanDeferralSeconds()).isLessThan(throttledOnly.meanDeferralSeconds());
    }

    /**
     * The simulator waits on the watermark of the directives and of the signals, so the closed loop
     * plays the same however the job's threads are scheduled: the same ground truth second by
     * second, and the same lines in every output (compared sorted: two subtasks write each file).
     */
    @Test
    void theClosedLoopPlaysTheSameEveryTime() throws Exception {
        assertThat(withAgain.truth().outcome()).isEqualTo(with.truth().outcome());
        assertThat(withAgain.truth().events).isEqualTo(with.truth().events);
        for (String region : with.truth().regions.keySet()) {
            SimResult.RegionSeries a = with.truth().regions.get(region);
            SimResult.RegionSeries b = withAgain.truth().regions.get(region);
            assertThat(b.nodes).as(region).isEqualTo(a.nodes);
            assertThat(b.attempts).as(region).isEqualTo(a.attempts);
            assertThat(b.admitted).as(region).isEqualTo(a.admitted);
            assertThat(b.served).as(region).isEqualTo(a.served);
            assertThat(b.failed).as(region).isEqualTo(a.failed);
        }
        for (String file : List.of(OutputFiles.ALERTS, OutputFiles.DIRECTIVES, OutputFiles.SIGNALS,
                OutputFiles.SNAPSHOTS, OutputFiles.COUNTS)) {
            List<String> first = sorted(with.dir().resolve(file));
            if (!file.equals(OutputFiles.DIRECTIVES)) { // the nodes come in time: nothing to throttle
                assertThat(first).as(file).isNotEmpty();
            }
            Fixtures.assertSameLines(sorted(withAgain.dir().resolve(file)), first, () -> " of " + file);
        }
    }

    private static List<String> sorted(Path file) throws IOException {
        return Files.readAllLines(file).stream().sorted().toList();
    }

    /**
     * One update rolled out to eu-west and us-east: the regions' waves share their cause, and the
     * surges and eu-west's capacity risk follow the waves, so every alert is in one incident, and it
     * pages. The demo's summary.json says so, for the run it prints.
     */
    @Test
    void theUpdateInTwoRegionsIsOneIncidentThatPages() {
        JsonNode incidents = DemoSummary.json(SCENARIO, with.truth(), with.outputs(), without.truth(),
                without.outputs()).path("incidents");
        List<String> ids = with.outputs().alerts().stream().map(Alert::incidentId).distinct().toList();
        assertThat(incidents.path("count").asInt()).as("distinct incidentIds in alerts.jsonl: %s", ids)
                .isEqualTo(ids.size()).isEqualTo(1);
        assertThat(incidents.path("pages").asInt()).isEqualTo(1);
        JsonNode incident = incidents.path("list").get(0);
        assertThat(incident.path("incidentId").asText()).isEqualTo(ids.get(0));
        assertThat(incident.path("regions").toString()).contains("\"eu-west\"", "\"us-east\"");
        assertThat(incident.path("types").toString()).contains("REBOOT_WAVE", "LOGIN_SURGE", "CAPACITY_RISK");
        assertThat(incident.path("expected").asBoolean()).isFalse();
        assertThat(Incidents.of(without.outputs().alerts()).count()).as("without actions").isEqualTo(1);
    }

    @Test
    void everyOutputMatchesItsSchema() throws Exception {
        ScenarioRuns.assertOutputsMatchTheirSchemas(with.dir());
        ScenarioRuns.assertOutputsMatchTheirSchemas(without.dir());
        ScenarioRuns.assertOutputsMatchTheirSchemas(withoutScaling.dir());
    }
}
