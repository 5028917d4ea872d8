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

class LatestStatesTest {

    private final Alert wave = firing(AlertType.REBOOT_WAVE, "eu-west", "inc-1", ago(Duration.ofMinutes(3)));

    @Test
    void aStateReadAgainOrOlderThanOneSeenIsNotNew() {
        LatestStates latest = new LatestStates(100);
        Alert later = update(wave, Severity.CRITICAL);
        Alert over = resolved(later, NOW);
        assertThat(latest.isNew(wave)).isTrue();
        assertThat(latest.isNew(wave)).isFalse();
        assertThat(latest.isNew(later)).isTrue();
        assertThat(latest.isNew(over)).isTrue();
        assertThat(latest.isNew(wave)).as("a firing state re-read after the resolution").isFalse();
        assertThat(latest.isNew(later)).isFalse();
    }

    @Test
    void theLeastRecentlySeenAlertsAreForgottenFirst() {
        LatestStates latest = new LatestStates(2);
        Alert surge = firing(AlertType.LOGIN_SURGE, "eu-west", "inc-1", ago(Duration.ofMinutes(2)));
        Alert risk = firing(AlertType.CAPACITY_RISK, "eu-west", "inc-1", ago(Duration.ofMinutes(1)));
        latest.isNew(wave);
        latest.isNew(surge);
        latest.isNew(wave);
        latest.isNew(risk);
        assertThat(latest.isNew(wave)).isFalse();
        assertThat(latest.isNew(surge)).as("forgotten").isTrue();
    }
}
