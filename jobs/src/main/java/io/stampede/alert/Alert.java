package io.stampede.alert;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One state of an alert, as written to the alerts topic. The field names are a contract read by
 * other systems (see {@code schemas/alert.schema.json}); timestamps are RFC 3339 UTC strings in
 * event time.
 */
public record Alert(
        String alertId,
        String dedupKey,
        String incidentId,
        int sequence,
        AlertType type,
        AlertStatus status,
        Severity severity,
        String region,
        String startsAt,
        String detectedAt,
        String endsAt,
        String summary,
        Evidence evidence,
        List<Attribution> attribution,
        Forecast forecast,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> relatedRegions,
        String runbook) {

    @JsonIgnore
    public boolean isFiring() {
        return status == AlertStatus.FIRING;
    }

    /** A copy that names other regions where the same cause is active, said in the summary too. */
    public Alert withRelatedRegions(List<String> regions, String newSummary) {
        return new Alert(alertId, dedupKey, incidentId, sequence, type, status, severity, region, startsAt,
                detectedAt, endsAt, newSummary, evidence, attribution, forecast, List.copyOf(regions), runbook);
    }
}
