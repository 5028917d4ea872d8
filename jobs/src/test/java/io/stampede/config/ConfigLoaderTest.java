package io.stampede.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaultsLoadAndWorkForTheDemo() {
        StampedeConfig c = ConfigLoader.defaults();
        assertThat(c.detection().bucket()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.capacity().safeUtilization()).isEqualTo(0.85);
        assertThat(c.kafka().topics().directives()).isEqualTo("throttle-directives");
        assertThat(c.job().stateBackend()).isEqualTo("hashmap");
    }

    @Test
    void fileChangesOnlyWhatItNamesAndOverridesWin() throws Exception {
        Path file = dir.resolve("stampede.yaml");
        Files.writeString(file, "detection:\n  bucket: 5s\n  rebootWave:\n    fireEvidence: 8\nkafka:\n  properties:\n"
                + "    security.protocol: SASL_SSL\n");
        StampedeConfig c = ConfigLoader.load(file, List.of("detection.bucket=20s", "kafka.properties.sasl.mechanism=SCRAM-SHA-512"));
        assertThat(c.detection().bucket()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.detection().rebootWave().fireEvidence()).isEqualTo(8.0);
        assertThat(c.detection().rebootWave().fireRatio()).isEqualTo(3.0);
        assertThat(c.kafka().properties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void unknownSettingIsNamedWithTheKnownOnes() throws Exception {
        Path file = dir.resolve("typo.yaml");
        Files.writeString(file, "detection:\n  buckett: 5s\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown setting 'detection.buckett'")
                .hasMessageContaining("detection.bucket");
    }

    @Test
    void aSettingOfAnEarlierVersionNamesItsReplacement() throws Exception {
        Path file = dir.resolve("old.yaml");
        Files.writeString(file, "detection:\n  loginSurge:\n    fireScore: 8\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown setting 'detection.loginSurge.fireScore'")
                .hasMessageContaining("replaced by fireEvidence");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("detection.rebootWave.fireScore=8")))
                .hasMessageContaining("replaced by fireEvidence");
    }

    @Test
    void theWarmUpAndTimeConstantsLeftOutScaleWithTheBucket() {
        StampedeConfig.Detection d = ConfigLoader.load(null, List.of("detection.bucket=1m")).detection();
        assertThat(d.warmup()).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(d.levelTimeConstant()).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(d.trendTimeConstant()).isEqualTo(java.time.Duration.ofHours(3));
        StampedeConfig.Detection set = ConfigLoader.load(null,
                List.of("detection.bucket=1m", "detection.levelTimeConstant=20m")).detection();
        assertThat(set.levelTimeConstant()).isEqualTo(java.time.Duration.ofMinutes(20));
        assertThat(ConfigLoader.load(null, List.of()).detection().warmup()).isEqualTo(java.time.Duration.ofMinutes(10));
    }

    @Test
    void unknownOverrideIsRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("nope.key=1")))
                .hasMessageContaining("unknown setting 'nope.key'");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("detection")))
                .hasMessageContaining("must look like section.key=value");
    }

    @Test
    void badDurationSaysHowToWriteOne() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("detection.bucket=soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("detection.bucket")
                .hasMessageContaining("duration");
    }

    @Test
    void rangesAndRelationsAreChecked() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("capacity.safeUtilization=1.5")))
                .hasMessageContaining("capacity.safeUtilization must be in (0, 1]");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("throttle.ttl=10s", "throttle.renewEvery=30s")))
                .hasMessageContaining("throttle.ttl");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("input.allowedLateness=20m")))
                .hasMessageContaining("input.allowedLateness (20m) must not exceed input.dedupWindow (10m)");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("input.deadLetterKeepBytes=900000")))
                .hasMessageContaining("input.deadLetterKeepBytes must be at most 524288");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("job.stateBackend=memory")))
                .hasMessageContaining("hashmap or rocksdb");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("kafka.startFrom=timestamp")))
                .hasMessageContaining("kafka.startTimestamp");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("kafka.transactionTimeout=1h")))
                .hasMessageContaining("15m");
    }

    @Test
    void severalProblemsAreReportedTogether() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("job.parallelism=0", "input.maxRecordBytes=0")))
                .hasMessageContaining("job.parallelism").hasMessageContaining("input.maxRecordBytes");
    }

    @Test
    void durationsReadTheUsualForms() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("PT10S")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
    }

    @Test
    void aYamlSyntaxErrorIsOneLineWithItsPosition() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "detection:\n  bucket: 10s\n   warmup: 5m\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("configuration file " + file + " is not valid YAML: mapping values are not allowed here "
                        + "at line 3, column 10");
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing, List.of()))
                .hasMessage("cannot read configuration file " + missing + ": no such file");
    }
}
