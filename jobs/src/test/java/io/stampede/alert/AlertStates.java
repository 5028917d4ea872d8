package io.stampede.alert;

import io.stampede.event.Timestamps;
import java.util.List;

/** The states of one segment's alert of one type, as its AlertBook would write them, for the correlator tests. */
public final class AlertStates {
    private final String region;
    private final AlertType type;
    private final String cause;
    private final long startsAt;
    private final String incident;
    private int sequence;

    /** An alert that starts its segment's incident. */
    public AlertStates(String region, AlertType type, String cause, long startsAt) {
        this(region, type, cause, startsAt, "inc-" + region + "-" + startsAt);
    }

    public AlertStates(String region, AlertType type, String cause, long startsAt, String incident) {
        this.region = region;
        this.type = type;
        this.cause = cause;
        this.startsAt = startsAt;
        this.incident = incident;
    }

    public String incident() {
        return incident;
    }

    public Alert firing(long detectedAt) {
        return state(AlertStatus.FIRING, detectedAt);
    }

    public Alert resolved(long detectedAt) {
        return state(AlertStatus.RESOLVED, detectedAt);
    }

    private Alert state(AlertStatus status, long detectedAt) {
        sequence++;
        String key = "stampede/" + region + "/" + type + "/" + startsAt;
        return new Alert(key + "#" + sequence, key, incident, sequence, type, status, Severity.CRITICAL, region,
                Timestamps.format(startsAt), Timestamps.format(detectedAt), null, region + ": " + type,
                new Evidence(1, 1, 1, "u", new Evidence.Window("a", "b")),
                cause == null ? List.of() : List.of(new Attribution("updateId", cause, 0.9, 2)), null, List.of(),
                "r", false, null);
    }
}
