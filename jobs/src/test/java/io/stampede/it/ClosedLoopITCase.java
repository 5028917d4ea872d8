package io.stampede.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.cli.DemoSummary;
import io.stampede.cli.Incidents;
import io.stampede.event.Timestamps;
import io.stampede.plan.ScalingSignal;
import io.stampede.sim.Scenario;
import io.stampede.sim.SimResult;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default demo scenario played twice on a mini cluster: once with the simulated front door
 * following Stampede's directives, once ignoring them. Stampede must keep the tier from
 * overloading, warn early enough, and say so in well-formed directives and scaling signals.
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

    @BeforeAll
    static void play() throws Exception {
        with = ScenarioRuns.play(SCENARIO, true, dir.resolve("with"));
        without = ScenarioRuns.play(SCENARIO, false, dir.resolve("without"));
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
        assertThat(b.deferredLogins()).isPositive();
        assertThat(b.meanDeferralSeconds()).isBetween(1.0, 900.0);
    }

    @Test
    void warnsAtLeastTwoMinutesBeforeDemandWouldHaveCrossedCapacity() {
        List<DemoSummary.LeadTime> leads = DemoSummary.leadTimes(without.truth(), without.outputs());
        assertThat(leads).extracting(DemoSummary.LeadTime::region).contains("eu-west");
        for (DemoSummary.LeadTime lead : leads) {
            assertThat(lead.firstWarningAt()).as("warning in %s", lead.region()).isPositive();
            assertThat(lead.leadSeconds()).as("lead time in %s", lead.region()).isGreaterThanOrEqualTo(120);
        }
    }

    @Test
    void directivesAreRenewedBeforeTheyExpireReleasedGraduallyAndLifted() {
        List<ThrottleDirective> eu = with.outputs().directives().stream().filter(d -> d.region().equals("eu-west"))
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
    }
}
