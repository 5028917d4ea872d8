package io.stampede.deliver;

import static io.stampede.deliver.DeliveryConfigTest.ROUTING_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.Fixtures;
import io.stampede.alert.AlertType;
import io.stampede.cli.StampedeCli;
import io.stampede.config.ConfigLoader;
import io.stampede.config.StampedeConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PagerDuty routing key is a secret: nothing Stampede prints or logs may contain it. */
class RoutingKeySecrecyTest {

    @Test
    void configurationRecordsPrintTheRoutingKeyMasked() {
        StampedeConfig config = ConfigLoader.load(null, List.of("delivery.pagerduty.routingKey=" + ROUTING_KEY));
        assertThat(config.delivery().pagerduty().routingKey()).isEqualTo(ROUTING_KEY);
        assertThat(config.toString()).doesNotContain(ROUTING_KEY).contains("routingKey=******");
        assertThat(config.delivery().toString()).doesNotContain(ROUTING_KEY);
        assertThat(ConfigLoader.defaults().delivery().pagerduty().toString()).contains("routingKey=]");
    }

    @Test
    void configCommandMasksTheRoutingKeyLikeOtherSecrets() {
        String out = Fixtures.stdout(() -> assertThat(StampedeCli.execute("config",
                "--set", "delivery.pagerduty.routingKey=" + ROUTING_KEY,
                "--set", "kafka.properties.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule "
                        + "required username=\"u\" password=\"p4ss\";")).isZero());
        assertThat(out).contains("\"routingKey\" : \"******\"").doesNotContain(ROUTING_KEY)
                .contains("\"sasl.jaas.config\" : \"******\"").doesNotContain("p4ss")
                .contains("configuration is valid");
    }

    @Test
    void eventsCarryNoRoutingKeyUntilTheyArePosted() {
        var event = new PagerDutyMapping("").trigger(AlertFixtures.firing(AlertType.REBOOT_WAVE,
                "eu-west", "inc-1", AlertFixtures.NOW));
        assertThat(event.toString()).doesNotContain(ROUTING_KEY).doesNotContain("routing");
    }
}
