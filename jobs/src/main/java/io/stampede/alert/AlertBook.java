package io.stampede.alert;

import io.stampede.event.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The alert lifecycle of one segment: FIRING, updates under the same dedupKey with a higher
 * sequence, RESOLVED; and the incident that links the alerts of one chain (a reboot wave and the
 * surge, retries and capacity risk it causes) in the segment.
 *
 * <p>Identifiers are derived from the segment, type and event times, never from the wall clock
 * or randomness, so a replay of the same events yields the same alerts.
 */
public final class AlertBook {

    private static final DateTimeFormatter COMPACT =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final double WORTH_AN_UPDATE = 0.5;

    private String segment;
    private TreeMap<AlertType, AlertTrack> tracks = new TreeMap<>();
    private String incidentId;
    private long incidentLastActive = Long.MIN_VALUE;

    AlertBook() {}

    public AlertBook(String segment) {
        this.segment = segment;
    }

    /** Settings of the lifecycle. */
    public record Rules(long incidentLinkWindowMs, long updateIntervalMs, String runbookBaseUrl) {}

    public boolean isFiring(AlertType type) {
        AlertTrack t = tracks.get(type);
        return t != null && t.firing;
    }

    /** The alertId of the latest state of a type's alert, or null. */
    public String latestAlertId(AlertType type) {
        AlertTrack t = tracks.get(type);
        return t == null ? null : t.lastAlertId;
    }

    /** The incident the segment's alerts currently belong to, or null if none is open. */
    public String openIncident(long now, Rules rules) {
        if (incidentId != null && (anyFiring() || now - incidentLastActive <= rules.incidentLinkWindowMs())) {
            return incidentId;
        }
        return null;
    }

    /** Keeps the open incident alive while any of its alerts fires. */
    public void touch(long now) {
        if (anyFiring()) {
            incidentLastActive = now;
        }
    }

    public Alert fire(AlertType type, long startsAt, long detectedAt, Severity severity, AlertContent c, Rules rules) {
        String incident = openIncident(detectedAt, rules);
        if (incident == null) {
            incident = "inc-" + segment + "-" + COMPACT.format(Instant.ofEpochMilli(startsAt));
            incidentId = incident;
        }
        incidentLastActive = detectedAt;
        AlertTrack t = new AlertTrack();
        t.firing = true;
        t.dedupKey = "stampede/" + segment + "/" + type.name() + "/" + COMPACT.format(Instant.ofEpochMilli(startsAt));
        t.incidentId = incident;
        t.startsAt = startsAt;
        t.sequence = 0;
        tracks.put(type, t);
        return emit(t, type, AlertStatus.FIRING, severity, detectedAt, null, c, rules);
    }

    /** An update of a firing alert if it is worth sending (severity or cause changed, or evidence moved), else null. */
    public Alert update(AlertType type, long detectedAt, Severity severity, AlertContent c, Rules rules) {
        AlertTrack t = tracks.get(type);
        if (t == null || !t.firing) {
            return null;
        }
        // Escalations and a new cause are news at once; a lower severity waits for the next periodic update.
        boolean changed = severity.compareTo(t.severity) > 0 || !Objects.equals(c.causeKey(), t.causeKey);
        boolean moved = detectedAt - t.lastEmitted >= rules.updateIntervalMs()
                && (severity != t.severity || Math.abs(c.evidence().observed() - t.lastObserved)
                        > WORTH_AN_UPDATE * Math.max(1e-9, Math.abs(t.lastObserved)));
        if (!changed && !moved) {
            return null;
        }
        return emit(t, type, AlertStatus.FIRING, severity, detectedAt, null, c, rules);
    }

    public Alert resolve(AlertType type, long endsAt, long detectedAt, AlertContent c, Rules rules) {
        AlertTrack t = tracks.get(type);
        if (t == null || !t.firing) {
            return null;
        }
        t.firing = false;
        incidentLastActive = detectedAt;
        return emit(t, type, AlertStatus.RESOLVED, t.severity, detectedAt, endsAt, c, rules);
    }

    private Alert emit(AlertTrack t, AlertType type, AlertStatus status, Severity severity, long detectedAt,
            Long endsAt, AlertContent c, Rules rules) {
        t.sequence++;
        t.severity = severity;
        t.causeKey = c.causeKey();
        t.lastObserved = c.evidence().observed();
        t.lastEmitted = detectedAt;
        String alertId = UUID.nameUUIDFromBytes((t.dedupKey + "#" + t.sequence).getBytes(StandardCharsets.UTF_8))
                .toString();
        t.lastAlertId = alertId;
        return new Alert(alertId, t.dedupKey, t.incidentId, t.sequence, type, status, severity, segment,
                Timestamps.format(t.startsAt), Timestamps.format(detectedAt),
                endsAt == null ? null : Timestamps.format(endsAt), c.summary(), c.evidence(),
                c.attribution() == null ? List.of() : c.attribution(), c.forecast(), List.of(),
                rules.runbookBaseUrl() + "#" + type.runbookAnchor(), false, null);
    }

    private boolean anyFiring() {
        for (AlertTrack t : tracks.values()) {
            if (t.firing) {
                return true;
            }
        }
        return false;
    }
}
