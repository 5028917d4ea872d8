package io.stampede.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.event.Contract;
import io.stampede.event.ContractValidator;
import io.stampede.event.InputKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetSimulatorTest {

    private static Scenario wave() {
        Scenario sc = Scenario.updateWave(2_000, 5);
        return sc.withNoise(new Scenario.Noise(0, sc.noise().disorder(), 0, sc.noise().trafficJitter()))
                .withDuration(Duration.ofMinutes(20));
    }

    @Test
    void everyRecordItWritesMatchesItsSchema() {
        ContractValidator validator = ContractValidator.shared();
        FleetSimulator sim = new FleetSimulator(wave(), null, 0);
        Map<String, Integer> types = new HashMap<>();
        List<String> invalid = new ArrayList<>();
        while (sim.hasNext()) {
            sim.step((kind, bytes) -> {
                String json = new String(bytes, StandardCharsets.UTF_8);
                types.merge(kind == InputKind.LOGIN ? "LOGIN" : json.replaceAll(".*\"type\":\"([A-Z_]+)\".*", "$1"), 1,
                        Integer::sum);
                if (!validator.validate(Contract.of(kind), json).isEmpty()) {
                    invalid.add(json);
                }
            });
        }
        assertThat(invalid).isEmpty();
        assertThat(types).containsKeys("LOGIN", "BOOT", "UPDATE_INSTALLED", "NODE_HEALTH");
    }

    @Test
    void theSameSeedPlaysTheSameRecords() {
        assertThat(play(wave())).isEqualTo(play(wave()));
    }

    private static List<String> play(Scenario scenario) {
        List<String> out = new ArrayList<>();
        FleetSimulator sim = new FleetSimulator(scenario, null, 0);
        while (sim.hasNext()) {
            sim.step((kind, bytes) -> out.add(new String(bytes, StandardCharsets.UTF_8)));
        }
        return out;
    }
}
