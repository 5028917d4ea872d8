package io.stampede.deliver;

import io.stampede.alert.Alert;
import io.stampede.alert.AlertStatus;
import io.stampede.alert.AlertType;
import io.stampede.alert.Attribution;
import io.stampede.alert.Evidence;
import io.stampede.alert.CapacityForecast;
import io.stampede.alert.Forecast;
import io.stampede.alert.WaveForecast;
import io.stampede.alert.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Alerts as Stampede writes them, for the delivery tests: a first FIRING state, updates, RESOLVED. */
final class AlertFixtures {

    /** The time the unit tests deliver at. */
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private static final DateTimeFormatter KEY_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private AlertFixtures() {}

    /** The first state of an alert, WARNING, detected 20 s after {@code startsAt}. */
    static Alert firing(AlertType type, String region, String incidentId, Instant startsAt) {
        String dedupKey = "stampede/" + region + "/" + type + "/" + KEY_TIME.format(startsAt);
        Instant detectedAt = startsAt.plusSeconds(20);
        return new Alert("id-" + dedupKey + "-1", dedupKey, incidentId, 1, type, AlertStatus.FIRING, Severity.WARNING,
                region, startsAt.toString(), detectedAt.toString(), null, summary(type, region), evidence(type, detectedAt),
                attribution(type), forecast(type), List.of(), "RUNBOOK.md#" + type.runbookAnchor(), false, null);
    }

    /** The next state of a firing alert, with another severity (or the same) and newer evidence. */
    static Alert update(Alert a, Severity severity) {
        int sequence = a.sequence() + 1;
        Instant detectedAt = Instant.parse(a.detectedAt()).plusSeconds(120);
        return new Alert("id-" + a.dedupKey() + "-" + sequence, a.dedupKey(), a.incidentId(), sequence, a.type(),
                AlertStatus.FIRING, severity, a.region(), a.startsAt(), detectedAt.toString(), null,
                a.summary() + " (update " + sequence + ")", evidence(a.type(), detectedAt), a.attribution(), a.forecast(),
                a.relatedRegions(), a.runbook(), a.expected(), a.controlId());
    }

    /** The RESOLVED state of an alert, ended at {@code endsAt} and recognised 60 s later. */
    static Alert resolved(Alert a, Instant endsAt) {
        int sequence = a.sequence() + 1;
        return new Alert("id-" + a.dedupKey() + "-" + sequence, a.dedupKey(), a.incidentId(), sequence, a.type(),
                AlertStatus.RESOLVED, a.severity(), a.region(), a.startsAt(), endsAt.plusSeconds(60).toString(),
                endsAt.toString(), a.region() + ": " + a.type().runbookAnchor() + " over", a.evidence(), a.attribution(),
                a.forecast(), a.relatedRegions(), a.runbook(), a.expected(), a.controlId());
    }

    static Alert withRunbook(Alert a, String runbook) {
        return new Alert(a.alertId(), a.dedupKey(), a.incidentId(), a.sequence(), a.type(), a.status(), a.severity(),
                a.region(), a.startsAt(), a.detectedAt(), a.endsAt(), a.summary(), a.evidence(), a.attribution(),
                a.forecast(), a.relatedRegions(), runbook, a.expected(), a.controlId());
    }

    static Alert withIncident(Alert a, String incidentId) {
        return new Alert(a.alertId(), a.dedupKey(), incidentId, a.sequence(), a.type(), a.status(), a.severity(),
                a.region(), a.startsAt(), a.detectedAt(), a.endsAt(), a.summary(), a.evidence(), a.attribution(),
                a.forecast(), a.relatedRegions(), a.runbook(), a.expected(), a.controlId());
    }

    static Alert withSummary(Alert a, String summary) {
        return new Alert(a.alertId(), a.dedupKey(), a.incidentId(), a.sequence(), a.type(), a.status(), a.severity(),
                a.region(), a.startsAt(), a.detectedAt(), a.endsAt(), summary, a.evidence(), a.attribution(),
                a.forecast(), a.relatedRegions(), a.runbook(), a.expected(), a.controlId());
    }

    static Instant ago(Duration d) {
        return NOW.minus(d);
    }

    private static String summary(AlertType type, String region) {
        return switch (type) {
            case REBOOT_WAVE -> region + ": reboot wave, 6.4 devices booting/s vs 1.0/s normal (6.5×); cause: updateId "
                    + "KB-2026-11-A (92% of them, 1.7× the fleet share); 55,537 armed devices still to reboot";
            case LOGIN_SURGE -> region + ": login surge, 60.2 first logins/s vs 20.1/s expected, mostly AUTO";
            case CAPACITY_RISK -> region + ": capacity risk, forecast demand 85.8/s exceeds safe capacity 85.0/s in "
                    + "8 min 20 s";
            default -> region + ": " + type.runbookAnchor();
        };
    }

    private static Evidence evidence(AlertType type, Instant detectedAt) {
        Evidence.Window window = new Evidence.Window(detectedAt.minusSeconds(10).toString(), detectedAt.toString());
        return switch (type) {
            case REBOOT_WAVE -> new Evidence(6.4, 0.992, 14.222, "devices booting/s", window);
            case CAPACITY_RISK -> new Evidence(85.823, 85.0, 1.01, "forecast peak logins/s", window);
            default -> new Evidence(60.2, 20.1, 9.5, "first logins/s", window);
        };
    }

    private static List<Attribution> attribution(AlertType type) {
        return type == AlertType.REBOOT_WAVE
                ? List.of(new Attribution("updateId", "KB-2026-11-A", 0.915, 1.657),
                        new Attribution("rebootReason", "UPDATE", 0.986, 1.785))
                : List.of();
    }

    private static Forecast forecast(AlertType type) {
        return switch (type) {
            case REBOOT_WAVE -> Forecast.of(new WaveForecast(900, "KB-2026-11-A", 55_537L, 106L, 55_537L, 48_735.61,
                    0.876, 39.617));
            case CAPACITY_RISK -> Forecast.of(new CapacityForecast(900, 500, "2026-11-24T08:12:10Z", null, 67.7, 85.823,
                    "2026-11-24T08:16:40Z", 85.0, 100.0, 0.823, 50_417L, 50_417L, 37_755.565, 0.73, 38.817, 1.0, null));
            default -> null;
        };
    }

    /** The alert as announced by a maintenance window (control {@code controlId}). */
    static Alert announced(Alert a, boolean expected, String controlId) {
        return new Alert(a.alertId(), a.dedupKey(), a.incidentId(), a.sequence(), a.type(), a.status(), a.severity(),
                a.region(), a.startsAt(), a.detectedAt(), a.endsAt(), a.summary(), a.evidence(), a.attribution(),
                a.forecast(), a.relatedRegions(), a.runbook(), expected, controlId);
    }
}
