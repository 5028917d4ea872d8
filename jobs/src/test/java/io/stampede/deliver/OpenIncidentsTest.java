package io.stampede.deliver;

import static io.stampede.deliver.AlertFixtures.NOW;
import static io.stampede.deliver.AlertFixtures.ago;
import static io.stampede.deliver.AlertFixtures.firing;
import static io.stampede.deliver.AlertFixtures.resolved;
import static io.stampede.deliver.AlertFixtures.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import io.stampede.alert.Severity;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenIncidentsTest {

    private final OpenIncidents incidents = new OpenIncidents(new PagerDutyMapping(""));
    private final Alert wave = firing(AlertType.REBOOT_WAVE, "eu-west", "inc-eu-west-1", ago(Duration.ofMinutes(5)));
    private final Alert surge = firing(AlertType.LOGIN_SURGE, "eu-west", "inc-eu-west-1", ago(Duration.ofMinutes(4)));
    private final Alert risk = firing(AlertType.CAPACITY_RISK, "us-east", "inc-us-east-1", ago(Duration.ofMinutes(3)));

    @Test
    void oneIncidentIsOnePageResolvedOnlyWhenItsLastAlertResolves() {
        assertThat(incidents.accept(wave)).singleElement().satisfies(e -> {
            assertThat(e.eventAction()).isEqualTo("trigger");
            assertThat(e.dedupKey()).isEqualTo("inc-eu-west-1");
        });
        assertThat(incidents.accept(surge)).singleElement().satisfies(e -> {
            assertThat(e.eventAction()).isEqualTo("trigger");
            assertThat(e.dedupKey()).isEqualTo("inc-eu-west-1");
            assertThat(e.payload().eventClass()).isEqualTo("LOGIN_SURGE");
        });
        assertThat(incidents.accept(resolved(wave, NOW))).isEmpty();
        assertThat(incidents.accept(resolved(surge, NOW))).singleElement().satisfies(e -> {
            assertThat(e.eventAction()).isEqualTo("resolve");
            assertThat(e.dedupKey()).isEqualTo("inc-eu-west-1");
            assertThat(e.payload()).isNull();
        });
    }

    @Test
    void incidentsArePagedApart() {
        assertThat(incidents.accept(wave)).extracting(PagerDutyEvent::dedupKey).containsExactly("inc-eu-west-1");
        assertThat(incidents.accept(risk)).extracting(PagerDutyEvent::dedupKey).containsExactly("inc-us-east-1");
        assertThat(incidents.accept(resolved(risk, NOW))).extracting(PagerDutyEvent::eventAction)
                .containsExactly("resolve");
        assertThat(incidents.accept(surge)).extracting(PagerDutyEvent::eventAction).containsExactly("trigger");
    }

    @Test
    void anEvidenceUpdateSendsNothingAndASeverityChangeTriggersAgain() {
        incidents.accept(wave);
        Alert same = update(wave, Severity.WARNING);
        assertThat(incidents.accept(same)).isEmpty();
        assertThat(incidents.accept(update(same, Severity.CRITICAL))).singleElement().satisfies(e -> {
            assertThat(e.eventAction()).isEqualTo("trigger");
            assertThat(e.dedupKey()).isEqualTo("inc-eu-west-1");
            assertThat(e.payload().severity()).isEqualTo("critical");
        });
    }

    @Test
    void restoredAlertsAreNotPagedAgainButHoldTheIncidentOpen() {
        incidents.restore(wave);
        assertThat(incidents.accept(surge)).extracting(PagerDutyEvent::eventAction).containsExactly("trigger");
        assertThat(incidents.accept(resolved(surge, NOW))).isEmpty();
        assertThat(incidents.accept(resolved(wave, NOW))).extracting(PagerDutyEvent::eventAction)
                .containsExactly("resolve");
    }

    @Test
    void aRestoredResolutionClosesTheIncidentSilently() {
        incidents.restore(wave);
        incidents.restore(resolved(wave, NOW));
        assertThat(incidents.accept(surge)).extracting(PagerDutyEvent::eventAction).containsExactly("trigger");
        assertThat(incidents.accept(resolved(surge, NOW))).extracting(PagerDutyEvent::eventAction)
                .containsExactly("resolve");
    }

    @Test
    void resolutionOfAnIncidentNotSeenIsSentAnywaySinceItMayHaveBeenPagedBeforeARestart() {
        assertThat(incidents.accept(resolved(risk, NOW))).singleElement().satisfies(e -> {
            assertThat(e.eventAction()).isEqualTo("resolve");
            assertThat(e.dedupKey()).isEqualTo("inc-us-east-1");
        });
    }

    @Test
    void anAnnouncedWaveOpensNoPageSoThatTheCapacityRiskOfItsIncidentPagesAtFullUrgency() {
        Alert announced = AlertFixtures.announced(wave, true, "mnt-eu-west");
        Alert overload = update(AlertFixtures.withIncident(risk, "inc-eu-west-1"), Severity.CRITICAL);
        assertThat(incidents.accept(announced)).as("announced: no page").isEmpty();
        assertThat(incidents.accept(overload)).singleElement().satisfies(e -> {
            assertThat(e.eventAction()).isEqualTo("trigger");
            assertThat(e.dedupKey()).isEqualTo("inc-eu-west-1");
            assertThat(e.payload().severity()).as("the page's first event decides its urgency").isEqualTo("critical");
        });
        assertThat(incidents.accept(resolved(overload, NOW))).extracting(PagerDutyEvent::eventAction)
                .containsExactly("resolve");
        assertThat(incidents.accept(resolved(announced, NOW))).as("it never paged").isEmpty();
    }

    @Test
    void aLatentRiskPagesOnlyOnceItRisesToAWarning() {
        Alert latent = update(risk, Severity.INFO);
        assertThat(incidents.accept(latent)).isEmpty();
        assertThat(incidents.accept(update(latent, Severity.WARNING))).extracting(PagerDutyEvent::eventAction)
                .containsExactly("trigger");
        assertThat(incidents.accept(update(update(latent, Severity.WARNING), Severity.INFO)))
                .as("back to latent: the page is resolved").extracting(PagerDutyEvent::eventAction)
                .containsExactly("resolve");
    }
}
