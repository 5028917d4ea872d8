package io.stampede.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Notices when reboot waves in several regions share a cause (the same update, build, reason...)
 * and says so on each wave's alerts: one cause, several regions, is a fleet-wide event and the
 * person on call should know before opening three incidents.
 */
public final class CauseCorrelator {

    /** Active region waves: region → their cause ({@code attribute=value}). */
    private TreeMap<String, String> activeCauses = new TreeMap<>();

    /** Returns the alert, annotated with the other regions whose active wave has the same cause. */
    public Alert correlate(Alert alert) {
        if (alert.type() != AlertType.REBOOT_WAVE || "fleet".equals(alert.region())) {
            return alert;
        }
        String cause = alert.attribution().isEmpty() ? null
                : alert.attribution().get(0).attribute() + "=" + alert.attribution().get(0).value();
        if (!alert.isFiring() || cause == null) {
            activeCauses.remove(alert.region());
            return alert;
        }
        activeCauses.put(alert.region(), cause);
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
