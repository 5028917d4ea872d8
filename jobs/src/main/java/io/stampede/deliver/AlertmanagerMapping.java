package io.stampede.deliver;

import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Maps a Stampede alert to Alertmanager's postable alert. The labels are the alert's identity in
 * Alertmanager and what the routing in {@code deploy/k8s/alertmanager/alertmanager.yaml} matches
 * on; everything that changes from one state to the next (summary, evidence) goes into the
 * annotations.
 */
final class AlertmanagerMapping {

    private static final String SOURCE = "stampede";

    private final GeneratorUrl generatorUrl;

    AlertmanagerMapping(String generatorUrlTemplate) {
        this.generatorUrl = new GeneratorUrl(generatorUrlTemplate);
    }

    /**
     * @param now this machine's time. Alertmanager judges startsAt and endsAt on its own clock, so
     *     a time after now (event time running ahead of this clock) is sent as now: otherwise a
     *     resolved alert would stay active until its endsAt, and a firing one could be refused.
     */
    AlertmanagerAlert map(Alert a, Instant now) {
        Instant startsAt = Rfc3339.notAfter(a.startsAt(), now);
        String endsAt = null;
        if (!a.isFiring()) {
            Instant ended = Rfc3339.notAfter(a.endsAt(), now);
            endsAt = Rfc3339.format(ended.isBefore(startsAt) ? startsAt : ended);
        }
        return new AlertmanagerAlert(labels(a), annotations(a), Rfc3339.format(startsAt), endsAt,
                generatorUrl.of(a).orElse(null));
    }

    /**
     * What stays the same for one alert's whole life (its severity and whether it was announced
     * aside, see {@link ActiveAlerts}). An alert an operator announced (a maintenance window) has
     * severity {@code info} and {@code expected="true"}, which the Alertmanager configuration routes
     * to a receiver that does not page.
     */
    static Map<String, String> labels(Alert a) {
        return Map.of(
                "alertname", alertname(a.type()),
                "source", SOURCE,
                "region", a.region(),
                "severity", a.expected() ? "info" : a.severity().name().toLowerCase(Locale.ROOT),
                "expected", Boolean.toString(a.expected()),
                "incident", a.incidentId(),
                "stampede_type", a.type().name());
    }

    private static Map<String, String> annotations(Alert a) {
        if (a.controlId() == null) {
            return Map.of(
                    "summary", a.summary(),
                    "description", AlertDescription.of(a),
                    "runbook_url", a.runbook());
        }
        return Map.of(
                "summary", a.summary(),
                "description", AlertDescription.of(a),
                "runbook_url", a.runbook(),
                "control", a.controlId());
    }

    /** {@code REBOOT_WAVE} becomes {@code StampedeRebootWave}. */
    static String alertname(AlertType type) {
        StringBuilder name = new StringBuilder("Stampede");
        for (String word : type.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }
}
