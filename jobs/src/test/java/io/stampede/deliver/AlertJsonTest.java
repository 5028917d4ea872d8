package io.stampede.deliver;

import static io.stampede.deliver.AlertFixtures.ago;
import static io.stampede.deliver.AlertFixtures.firing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import io.stampede.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AlertJsonTest {

    private final Alert wave = firing(AlertType.REBOOT_WAVE, "eu-west", "inc-1", ago(Duration.ofMinutes(3)));

    @Test
    void readsWhatStampedeWritesAndIgnoresFieldsItDoesNotKnow() throws Exception {
        // An empty relatedRegions is left out of the JSON, so it reads back as null.
        assertThat(AlertJson.read(Json.write(wave))).usingRecursiveComparison().ignoringFields("relatedRegions")
                .isEqualTo(wave);
        String newer = Json.write(wave).replaceFirst("\\{", "{\"addedLater\":{\"x\":1},");
        assertThat(AlertJson.read(newer.getBytes(StandardCharsets.UTF_8))).usingRecursiveComparison()
                .ignoringFields("relatedRegions").isEqualTo(wave);
    }

    @Test
    void refusesWhatDeliveryCannotUseSayingWhy() {
        assertThatThrownBy(() -> AlertJson.read("{\"dedupKey\":\"x\"}")).isInstanceOf(IOException.class)
                .hasMessage("alert without incidentId");
        assertThatThrownBy(() -> AlertJson.read(Json.write(wave).replace("\"FIRING\"", "\"RESOLVED\"")))
                .hasMessageContaining("endsAt");
        assertThatThrownBy(() -> AlertJson.read(Json.write(wave).replace(wave.startsAt(), "yesterday")))
                .hasMessage("startsAt \"yesterday\" is not an RFC 3339 time");
        assertThatThrownBy(() -> AlertJson.read("[1,2]")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> AlertJson.read("{\"type\":\"SOMETHING\"}")).isInstanceOf(IOException.class);
    }
}
