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

    /**
     * An alert that starts its segment's incident. A CAPACITY_RISK's {@code cause} is the update whose
     * forced reboots it counts on.
     */
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
                type == AlertType.CAPACITY_RISK ? List.of()
                        : cause == null ? List.of() : List.of(new Attribution("updateId", cause, 0.9, 2)),
                type == AlertType.CAPACITY_RISK && cause != null ? forcedPool(cause, detectedAt) : null, List.of(),
                "r", false, null);
    }

    /** A capacity risk's forecast that counts on the forced reboots of {@code update}'s armed pool. */
    private static Forecast forcedPool(String update, long at) {
        String t = Timestamps.format(at);
        return Forecast.of(new CapacityForecast(900, null, null, null, 10, 50, t, 34, 40, 16, 30_000, 0, 0, 0.8, 45, 1,
                new ArmedPoolOutlook(update, 30_000, t, 1200, "default", 50, t, t)));
    }
}
