package io.stampede.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.Fixtures;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertStatus;
import io.stampede.alert.AlertType;
import io.stampede.alert.Severity;
import io.stampede.config.ConfigException;
import io.stampede.config.StampedeConfig;
import io.stampede.topology.Environments;
import io.stampede.topology.StampedeMetrics;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Turning the Prometheus reporter on, and what Stampede's alert counters count. */
class StampedeMetricsTest {

    @Test
    void theReporterIsOffByDefaultAndTakesAPortOrARange() {
        assertThat(Fixtures.config().metrics().prometheusEnabled()).isFalse();
        StampedeConfig port = Fixtures.config("metrics.prometheusPort=9249");
        StampedeConfig range = Fixtures.config("metrics.prometheusPort=9249-9260");

        assertThat(port.metrics().prometheusEnabled()).isTrue();
        assertThat(port.metrics().prometheusPort()).isEqualTo("9249");
        assertThat(range.metrics().prometheusPort()).isEqualTo("9249-9260");
    }

    @ParameterizedTest
    @ValueSource(strings = {"prom", "0", "70000", "9260-9249", "9249-", "9249,9250"})
    void aBadPortSaysWhatToWrite(String value) {
        assertThatThrownBy(() -> Fixtures.config("metrics.prometheusPort=" + value))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("metrics.prometheusPort must be empty (off), a port such as 9249 or a range such as 9249-9260")
                .hasMessageContaining(value);
    }

    @Test
    void theEmbeddedReporterIsSetUpAsTheDeploymentsSetUpTheirs() {
        Map<String, String> settings = Environments.prometheusReporter("9249-9260").toMap();

        assertThat(settings).containsExactlyInAnyOrderEntriesOf(Map.of(
                "metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                "metrics.reporter.prom.port", "9249-9260",
                "metrics.reporter.prom.filterLabelValueCharacters", "false"));
    }

    @Test
    void alertsCountWhenTheyStartAndWhenTheyEndButNotTheirUpdates() {
        Counter[][] counters = StampedeMetrics.alerts(new UnregisteredMetricsGroup());

        StampedeMetrics.count(counters, alert(AlertType.REBOOT_WAVE, AlertStatus.FIRING, 1));
        StampedeMetrics.count(counters, alert(AlertType.REBOOT_WAVE, AlertStatus.FIRING, 2));
        StampedeMetrics.count(counters, alert(AlertType.REBOOT_WAVE, AlertStatus.FIRING, 3));
        StampedeMetrics.count(counters, alert(AlertType.REBOOT_WAVE, AlertStatus.RESOLVED, 4));
        StampedeMetrics.count(counters, alert(AlertType.CAPACITY_RISK, AlertStatus.FIRING, 1));

        assertThat(counters[AlertType.REBOOT_WAVE.ordinal()][AlertStatus.FIRING.ordinal()].getCount()).isEqualTo(1);
        assertThat(counters[AlertType.REBOOT_WAVE.ordinal()][AlertStatus.RESOLVED.ordinal()].getCount()).isEqualTo(1);
        assertThat(counters[AlertType.CAPACITY_RISK.ordinal()][AlertStatus.FIRING.ordinal()].getCount()).isEqualTo(1);
        assertThat(counters[AlertType.LOGIN_SURGE.ordinal()][AlertStatus.FIRING.ordinal()].getCount()).isZero();
    }

    private static Alert alert(AlertType type, AlertStatus status, int sequence) {
        return new Alert("a-" + sequence, "eu-west/" + type, "eu-west-1", sequence, type, status, Severity.WARNING,
                "eu-west", "2026-11-24T08:00:00Z", "2026-11-24T08:00:30Z", null, "test", null, null, null, null,
                "RUNBOOK.md", false, null);
    }
}
