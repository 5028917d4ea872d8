package io.stampede.alert;

import io.stampede.event.Timestamps;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Makes one disturbance one incident. It looks at the alerts of every segment together, in a fixed
 * order of event time, and decides which incident each alert is emitted under and whether it is
 * emitted at all:
 *
 * <ul>
 *   <li>A fleet alert waits {@link Rules#fleetGraceMs} after its FIRING state. If a region alert of
 *       its type fired within that grace before or after it, the region explains it: the fleet alert
 *       and all its later states are suppressed, and the fleet's incident stands for the region's. A
 *       later fleet alert of that incident no region explains is emitted under the region's incident.
 *   <li>A fleet alert no region explains is emitted under its own incident; a region alert of the same
 *       type firing while it fires joins that incident.
 *   <li>A region's reboot wave with the same cause ({@code attribute=value} of its first attribution)
 *       as an active wave of another region joins that region's incident; both name each other in
 *       {@code relatedRegions} while both are active.
 * </ul>
 *
 * <p>An incident is linked when its first alert is seen and stays so: every state of one dedupKey
 * carries the same incidentId, which is what Alertmanager groups and PagerDuty deduplicates by.
 * Alertmanager and PagerDuty therefore see one group and one incident for the linked waves.
 *
 * <p>Every decision depends on event time only: alerts are held until the watermark passes their
 * release time and are then decided in {@link #release} order, however the watermarks came in
 * batches. The state is kept as JSON; a state written before the fleet and incident fields existed
 * reads back with them empty (alerts of incidents already open then keep their own incident ids).
 */
public final class CauseCorrelator {

    private static final String FLEET = "fleet";

    /**
     * @param fleetGraceMs how long a fleet alert waits for a region alert that explains it
     * @param incidentLinkWindowMs how long a quiet incident is remembered (detection.incidentLinkWindow)
     */
    public record Rules(long fleetGraceMs, long incidentLinkWindowMs) implements Serializable {}

    /** A fleet alert not raised: {@code region}'s alert of its type explains it, in {@code incident}. */
    public record Suppressed(Alert alert, String region, String incident) {}

    /**
     * What a release gives: the alerts to emit, in order; the fleet alerts suppressed (their FIRING
     * states, one per fleet alert); and the alerts still held.
     */
    public record Released(List<Alert> emitted, List<Suppressed> suppressed, List<Alert> held) {}

    /**
     * Regions whose incident began with a capacity risk that counts on an update's forced reboots
     * (a wave to come): region → {@code updateId=<update>} and → that incident. While the incident is
     * open, a wave of that update in another region joins it, as it would join a wave already begun:
     * also when the risk itself was resolved first, by nodes added in time.
     */
    private TreeMap<String, String> forcedCauses = new TreeMap<>();
    private TreeMap<String, String> forcedIncidents = new TreeMap<>();
    /** Active region waves: region → their cause ({@code attribute=value}). */
    private TreeMap<String, String> activeCauses = new TreeMap<>();
    /** Active region waves: region → the incident their alerts are emitted under. */
    private TreeMap<String, String> activeWaveIncidents = new TreeMap<>();
    /** Incidents seen (as the segments named them) and the incident their alerts are emitted under. */
    private TreeMap<String, Link> incidents = new TreeMap<>();
    /** Region alerts by dedupKey: when they fired and resolved, kept until no fleet alert can ask. */
    private TreeMap<String, Span> regionAlerts = new TreeMap<>();
    /** Fleet alerts by dedupKey, from their FIRING state until their RESOLVED state is released. */
    private TreeMap<String, FleetAlert> fleetAlerts = new TreeMap<>();

    /** An incident as a segment named it. */
    static final class Link {
        /** The incident its alerts are emitted under: its own id, or the one of the incident it joined. */
        String group;
        /** Its alerts firing now (dedupKeys). */
        TreeSet<String> firing = new TreeSet<>();
        long lastSeen;

        Link() {}
    }

    /** A region alert's firing span; {@code to} is {@code Long.MAX_VALUE} while it fires. */
    static final class Span {
        AlertType type;
        String region;
        String incident;
        long from;
        long to = Long.MAX_VALUE;

        Span() {}
    }

    enum Verdict { PENDING, EMITTED, SUPPRESSED }

    static final class FleetAlert {
        AlertType type;
        long firedAt;
        Verdict verdict = Verdict.PENDING;
        /** Emitted: the incident its states go out under. */
        String incident;

        FleetAlert() {}
    }

    private static boolean isFleet(Alert a) {
        return FLEET.equals(a.region());
    }

    /** Notes an alert that has come in to be held; call before {@link #releaseAt} for it. */
    public void hold(Alert alert) {
        if (isFleet(alert) && alert.isFiring() && alert.sequence() == 1 && !fleetAlerts.containsKey(alert.dedupKey())) {
            FleetAlert f = new FleetAlert();
            f.type = alert.type();
            f.firedAt = Timestamps.parse(alert.detectedAt());
            fleetAlerts.put(alert.dedupKey(), f);
        }
    }

    /**
     * When an alert may be released: at its detection; a fleet alert not before its FIRING state's
     * detection plus the grace, so that its states keep their order.
     */
    public long releaseAt(Alert alert, Rules rules) {
        long detected = Timestamps.parse(alert.detectedAt());
        FleetAlert f = isFleet(alert) ? fleetAlerts.get(alert.dedupKey()) : null;
        return f == null ? detected : Math.max(detected, f.firedAt + rules.fleetGraceMs());
    }

    /**
     * Releases the held alerts whose release time the watermark has passed, in the order (release
     * time, regions before the fleet, detection, region, type, sequence): regions first, so that a
     * region alert detected at a fleet alert's release time explains it.
     */
    public Released release(List<Alert> held, long watermark, Rules rules) {
        record Due(long releaseAt, Alert alert) {}
        List<Due> due = new ArrayList<>();
        List<Alert> kept = new ArrayList<>();
        for (Alert a : held) {
            long at = releaseAt(a, rules);
            if (at - 1 <= watermark) {
                due.add(new Due(at, a));
            } else {
                kept.add(a);
            }
        }
        due.sort(Comparator.comparingLong(Due::releaseAt)
                .thenComparing(d -> isFleet(d.alert()))
                .thenComparingLong(d -> Timestamps.parse(d.alert().detectedAt()))
                .thenComparing(d -> d.alert().region())
                .thenComparing(d -> d.alert().type().ordinal())
                .thenComparingInt(d -> d.alert().sequence()));
        List<Alert> emitted = new ArrayList<>();
        List<Suppressed> suppressed = new ArrayList<>();
        for (Due d : due) {
            if (isFleet(d.alert())) {
                fleet(d.alert(), d.releaseAt(), rules, emitted, suppressed);
            } else {
                emitted.add(region(d.alert()));
            }
        }
        forget(watermark, rules);
        return new Released(emitted, suppressed, kept);
    }

    private Alert region(Alert alert) {
        long detected = Timestamps.parse(alert.detectedAt());
        Link link = incidents.get(alert.incidentId());
        if (link == null) {
            String joined = sameCauseIncident(alert);
            link = link(alert.incidentId(), joined != null ? joined : firingFleetIncident(alert.type()));
        }
        seen(link, alert, detected);
        if (alert.isFiring() && alert.sequence() == 1) {
            Span s = new Span();
            s.type = alert.type();
            s.region = alert.region();
            s.incident = link.group;
            s.from = detected;
            regionAlerts.put(alert.dedupKey(), s);
        } else if (!alert.isFiring() && regionAlerts.containsKey(alert.dedupKey())) {
            regionAlerts.get(alert.dedupKey()).to = detected;
        }
        Alert out = relatedRegions(alert, link.group);
        forcedCause(alert, link.group);
        return link.group.equals(alert.incidentId()) ? out : out.withIncident(link.group);
    }

    private void fleet(Alert alert, long releaseAt, Rules rules, List<Alert> emitted, List<Suppressed> suppressed) {
        long detected = Timestamps.parse(alert.detectedAt());
        FleetAlert f = fleetAlerts.get(alert.dedupKey());
        Link link = incidents.get(alert.incidentId());
        if (f == null) {
            // Fired before this correlator kept fleet alerts (an older state): it was raised then.
            link = link != null ? link : link(alert.incidentId(), null);
            seen(link, alert, detected);
            emitted.add(link.group.equals(alert.incidentId()) ? alert : alert.withIncident(link.group));
            return;
        }
        if (f.verdict == Verdict.PENDING) {
            Span explains = explainer(f.type, f.firedAt - rules.fleetGraceMs(), releaseAt);
            link = link != null ? link : link(alert.incidentId(), explains == null ? null : explains.incident);
            if (explains != null) {
                f.verdict = Verdict.SUPPRESSED;
                suppressed.add(new Suppressed(alert, explains.region, explains.incident));
            } else {
                f.verdict = Verdict.EMITTED;
                f.incident = link.group;
            }
        }
        seen(link, alert, detected);
        if (!alert.isFiring()) {
            fleetAlerts.remove(alert.dedupKey());
        }
        if (f.verdict == Verdict.EMITTED) {
            emitted.add(f.incident.equals(alert.incidentId()) ? alert : alert.withIncident(f.incident));
        }
    }

    /** The region alert of a type that fired at some point in [from, to], earliest first; or null. */
    private Span explainer(AlertType type, long from, long to) {
        Span best = null;
        for (Span s : regionAlerts.values()) {
            if (s.type == type && s.from <= to && s.to >= from
                    && (best == null || s.from < best.from || s.from == best.from && s.region.compareTo(best.region) < 0)) {
                best = s;
            }
        }
        return best;
    }

    /** The incident of an active wave in another region with the same cause as this new wave, or null. */
    private String sameCauseIncident(Alert alert) {
        String cause = cause(alert);
        if (alert.type() != AlertType.REBOOT_WAVE || !alert.isFiring() || cause == null) {
            return null;
        }
        for (Map.Entry<String, String> e : activeCauses.entrySet()) {
            String incident = activeWaveIncidents.get(e.getKey());
            if (!e.getKey().equals(alert.region()) && e.getValue().equals(cause) && incident != null) {
                return incident;
            }
        }
        for (Map.Entry<String, String> e : forcedCauses.entrySet()) {
            if (!e.getKey().equals(alert.region()) && e.getValue().equals(cause)) {
                return forcedIncidents.get(e.getKey());
            }
        }
        return null;
    }

    /** Keeps track of the capacity risks that count on an update's forced reboots. */
    private void forcedCause(Alert alert, String incident) {
        if (alert.type() != AlertType.CAPACITY_RISK) {
            return;
        }
        ArmedPoolOutlook pool = alert.forecast() == null || alert.forecast().capacity() == null ? null
                : alert.forecast().capacity().armedPool();
        if (alert.isFiring() && pool != null) {
            forcedCauses.put(alert.region(), "updateId=" + pool.updateId());
            forcedIncidents.put(alert.region(), incident);
        }
    }

    /** The incident of a fleet alert of this type raised and firing now, or null. */
    private String firingFleetIncident(AlertType type) {
        for (FleetAlert f : fleetAlerts.values()) {
            if (f.type == type && f.verdict == Verdict.EMITTED) {
                return f.incident;
            }
        }
        return null;
    }

    private Link link(String incident, String group) {
        Link l = new Link();
        l.group = group != null ? group : incident;
        incidents.put(incident, l);
        return l;
    }

    private static void seen(Link link, Alert alert, long detected) {
        link.lastSeen = Math.max(link.lastSeen, detected);
        if (alert.isFiring()) {
            link.firing.add(alert.dedupKey());
        } else {
            link.firing.remove(alert.dedupKey());
        }
    }

    /**
     * Forgets what no later alert can ask about: region alerts resolved longer ago than a fleet alert
     * released later can look back, and incidents quiet for longer than a segment keeps one open.
     */
    private void forget(long watermark, Rules rules) {
        regionAlerts.values().removeIf(s -> s.to < watermark - 2 * rules.fleetGraceMs());
        incidents.values().removeIf(l -> l.firing.isEmpty() && l.lastSeen + rules.incidentLinkWindowMs() < watermark);
        forcedIncidents.entrySet().removeIf(e -> {
            boolean open = incidents.values().stream().anyMatch(l -> l.group.equals(e.getValue()));
            if (!open) {
                forcedCauses.remove(e.getKey());
            }
            return !open;
        });
    }

    private static String cause(Alert alert) {
        return alert.attribution().isEmpty() ? null
                : alert.attribution().get(0).attribute() + "=" + alert.attribution().get(0).value();
    }

    /** The alert, annotated with the other regions whose active wave has the same cause. */
    private Alert relatedRegions(Alert alert, String incident) {
        if (alert.type() != AlertType.REBOOT_WAVE) {
            return alert;
        }
        String cause = cause(alert);
        if (!alert.isFiring() || cause == null) {
            activeCauses.remove(alert.region());
            activeWaveIncidents.remove(alert.region());
            return alert;
        }
        activeCauses.put(alert.region(), cause);
        activeWaveIncidents.put(alert.region(), incident);
        List<String> related = new ArrayList<>();
        for (Map.Entry<String, String> e : activeCauses.entrySet()) {
            if (!e.getKey().equals(alert.region()) && e.getValue().equals(cause)) {
                related.add(e.getKey());
            }
        }
        if (related.isEmpty()) {
            return alert;
        }
        String note = "; same cause also in " + String.join(", ", related);
        String summary = alert.summary().length() + note.length() <= 400 ? alert.summary() + note : alert.summary();
        return alert.withRelatedRegions(related, summary);
    }
}
