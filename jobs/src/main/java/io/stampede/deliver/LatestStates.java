package io.stampede.deliver;

import io.stampede.alert.Alert;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The highest sequence seen per dedupKey, so that only new states of an alert reach the books:
 * a state read twice (the topic re-read after a restart) or out of order is ignored instead of
 * re-opening an alert that has resolved. Bounded: the least recently seen keys are forgotten first.
 */
final class LatestStates {

    private final Map<String, Integer> sequences;

    LatestStates(int capacity) {
        this.sequences = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Whether {@code a} is newer than every state of its alert seen so far; remembers it if so. */
    boolean isNew(Alert a) {
        Integer seen = sequences.get(a.dedupKey());
        if (seen != null && seen >= a.sequence()) {
            return false;
        }
        sequences.put(a.dedupKey(), a.sequence());
        return true;
    }
}
