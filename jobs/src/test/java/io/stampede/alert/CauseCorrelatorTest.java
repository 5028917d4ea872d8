package io.stampede.alert;

import static io.stampede.Fixtures.MINUTE;
import static io.stampede.Fixtures.SECOND;
import static io.stampede.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.stampede.event.Timestamps;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CauseCorrelatorTest {

    private static final long GRACE = 2 * MINUTE;
    private static final CauseCorrelator.Rules RULES = new CauseCorrelator.Rules(GRACE, 30 * MINUTE);
    private static final long START = T0 + 8 * 60 * MINUTE;

    /** Feeds alerts to a correlator as the job does, releasing at the watermarks given. */
    private static final class Run {
        final CauseCorrelator c = new CauseCorrelator();
        final List<Alert> held = new ArrayList<>();
        final List<Alert> emitted = new ArrayList<>();
        final List<CauseCorrelator.Suppressed> suppressed = new ArrayList<>();

        Run in(Alert... alerts) {
            for (Alert a : alerts) {
                c.hold(a);
                held.add(a);
            }
            return this;
        }

        Run watermark(long watermark) {
            CauseCorrelator.Released r = c.release(List.copyOf(held), watermark, RULES);
            held.clear();
            held.addAll(r.held());
            emitted.addAll(r.emitted());
            suppressed.addAll(r.suppressed());
            return this;
        }

        List<String> incidents() {
            return emitted.stream().map(Alert::incidentId).distinct().toList();
        }
    }

    @Nested
    class FleetAlerts {

        @Test
        void aFleetAlertARegionExplainsIsNeverRaisedNorAreItsUpdatesAndResolve() {
            AlertStates region = new AlertStates("ap-south", AlertType.REBOOT_WAVE, "KB1", START);
            AlertStates fleet = new AlertStates("fleet", AlertType.REBOOT_WAVE, "KB1", START + 10 * SECOND);
            Run run = new Run()
                    .in(fleet.firing(START + 30 * SECOND), region.firing(START + 40 * SECOND))
                    .watermark(START + 5 * MINUTE)
                    .in(fleet.firing(START + 6 * MINUTE), fleet.resolved(START + 20 * MINUTE),
                            region.resolved(START + 21 * MINUTE))
                    .watermark(START + 60 * MINUTE);

            assertThat(run.emitted).extracting(Alert::region).containsOnly("ap-south");
            assertThat(run.emitted).hasSize(2);
            assertThat(run.incidents()).containsExactly(region.incident());
            assertThat(run.suppressed).singleElement().satisfies(s -> {
                assertThat(s.alert().region()).isEqualTo("fleet");
                assertThat(s.region()).isEqualTo("ap-south");
                assertThat(s.incident()).isEqualTo(region.incident());
            });
        }

        @Test
        void aRegionAlertUpToTheGraceBeforeTheFleetOneExplainsIt() {
            AlertStates region = new AlertStates("ap-south", AlertType.LOGIN_SURGE, null, START);
            AlertStates fleet = new AlertStates("fleet", AlertType.LOGIN_SURGE, null, START + 2 * MINUTE);
            Run run = new Run()
                    .in(region.firing(START), region.resolved(START + MINUTE), fleet.firing(START + 2 * MINUTE))
                    .watermark(START + 60 * MINUTE);

            assertThat(run.emitted).extracting(Alert::region).containsOnly("ap-south");
            assertThat(run.suppressed).hasSize(1);
        }

        @Test
        void aFleetAlertNoRegionExplainsIsRaisedAfterTheGraceUnderItsOwnIncident() {
            AlertStates fleet = new AlertStates("fleet", AlertType.LOGIN_SURGE, null, START);
            AlertStates otherType = new AlertStates("eu-west", AlertType.REBOOT_WAVE, "KB1", START);
            Run run = new Run().in(fleet.firing(START + 10 * SECOND), otherType.firing(START + 20 * SECOND))
                    .watermark(START + GRACE);

            assertThat(run.emitted).extracting(Alert::region).containsExactly("eu-west");

            run.watermark(START + 10 * SECOND + GRACE);
            assertThat(run.emitted).extracting(Alert::region).containsExactly("eu-west", "fleet");
            assertThat(run.emitted.get(1).incidentId()).isEqualTo(fleet.incident());
            assertThat(run.suppressed).isEmpty();
        }

        @Test
        void aRegionFiringWhileTheFleetAlertFiresJoinsTheFleetsIncident() {
            AlertStates fleet = new AlertStates("fleet", AlertType.LOGIN_SURGE, null, START);
            AlertStates region = new AlertStates("us-east", AlertType.LOGIN_SURGE, null, START + 5 * MINUTE);
            AlertStates consequence = new AlertStates("us-east", AlertType.CAPACITY_RISK, null, START + 6 * MINUTE,
                    region.incident());
            Run run = new Run()
                    .in(fleet.firing(START))
                    .watermark(START + 4 * MINUTE)
                    .in(region.firing(START + 5 * MINUTE), consequence.firing(START + 6 * MINUTE),
                            region.resolved(START + 10 * MINUTE), fleet.resolved(START + 11 * MINUTE))
                    .watermark(START + 60 * MINUTE);

            assertThat(run.emitted).hasSize(5);
            assertThat(run.incidents()).containsExactly(fleet.incident());
        }

        @Test
        void aLaterFleetAlertOfAnExplainedIncidentGoesOutUnderTheRegionsIncident() {
            AlertStates region = new AlertStates("ap-south", AlertType.REBOOT_WAVE, "KB1", START);
            String fleetIncident = "inc-fleet-" + START;
            AlertStates fleetWave = new AlertStates("fleet", AlertType.REBOOT_WAVE, "KB1", START, fleetIncident);
            AlertStates fleetStorm = new AlertStates("fleet", AlertType.RETRY_STORM, null, START + 10 * MINUTE, fleetIncident);
            Run run = new Run()
                    .in(region.firing(START), fleetWave.firing(START + 20 * SECOND),
                            fleetStorm.firing(START + 10 * MINUTE))
                    .watermark(START + 60 * MINUTE);

            assertThat(run.emitted).extracting(Alert::region, Alert::type).containsExactly(
                    tuple("ap-south", AlertType.REBOOT_WAVE),
                    tuple("fleet", AlertType.RETRY_STORM));
            assertThat(run.incidents()).containsExactly(region.incident());
        }
    }

    @Nested
    class SameCause {

        @Test
        void wavesWithTheSameCauseInTwoRegionsAreOneIncidentAndNameEachOther() {
            AlertStates eu = new AlertStates("eu-west", AlertType.REBOOT_WAVE, "KB1", START);
            AlertStates us = new AlertStates("us-east", AlertType.REBOOT_WAVE, "KB1", START + 10 * SECOND);
            AlertStates usSurge = new AlertStates("us-east", AlertType.LOGIN_SURGE, null, START + MINUTE, us.incident());
            Run run = new Run()
                    .in(eu.firing(START), us.firing(START + 10 * SECOND), usSurge.firing(START + MINUTE),
                            eu.firing(START + 3 * MINUTE), us.resolved(START + 20 * MINUTE),
                            usSurge.resolved(START + 21 * MINUTE), eu.resolved(START + 22 * MINUTE))
                    .watermark(START + 60 * MINUTE);

            assertThat(run.incidents()).containsExactly(eu.incident());
            assertThat(run.emitted).filteredOn(a -> a.region().equals("us-east") && a.isFiring()
                    && a.type() == AlertType.REBOOT_WAVE).singleElement()
                    .satisfies(a -> assertThat(a.relatedRegions()).containsExactly("eu-west"));
            assertThat(run.emitted).filteredOn(a -> a.region().equals("eu-west") && a.sequence() == 2).singleElement()
                    .satisfies(a -> {
                        assertThat(a.relatedRegions()).containsExactly("us-east");
                        assertThat(a.summary()).endsWith("same cause also in us-east");
                    });
        }

        @Test
        void aWaveJoinsTheIncidentOfAnotherRegionsRiskFromTheForcedRebootsOfItsUpdate() {
            AlertStates euRisk = new AlertStates("eu-west", AlertType.CAPACITY_RISK, "KB1", START - 60 * MINUTE);
            AlertStates us = new AlertStates("us-east", AlertType.REBOOT_WAVE, "KB1", START);
            AlertStates eu = new AlertStates("eu-west", AlertType.REBOOT_WAVE, "KB1", START + 10 * SECOND,
                    euRisk.incident());
            AlertStates ap = new AlertStates("ap-south", AlertType.REBOOT_WAVE, "KB2", START + 20 * SECOND);
            // The risk is resolved before the wave (nodes were added in time); its incident is still open.
            Run run = new Run().in(euRisk.firing(START - 59 * MINUTE), euRisk.resolved(START - 5 * MINUTE))
                    .watermark(START - 30 * MINUTE)
                    .in(us.firing(START + 20 * SECOND), eu.firing(START + 30 * SECOND), ap.firing(START + 40 * SECOND))
                    .watermark(START + 60 * MINUTE);

            assertThat(run.incidents()).containsExactly(euRisk.incident(), ap.incident());
            assertThat(run.emitted).filteredOn(a -> a.region().equals("us-east"))
                    .allMatch(a -> a.incidentId().equals(euRisk.incident()));
        }

        @Test
        void onceTheRisksIncidentIsClosedAWaveOfItsUpdateIsItsOwnIncident() {
            AlertStates euRisk = new AlertStates("eu-west", AlertType.CAPACITY_RISK, "KB1", START - 120 * MINUTE);
            AlertStates us = new AlertStates("us-east", AlertType.REBOOT_WAVE, "KB1", START);
            Run run = new Run().in(euRisk.firing(START - 119 * MINUTE), euRisk.resolved(START - 100 * MINUTE))
                    .watermark(START - 30 * MINUTE).in(us.firing(START + 20 * SECOND)).watermark(START + 60 * MINUTE);

            assertThat(run.incidents()).containsExactly(euRisk.incident(), us.incident());
        }

        @Test
        void wavesWithDifferentCausesAreTwoIncidents() {
            AlertStates eu = new AlertStates("eu-west", AlertType.REBOOT_WAVE, "KB1", START);
            AlertStates ap = new AlertStates("ap-south", AlertType.REBOOT_WAVE, "KB2", START + 10 * SECOND);
            Run run = new Run().in(eu.firing(START), ap.firing(START + 10 * SECOND)).watermark(START + 60 * MINUTE);

            assertThat(run.incidents()).containsExactly(eu.incident(), ap.incident());
            assertThat(run.emitted).allSatisfy(a -> assertThat(a.relatedRegions()).isEmpty());
        }

        @Test
        void aWaveAfterTheOtherRegionsResolvedIsItsOwnIncident() {
            AlertStates eu = new AlertStates("eu-west", AlertType.REBOOT_WAVE, "KB1", START);
            AlertStates us = new AlertStates("us-east", AlertType.REBOOT_WAVE, "KB1", START + 10 * MINUTE);
            Run run = new Run().in(eu.firing(START), eu.resolved(START + 5 * MINUTE), us.firing(START + 10 * MINUTE))
                    .watermark(START + 60 * MINUTE);

            assertThat(run.incidents()).containsExactly(eu.incident(), us.incident());
        }
    }

    @Test
    void theDecisionsAndTheirOrderDoNotDependOnHowTheWatermarksCome() {
        List<Alert> story = story();
        Run atOnce = new Run();
        story.forEach(atOnce::in);
        atOnce.watermark(Long.MAX_VALUE);

        Run bySecond = new Run();
        int next = 0;
        for (long w = START; w <= START + 40 * MINUTE; w += SECOND) {
            // An alert comes in once the watermark is before its detection, as the segment stage sends it.
            while (next < story.size() && Timestamps.parse(story.get(next).detectedAt()) - 1 <= w + SECOND) {
                bySecond.in(story.get(next++));
            }
            bySecond.watermark(w);
        }
        bySecond.watermark(Long.MAX_VALUE);

        assertThat(bySecond.emitted).isNotEmpty().isEqualTo(atOnce.emitted);
        assertThat(bySecond.suppressed).isEqualTo(atOnce.suppressed);
        assertThat(bySecond.held).isEmpty();
    }

    /** A same-cause wave in two regions, the fleet seeing it too, and a fleet-only surge later; by detection. */
    private static List<Alert> story() {
        AlertStates eu = new AlertStates("eu-west", AlertType.REBOOT_WAVE, "KB1", START);
        AlertStates us = new AlertStates("us-east", AlertType.REBOOT_WAVE, "KB1", START + 20 * SECOND);
        AlertStates fleetWave = new AlertStates("fleet", AlertType.REBOOT_WAVE, "KB1", START + 10 * SECOND);
        AlertStates fleetSurge = new AlertStates("fleet", AlertType.LOGIN_SURGE, null, START + 15 * MINUTE);
        return List.of(eu.firing(START + 10 * SECOND), fleetWave.firing(START + 20 * SECOND),
                us.firing(START + 30 * SECOND), fleetWave.firing(START + MINUTE), eu.firing(START + 3 * MINUTE),
                us.resolved(START + 10 * MINUTE), fleetWave.resolved(START + 11 * MINUTE),
                eu.resolved(START + 12 * MINUTE), fleetSurge.firing(START + 15 * MINUTE),
                fleetSurge.resolved(START + 25 * MINUTE));
    }
}
