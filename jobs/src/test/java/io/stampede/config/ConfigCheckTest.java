package io.stampede.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The constraints annotated on {@link StampedeConfig}, reported under each setting's full name. */
class ConfigCheckTest {

    @TempDir
    Path dir;

    @Test
    void aConstraintIsReportedUnderTheSettingsPath() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("throttle.releaseStep=1.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("throttle.releaseStep must be in (0, 1], got 1.5");
    }

    @Test
    void aRecordUsedInTwoPlacesIsNamedByEach() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("detection.loginSurge.fireRatio=0.5",
                        "detection.rebootWave.fireEvidence=0")))
                .hasMessageContaining("detection.loginSurge.fireRatio must be above 1, got 0.5")
                .hasMessageContaining("detection.rebootWave.fireEvidence must be positive, got 0.0");
    }

    @Test
    void eachKindOfConstraintSaysWhatIsAccepted() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("detection.bucket=1500ms", "input.idleness=0s",
                        "detection.warmup=-PT1S", "delivery.queueCapacity=0", "kafka.startFrom=first",
                        "delivery.groupId= ", "kafka.transactionTimeout=1h", "delivery.retry.maxAttempts=101")))
                .hasMessageContaining("detection.bucket must be whole seconds between 1s and 1h, got 1500ms")
                .hasMessageContaining("input.idleness must be a positive duration, got 0s")
                .hasMessageContaining("detection.warmup must not be negative, got -1s")
                .hasMessageContaining("delivery.queueCapacity must be between 1 and 1000000, got 0")
                .hasMessageContaining("kafka.startFrom must be committed, earliest, latest or timestamp, got \"first\"")
                .hasMessageContaining("delivery.groupId must not be empty")
                .hasMessageContaining("kafka.transactionTimeout must be at most 15m, got 1h: the broker's")
                .hasMessageContaining("delivery.retry.maxAttempts must be between 1 and 100, got 101");
    }

    @Test
    void aSettingLeftWithoutValueIsNamed() throws Exception {
        Path file = dir.resolve("null.yaml");
        Files.writeString(file, "job:\n  stateBackend: ~\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .hasMessage("job.stateBackend must be set: expected text");
    }

    @Test
    void rulesBetweenSettingsNameThemTheSameWay() {
        StampedeConfig c = ConfigLoader.defaults();
        ConfigCheck check = ConfigCheck.of(c);
        assertThat(check.problems()).isEmpty();
        assertThat(check.name(c.detection().loginSurge(), "clearRatio")).isEqualTo("detection.loginSurge.clearRatio");
        assertThat(check.name(c.delivery().retry(), "maxBackoff")).isEqualTo("delivery.retry.maxBackoff");
        assertThatThrownBy(() -> check.name(c.throttle(), "tll")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ConfigLoader.settingName(c, c.throttle(), "controlLatency")).isEqualTo("throttle.controlLatency");
    }
}
