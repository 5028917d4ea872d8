package io.stampede.deliver;

import io.stampede.alert.Alert;
import io.stampede.alert.Severity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Stampede incidents that have a page open at PagerDuty, with their firing alerts. One
 * incident is one page: every event carries the incidentId as PagerDuty's dedup_key, the first
 * firing alert triggers the page, later alerts of the incident trigger again with the same key
 * (PagerDuty adds them to the open incident), and the page is resolved when the incident's last
 * firing alert resolves.
 *
 * <p>Only alerts that page open or keep a page: not those an operator announced ({@code expected})
 * nor latent ones (severity INFO). Sent first, they would open the incident's page at PagerDuty with
 * an urgency that does not wake anyone, and the alert of the same incident that must (a capacity
 * risk) would only be added to it. An alert that stops paging (it went back to INFO) counts as
 * resolved here.
 *
 * <p>Pure and single-threaded. It expects each dedupKey's states newest-last, without repeats (see
 * {@link LatestStates}): once a page is resolved, a trigger with the same dedup_key would open a
 * second incident at PagerDuty.
 */
final class OpenIncidents {

    private final PagerDutyMapping mapping;
    /** incidentId → dedupKey → severity of each firing alert of that incident. */
    private final Map<String, Map<String, Severity>> firing = new HashMap<>();

    OpenIncidents(PagerDutyMapping mapping) {
        this.mapping = mapping;
    }

    /**
     * A new state of an alert: the events to send. A firing alert triggers when it is new to its
     * incident or its severity changed; an update that only refreshes the evidence sends nothing,
     * so the page's log stays readable.
     */
    List<PagerDutyEvent> accept(Alert a) {
        if (a.isFiring() && !pages(a)) {
            Map<String, Severity> alerts = firing.get(a.incidentId());
            if (alerts == null || alerts.remove(a.dedupKey()) == null) {
                return List.of();
            }
            if (!alerts.isEmpty()) {
                return List.of();
            }
            firing.remove(a.incidentId());
            return List.of(mapping.resolve(a));
        }
        if (a.isFiring()) {
            Severity before = firing.computeIfAbsent(a.incidentId(), id -> new HashMap<>())
                    .put(a.dedupKey(), a.severity());
            return before == a.severity() ? List.of() : List.of(mapping.trigger(a));
        }
        Map<String, Severity> alerts = firing.get(a.incidentId());
        boolean paged = alerts != null && alerts.containsKey(a.dedupKey());
        if (!paged && (a.expected() || a.severity() == Severity.INFO)) {
            return List.of(); // it never paged, here or before a restart
        }
        if (alerts != null) {
            alerts.remove(a.dedupKey());
            if (!alerts.isEmpty()) {
                return List.of();
            }
            firing.remove(a.incidentId());
        }
        // An incident not known here may have been paged before this process started; resolving a
        // page that is resolved or was never opened changes nothing at PagerDuty.
        return List.of(mapping.resolve(a));
    }

    /** A state delivered before this process started: learnt, not sent again. */
    void restore(Alert a) {
        if (a.isFiring() && pages(a)) {
            firing.computeIfAbsent(a.incidentId(), id -> new HashMap<>()).put(a.dedupKey(), a.severity());
            return;
        }
        Map<String, Severity> alerts = firing.get(a.incidentId());
        if (alerts != null) {
            alerts.remove(a.dedupKey());
            if (alerts.isEmpty()) {
                firing.remove(a.incidentId());
            }
        }
    }

    /** Whether the state pages: firing, not announced by an operator, not latent. */
    static boolean pages(Alert a) {
        return a.isFiring() && !a.expected() && a.severity() != Severity.INFO;
    }
}
