package io.stampede.detect;

import java.util.HashMap;
import java.util.Map;

/** How many known devices of a segment have each attribute value: the fleet that lift compares against. */
public final class Census {

    private long devices;
    private Map<String, Long> counts = new HashMap<>();

    public void apply(long devicesDelta, Map<String, Long> delta) {
        devices += devicesDelta;
        for (Map.Entry<String, Long> e : delta.entrySet()) {
            long v = counts.getOrDefault(e.getKey(), 0L) + e.getValue();
            if (v <= 0) {
                counts.remove(e.getKey());
            } else {
                counts.put(e.getKey(), v);
            }
        }
    }

    public long devices() {
        return devices;
    }

    /** Share of known devices with this {@code attribute=value}; NaN if no device is known. */
    public double share(String key) {
        if (devices <= 0) {
            return Double.NaN;
        }
        return Math.min(1.0, counts.getOrDefault(key, 0L) / (double) devices);
    }
}
