package io.stampede.deliver;

import io.stampede.alert.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alerts Alertmanager must keep hearing about, by dedupKey. Alertmanager resolves a firing
 * alert by itself once it has not been posted for its resolve_timeout (5 minutes by default), so
 * each firing alert is re-posted every resend interval until its RESOLVED state comes; that state
 * is posted {@link #RESOLVED_POSTS} times, a resend interval apart, and then forgotten.
 *
 * <p>Pure and single-threaded: the caller brings the time and does the posting. It expects each
 * dedupKey's states newest-last, without repeats (see {@link LatestStates}).
 */
final class ActiveAlerts {

    /**
     * A lost post of the resolved state (or an Alertmanager restarted without its storage) would
     * leave the alert active until its resolve_timeout; posting it again costs nothing.
     */
    static final int RESOLVED_POSTS = 3;

    /** The latest state of an alert, when it is next due and, once resolved, how many posts remain. */
    private record Entry(Alert alert, Map<String, String> labels, Instant nextPost, int postsLeft) {}

    private final AlertmanagerMapping mapping;
    private final Duration resendInterval;
    private final Map<String, Entry> byDedupKey = new LinkedHashMap<>();

    ActiveAlerts(AlertmanagerMapping mapping, Duration resendInterval) {
        this.mapping = mapping;
        this.resendInterval = resendInterval;
    }

    /** A new state of an alert: what to post now. */
    List<AlertmanagerAlert> accept(Alert a, Instant now) {
        List<AlertmanagerAlert> post = new ArrayList<>(2);
        AlertmanagerAlert mapped = mapping.map(a, now);
        Entry previous = byDedupKey.remove(a.dedupKey());
        if (previous != null && previous.alert().isFiring() && !previous.labels().equals(mapped.labels())) {
            // A new severity (or an announcement made or ended) makes other labels, so to Alertmanager
            // this is another alert: end the old one now instead of leaving it active until its
            // resolve_timeout.
            post.add(mapping.map(previous.alert(), now).endingAt(now));
        }
        post.add(mapped);
        int postsLeft = a.isFiring() ? 0 : RESOLVED_POSTS - 1;
        if (a.isFiring() || postsLeft > 0) {
            byDedupKey.put(a.dedupKey(), new Entry(a, mapped.labels(), now.plus(resendInterval), postsLeft));
        }
        return post;
    }

    /**
     * A state that was delivered before this process started (re-read from the alerts topic to
     * learn what still fires): a firing alert is due for its re-post at once, a resolved one is
     * forgotten.
     */
    void restore(Alert a) {
        if (a.isFiring()) {
            byDedupKey.put(a.dedupKey(), new Entry(a, AlertmanagerMapping.labels(a), Instant.MIN, 0));
        } else {
            byDedupKey.remove(a.dedupKey());
        }
    }

    /** The re-posts due at {@code now}; each is then due again a resend interval later. */
    List<AlertmanagerAlert> due(Instant now) {
        List<AlertmanagerAlert> post = new ArrayList<>();
        Iterator<Map.Entry<String, Entry>> it = byDedupKey.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Entry> e = it.next();
            Entry entry = e.getValue();
            if (entry.nextPost().isAfter(now)) {
                continue;
            }
            post.add(mapping.map(entry.alert(), now));
            if (entry.alert().isFiring()) {
                e.setValue(new Entry(entry.alert(), entry.labels(), now.plus(resendInterval), 0));
            } else if (entry.postsLeft() > 1) {
                e.setValue(new Entry(entry.alert(), entry.labels(), now.plus(resendInterval), entry.postsLeft() - 1));
            } else {
                it.remove();
            }
        }
        return post;
    }

    /** Whether any alert still has posts to come. */
    boolean isEmpty() {
        return byDedupKey.isEmpty();
    }
}
