package io.stampede.alert;

import static io.stampede.Fixtures.MINUTE;
import static io.stampede.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AlertBookTest {

    private final AlertBook.Rules rules = new AlertBook.Rules(30 * MINUTE, 2 * MINUTE, "RUNBOOK.md");

    private static AlertContent content(double observed, String cause) {
        return new AlertContent("s", new Evidence(observed, 1, 9, "u", new Evidence.Window("a", "b")), List.of(), null,
                cause);
    }

    @Test
    void anAlertFiresUpdatesUnderTheSameKeyAndResolves() {
        AlertBook book = new AlertBook("eu");
        Alert fired = book.fire(AlertType.REBOOT_WAVE, T0, T0 + 20_000, Severity.WARNING, content(10, "updateId=KB1"), rules);
        assertThat(fired.sequence()).isEqualTo(1);
        assertThat(fired.status()).isEqualTo(AlertStatus.FIRING);
        assertThat(fired.endsAt()).isNull();
        assertThat(fired.runbook()).isEqualTo("RUNBOOK.md#reboot-wave");
        assertThat(book.update(AlertType.REBOOT_WAVE, T0 + 30_000, Severity.WARNING, content(11, "updateId=KB1"), rules))
                .as("nothing new to say").isNull();
        Alert escalated = book.update(AlertType.REBOOT_WAVE, T0 + 40_000, Severity.CRITICAL, content(40, "updateId=KB1"),
                rules);
        assertThat(escalated.sequence()).isEqualTo(2);
        assertThat(escalated.dedupKey()).isEqualTo(fired.dedupKey());
        assertThat(escalated.alertId()).isNotEqualTo(fired.alertId());
        Alert resolved = book.resolve(AlertType.REBOOT_WAVE, T0 + 5 * MINUTE, T0 + 6 * MINUTE, content(0, null), rules);
        assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(resolved.sequence()).isEqualTo(3);
        assertThat(resolved.endsAt()).isEqualTo("2026-11-24T00:05:00Z");
        assertThat(book.isFiring(AlertType.REBOOT_WAVE)).isFalse();
    }

    @Test
    void consequencesJoinTheIncidentOfTheirCause() {
        AlertBook book = new AlertBook("eu");
        Alert wave = book.fire(AlertType.REBOOT_WAVE, T0, T0 + 20_000, Severity.WARNING, content(10, null), rules);
        Alert surge = book.fire(AlertType.LOGIN_SURGE, T0 + MINUTE, T0 + 2 * MINUTE, Severity.WARNING, content(10, null),
                rules);
        Alert risk = book.fire(AlertType.CAPACITY_RISK, T0 + MINUTE, T0 + 3 * MINUTE, Severity.WARNING, content(1, null),
                rules);
        assertThat(surge.incidentId()).isEqualTo(wave.incidentId());
        assertThat(risk.incidentId()).isEqualTo(wave.incidentId());
    }

    @Test
    void aLaterUnrelatedAlertStartsANewIncident() {
        AlertBook book = new AlertBook("eu");
        Alert wave = book.fire(AlertType.REBOOT_WAVE, T0, T0 + 20_000, Severity.WARNING, content(10, null), rules);
        book.resolve(AlertType.REBOOT_WAVE, T0 + 5 * MINUTE, T0 + 6 * MINUTE, content(0, null), rules);
        Alert later = book.fire(AlertType.LOGIN_SURGE, T0 + 60 * MINUTE, T0 + 61 * MINUTE, Severity.WARNING,
                content(10, null), rules);
        assertThat(later.incidentId()).isNotEqualTo(wave.incidentId());
    }

    @Test
    void idsDependOnlyOnSegmentTypeAndEventTime() {
        Alert a = new AlertBook("eu").fire(AlertType.LOGIN_SURGE, T0, T0 + 20_000, Severity.WARNING, content(1, null), rules);
        Alert b = new AlertBook("eu").fire(AlertType.LOGIN_SURGE, T0, T0 + 20_000, Severity.WARNING, content(1, null), rules);
        assertThat(a).isEqualTo(b);
    }
}
