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
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ActiveAlertsTest {

    private static final Duration RESEND = Duration.ofMinutes(1);

    private final ActiveAlerts active = new ActiveAlerts(new AlertmanagerMapping(""), RESEND);
    private final Alert wave = firing(AlertType.REBOOT_WAVE, "eu-west", "inc-1", ago(Duration.ofMinutes(2)));

    @Test
    void newFiringAlertIsPostedAtOnce() {
        assertThat(active.accept(wave, NOW)).singleElement()
                .satisfies(a -> assertThat(a.endsAt()).isNull());
    }

    @Test
    void firingAlertIsRePostedEveryResendIntervalUntilItResolves() {
        active.accept(wave, NOW);
        assertThat(active.due(NOW.plusSeconds(30))).isEmpty();
        assertThat(active.due(NOW.plusSeconds(60))).singleElement()
                .satisfies(a -> assertThat(a.labels()).containsEntry("alertname", "StampedeRebootWave"));
        assertThat(active.due(NOW.plusSeconds(90))).isEmpty();
        assertThat(active.due(NOW.plusSeconds(125))).hasSize(1);
        assertThat(active.due(NOW.plusSeconds(184))).isEmpty();
        assertThat(active.due(NOW.plusSeconds(185))).hasSize(1);
        assertThat(active.isEmpty()).isFalse();
    }

    @Test
    void resolvedStateIsPostedWithItsEndsAtThreeTimesThenForgotten() {
        active.accept(wave, NOW);
        Instant end = NOW.plusSeconds(20);
        Alert over = resolved(wave, end);
        Instant t = NOW.plusSeconds(30);
        assertThat(active.accept(over, t)).singleElement()
                .satisfies(a -> assertThat(a.endsAt()).isEqualTo("2026-11-27T10:00:20Z"));
        assertThat(active.due(t.plus(RESEND))).singleElement()
                .satisfies(a -> assertThat(a.endsAt()).isEqualTo("2026-11-27T10:00:20Z"));
        assertThat(active.due(t.plus(RESEND.multipliedBy(2)))).hasSize(1);
        assertThat(active.isEmpty()).isTrue();
        assertThat(active.due(t.plus(RESEND.multipliedBy(3)))).isEmpty();
    }

    @Test
    void resolvedStateOfAnAlertNeverSeenIsPostedToo() {
        assertThat(active.accept(resolved(wave, NOW), NOW)).singleElement()
                .satisfies(a -> assertThat(a.endsAt()).isNotNull());
    }

    @Test
    void anUpdateReplacesWhatIsRePosted() {
        active.accept(wave, NOW);
        Alert later = update(wave, Severity.WARNING);
        assertThat(active.accept(later, NOW.plusSeconds(10))).singleElement()
                .satisfies(a -> assertThat(a.annotations().get("summary")).isEqualTo(later.summary()));
        assertThat(active.due(NOW.plusSeconds(60))).isEmpty();
        assertThat(active.due(NOW.plusSeconds(70))).singleElement()
                .satisfies(a -> assertThat(a.annotations().get("summary")).isEqualTo(later.summary()));
    }

    @Test
    void aNewSeverityEndsTheAlertUnderItsOldLabels() {
        active.accept(wave, NOW);
        Instant t = NOW.plusSeconds(40);
        var posts = active.accept(update(wave, Severity.CRITICAL), t);
        assertThat(posts).hasSize(2);
        assertThat(posts.get(0).labels()).containsEntry("severity", "warning");
        assertThat(posts.get(0).endsAt()).isEqualTo("2026-11-27T10:00:40Z");
        assertThat(posts.get(1).labels()).containsEntry("severity", "critical");
        assertThat(posts.get(1).endsAt()).isNull();
        assertThat(active.due(t.plus(RESEND))).singleElement()
                .satisfies(a -> assertThat(a.labels()).containsEntry("severity", "critical"));
    }

    @Test
    void restoredFiringAlertIsDueAtOnceAndARestoredResolutionForgetsIt() {
        active.restore(wave);
        assertThat(active.due(NOW)).hasSize(1);
        active.restore(resolved(wave, NOW));
        assertThat(active.isEmpty()).isTrue();
        assertThat(active.due(NOW.plus(RESEND))).isEmpty();
    }
}
