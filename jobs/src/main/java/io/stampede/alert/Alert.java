package io.stampede.alert;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One state of an alert, as written to the alerts topic. The field names are a contract read by
 * other systems (see {@code schemas/alert.schema.json}); timestamps are RFC 3339 UTC strings in
 * event time.
 *
 * @param expected the alert is about what an operator announced (a MAINTENANCE control): it is
 *     delivered without paging
 * @param controlId the control that shaped this alert (announced it, or set the region's settings), or null
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
        String runbook,
        boolean expected,
        @JsonInclude(JsonInclude.Include.NON_NULL) String controlId) {

    @JsonIgnore
    public boolean isFiring() {
        return status == AlertStatus.FIRING;
    }

    /** A copy that names other regions where the same cause is active, said in the summary too. */
    public Alert withRelatedRegions(List<String> regions, String newSummary) {
        return new Alert(alertId, dedupKey, incidentId, sequence, type, status, severity, region, startsAt,
                detectedAt, endsAt, newSummary, evidence, attribution, forecast, List.copyOf(regions), runbook, expected,
                controlId);
    }

    /** A copy in another incident: the group incident of linked alerts (see {@link CauseCorrelator}). */
    public Alert withIncident(String otherIncidentId) {
        return new Alert(alertId, dedupKey, otherIncidentId, sequence, type, status, severity, region, startsAt,
                detectedAt, endsAt, summary, evidence, attribution, forecast, relatedRegions, runbook, expected,
                controlId);
    }
}
