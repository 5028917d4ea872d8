package io.stampede.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.config.ConfigException;
import io.stampede.config.ConfigLoader;
import io.stampede.config.StampedeConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryConfigTest {

    static final String ROUTING_KEY = "R0UT1NGKEY0123456789abcdefABCDEF";

    @Test
    void defaultsDeliverNowhereAndReSendWellWithinAlertmanagersResolveTimeout() {
        StampedeConfig.Delivery d = ConfigLoader.defaults().delivery();
        assertThat(d.alertmanager().enabled()).isFalse();
        assertThat(d.pagerduty().enabled()).isFalse();
        assertThat(d.pagerduty().url()).isEqualTo("https://events.pagerduty.com");
        assertThat(d.alertmanager().resendInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(d.groupId()).isEqualTo("stampede-delivery");
        assertThat(d.failedDeliveries()).isEqualTo("stampede-out/deliver/failed-deliveries.jsonl");
    }

    @Test
    void failedDeliveriesCannotBeTurnedOff() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("delivery.failedDeliveries=")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("delivery.failedDeliveries must name a file");
    }

    @Test
    void receiversAreTurnedOnByTheirUrlAndRoutingKey() {
        StampedeConfig.Delivery d = ConfigLoader.load(null, List.of("delivery.alertmanager.url=http://am:9093",
                "delivery.pagerduty.routingKey=" + ROUTING_KEY)).delivery();
        assertThat(d.alertmanager().enabled()).isTrue();
        assertThat(d.pagerduty().enabled()).isTrue();
    }

    @Test
    void anInvalidUrlIsNamedWithAnExample() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("delivery.alertmanager.url=alertmanager:9093")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("delivery.alertmanager.url must be an http(s) URL such as http://alertmanager:9093")
                .hasMessageContaining("\"alertmanager:9093\"");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("delivery.pagerduty.url=https://")))
                .hasMessageContaining("delivery.pagerduty.url");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("delivery.generatorUrl=grafana/{incident}")))
                .hasMessageContaining("delivery.generatorUrl");
        assertThat(ConfigLoader.load(null, List.of("delivery.generatorUrl=https://grafana/d/s?i={incident}&r={region}"))
                .delivery().generatorUrl()).contains("{incident}");
    }

    @Test
    void aMalformedRoutingKeyIsRefusedWithoutShowingIt() {
        String typo = ROUTING_KEY.substring(1) + " ";
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("delivery.pagerduty.routingKey=" + typo)))
                .hasMessageContaining("delivery.pagerduty.routingKey")
                .hasMessageNotContaining(ROUTING_KEY.substring(1));
    }

    @Test
    void rangesAndRelationsAreChecked() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("delivery.alertmanager.resendInterval=5m")))
                .hasMessageContaining("shorter than Alertmanager's resolve_timeout");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("delivery.retry.initialBackoff=10s",
                        "delivery.retry.maxBackoff=1s", "delivery.retry.maxAttempts=0", "delivery.queueCapacity=0",
                        "delivery.groupId=")))
                .hasMessageContaining("delivery.retry.maxBackoff (1s) must not be shorter")
                .hasMessageContaining("delivery.retry.maxAttempts must be between 1 and 100")
                .hasMessageContaining("delivery.queueCapacity must be between 1")
                .hasMessageContaining("delivery.groupId must not be empty");
    }
}
