package io.stampede.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.Fixtures;
import io.stampede.config.ConfigException;
import io.stampede.config.ConfigLoader;
import io.stampede.config.StampedeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlReaderTest {

    private final ControlReader reader = new ControlReader(Fixtures.config());

    private static String control(String kindAndMore) {
        return "{\"controlId\":\"c-1\",\"region\":\"eu-west\",\"effectiveFrom\":\"2026-11-24T08:00:00Z\","
                + "\"reason\":\"rollout\",\"createdBy\":\"alice\"," + kindAndMore + "}";
    }

    @Test
    void aMaintenanceWindowIsAcceptedAndInForceOnlyInsideItsWindow() {
        ControlReader.Result r = reader.read(control(
                "\"kind\":\"MAINTENANCE\",\"until\":\"2026-11-24T10:00:00Z\",\"updateId\":\"KB-1\""));
        assertThat(r.refusal()).isNull();
        Control c = r.control();
        ControlBook book = new ControlBook(List.of(c));
        assertThat(book.at("eu-west", c.effectiveFromMs()).maintenance()).containsExactly(c);
        assertThat(book.at("eu-west", c.untilMs()).maintenance()).isEmpty();
        assertThat(book.at("us-east", c.effectiveFromMs()).maintenance()).isEmpty();
        assertThat(book.at("eu-west", c.effectiveFromMs()).announcing(List.of("KB-2"))).isNull();
        assertThat(book.at("eu-west", c.effectiveFromMs()).announcing(List.of("KB-1"))).isEqualTo(c);
    }

    @Test
    void refusesWhatWouldBeAppliedHalfwayWithAReason() {
        assertThat(reader.read(control("\"kind\":\"MAINTENANCE\"")).refusal()).contains("until");
        assertThat(reader.read(control("\"kind\":\"THROTTLE\",\"mode\":\"FIXED\"")).refusal()).contains("admitPerSec");
        assertThat(reader.read(control("\"kind\":\"THROTTLE\",\"mode\":\"SOMETIMES\"")).refusal())
                .contains("SOMETIMES");
        assertThat(reader.read(control(
                "\"kind\":\"MAINTENANCE\",\"until\":\"2026-11-24T07:00:00Z\"")).refusal())
                .contains("must be after effectiveFrom");
        assertThat(reader.read("{not json").refusal()).startsWith("not one JSON object");
    }

    @Test
    void settingsAreCheckedLikeTheConfigurationFile() {
        assertThat(reader.read(control("\"kind\":\"SETTINGS\",\"settings\":{\"capacity\":{\"safeUtilization\":2}}"))
                .refusal()).contains("capacity.safeUtilization");
        assertThat(reader.read(control("\"kind\":\"SETTINGS\",\"settings\":{\"capacity\":{\"safeUtilisation\":0.7}}"))
                .refusal()).contains("unknown setting 'settings.capacity.safeUtilisation'");
        assertThat(reader.read(control("\"kind\":\"SETTINGS\",\"settings\":{\"detection\":{\"bucket\":\"5s\"}}"))
                .refusal()).contains("detection.bucket").contains("cannot differ by region");

        ControlReader.Result ok = reader.read(control(
                "\"kind\":\"SETTINGS\",\"settings\":{\"capacity\":{\"staticCapacity\":1200},"
                        + "\"detection\":{\"loginSurge\":{\"fireRatio\":3}}}"));
        assertThat(ok.refusal()).isNull();
        StampedeConfig regional = reader.settingsOf(ok.control());
        assertThat(regional.capacity().staticCapacity()).isEqualTo(1200);
        assertThat(regional.detection().loginSurge().fireRatio()).isEqualTo(3);
        assertThat(regional.detection().bucket()).isEqualTo(Fixtures.config().detection().bucket());
    }

    @Test
    void theLaterOfTwoThrottleSwitchesWins() {
        Control off = reader.read(control("\"kind\":\"THROTTLE\",\"mode\":\"OFF\"")).control();
        Control auto = reader.read(control("\"kind\":\"THROTTLE\",\"mode\":\"AUTO\"")
                .replace("c-1", "c-2").replace("08:00:00Z", "09:00:00Z")).control();
        ControlBook book = new ControlBook(List.of(auto, off));
        assertThat(book.at("eu-west", off.effectiveFromMs()).throttleMode()).isEqualTo(Control.ThrottleMode.OFF);
        assertThat(book.at("eu-west", auto.effectiveFromMs()).throttleMode()).isEqualTo(Control.ThrottleMode.AUTO);
        assertThat(book.at("us-east", auto.effectiveFromMs()).throttleMode()).isEqualTo(Control.ThrottleMode.AUTO);
    }

    @Test
    void theConfigurationFilesRegionsAreCheckedAtStart(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "regions:\n  ap-south:\n    capacity:\n      staticCapacity: -5\n");
        assertThatThrownBy(() -> ConfigLoader.load(bad, List.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("regions.ap-south: capacity.staticCapacity must not be negative").hasMessageContaining("capacity.staticCapacity");
        Path slot = dir.resolve("slot.yaml");
        Files.writeString(slot, "regions:\n  ap-south:\n    detection:\n      seasonSlot: 10m\n");
        assertThatThrownBy(() -> ConfigLoader.load(slot, List.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("regions.ap-south.detection.seasonSlot").hasMessageContaining("cannot differ");

        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "regions:\n  ap-south:\n    capacity:\n      staticCapacity: 800\n");
        StampedeConfig config = ConfigLoader.load(good, List.of());
        assertThat(ControlReader.regionConfig(config, "ap-south").capacity().staticCapacity()).isEqualTo(800);
        assertThat(ControlReader.regionConfig(config, "eu-west").capacity().staticCapacity()).isZero();
    }

    @Test
    void theControlFilesShippedUnderDeployAreAccepted() throws Exception {
        Path folder = io.stampede.deploy.Manifests.deploy("controls");
        List<Path> files;
        try (var listed = Files.list(folder)) {
            files = listed.filter(f -> f.toString().endsWith(".jsonl")).toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                assertThat(reader.read(line).refusal()).as(f + ": " + line).isNull();
            }
        }
    }
}
