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
    /** The longest summary the contract allows. */
    private static final int MAX_SUMMARY = 400;

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

    /**
     * The control that announced the latest state of a type's alert, if that alert belongs to the
     * incident open at {@code now}; else null.
     */
    public String announcedBy(AlertType type, long now, Rules rules) {
        AlertTrack t = tracks.get(type);
        return t != null && t.expected && t.incidentId.equals(openIncident(now, rules)) ? t.controlId : null;
    }

    public Alert fire(AlertType type, long startsAt, long detectedAt, Severity severity, AlertContent c, Rules rules) {
        return fire(type, startsAt, detectedAt, severity, c, rules, Marking.NONE);
    }

    public Alert update(AlertType type, long detectedAt, Severity severity, AlertContent c, Rules rules) {
        return update(type, detectedAt, severity, c, rules, Marking.NONE);
    }

    public Alert fire(AlertType type, long startsAt, long detectedAt, Severity severity, AlertContent c, Rules rules,
            Marking m) {
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
        return emit(t, type, AlertStatus.FIRING, severity, detectedAt, null, c, rules, m);
    }

    /**
     * An update of a firing alert if it is worth sending (severity, cause or marking changed, or
     * evidence moved), else null.
     */
    public Alert update(AlertType type, long detectedAt, Severity severity, AlertContent c, Rules rules, Marking m) {
        AlertTrack t = tracks.get(type);
        if (t == null || !t.firing) {
            return null;
        }
        // Escalations and a new cause are news at once; a lower severity waits for the next periodic update.
        // So is an announcement made or ended while the alert fires: it decides whether it pages.
        boolean changed = severity.compareTo(t.severity) > 0 || !Objects.equals(c.causeKey(), t.causeKey)
                || m.expected() != t.expected || !Objects.equals(m.controlId(), t.controlId);
        boolean moved = detectedAt - t.lastEmitted >= rules.updateIntervalMs()
                && (severity != t.severity || Math.abs(c.evidence().observed() - t.lastObserved)
                        > WORTH_AN_UPDATE * Math.max(1e-9, Math.abs(t.lastObserved)));
        if (!changed && !moved) {
            return null;
        }
        return emit(t, type, AlertStatus.FIRING, severity, detectedAt, null, c, rules, m);
    }

    /** The RESOLVED state of a firing alert, marked as its last state was (an announced wave ends announced). */
    public Alert resolve(AlertType type, long endsAt, long detectedAt, AlertContent c, Rules rules) {
        AlertTrack t = tracks.get(type);
        if (t == null || !t.firing) {
            return null;
        }
        t.firing = false;
        incidentLastActive = detectedAt;
        return emit(t, type, AlertStatus.RESOLVED, t.severity, detectedAt, endsAt, c, rules,
                new Marking(t.expected, t.controlId, t.note));
    }

    private Alert emit(AlertTrack t, AlertType type, AlertStatus status, Severity severity, long detectedAt,
            Long endsAt, AlertContent c, Rules rules, Marking m) {
        t.sequence++;
        t.expected = m.expected();
        t.controlId = m.controlId();
        t.note = m.note();
        t.severity = severity;
        t.causeKey = c.causeKey();
        t.lastObserved = c.evidence().observed();
        t.lastEmitted = detectedAt;
        String alertId = UUID.nameUUIDFromBytes((t.dedupKey + "#" + t.sequence).getBytes(StandardCharsets.UTF_8))
                .toString();
        t.lastAlertId = alertId;
        return new Alert(alertId, t.dedupKey, t.incidentId, t.sequence, type, status, severity, segment,
                Timestamps.format(t.startsAt), Timestamps.format(detectedAt),
                endsAt == null ? null : Timestamps.format(endsAt), noted(c.summary(), m.note()), c.evidence(),
                c.attribution() == null ? List.of() : c.attribution(), c.forecast(), List.of(),
                rules.runbookBaseUrl() + "#" + type.runbookAnchor(), m.expected(), m.controlId());
    }

    /** The summary with the marking's note, within the contract's 400 characters (the note is kept whole). */
    private static String noted(String summary, String note) {
        if (note == null) {
            return summary;
        }
        String tail = " — " + note;
        int room = MAX_SUMMARY - tail.length();
        if (room < 20) {
            return summary.length() <= MAX_SUMMARY ? summary : summary.substring(0, MAX_SUMMARY);
        }
        return (summary.length() <= room ? summary : summary.substring(0, room - 1) + "…") + tail;
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
