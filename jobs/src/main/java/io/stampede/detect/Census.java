package io.stampede.detect;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.hll.HllSketch;

/**
 * The known devices of a segment and how many of them have each attribute value: the fleet that
 * lift compares against.
 *
 * <p>The devices are those heard from within the census window ({@code input.deviceStateTtl}):
 * distinct devices counted by the accept stage as {@link DeviceSketch HyperLogLog sketches}, one per
 * slot of event time (a 48th of the window, at least a bucket), so devices leave a slot at a time once
 * they fall silent. Counts given as plain numbers (a counts file's {@code devicesDelta}) add to that.
 * Attribute values are exact counts from the device stage, which sees every device's telemetry.
 */
public final class Census {

    static final int SLOTS_PER_WINDOW = 48;

    private long devices;
    private Map<String, Long> counts = new HashMap<>();
    /** Sketches of the devices heard from, by the start of their slot of event time. */
    private TreeMap<Long, byte[]> deviceSlots = new TreeMap<>();

    /** The union of every slot but the newest, and the estimate of all (rebuilt after a restore). */
    private transient HllSketch olderSlots;
    private transient boolean cacheValid;
    private transient double estimate;

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

    /**
     * Adds the devices heard from in one bucket and lets those not heard from within the window go.
     *
     * @param sketch the bucket's distinct devices ({@link DeviceSketch}), or null if none
     * @param bucketEnd the end of the bucket (exclusive)
     */
    public void heard(byte[] sketch, long bucketStart, long bucketEnd, long bucketMs, long windowMs) {
        long slotMs = Math.max(bucketMs, windowMs / SLOTS_PER_WINDOW / bucketMs * bucketMs);
        boolean changed = false;
        while (!deviceSlots.isEmpty() && deviceSlots.firstKey() + slotMs <= bucketEnd - windowMs) {
            deviceSlots.pollFirstEntry();
            changed = true;
        }
        if (sketch != null) {
            long slot = bucketStart - Math.floorMod(bucketStart, slotMs);
            if (!deviceSlots.isEmpty() && slot > deviceSlots.lastKey()) {
                changed = true;
            }
            deviceSlots.merge(slot, sketch, DeviceSketch::union);
        }
        if (changed || !cacheValid) {
            byte[] older = null;
            for (byte[] s : deviceSlots.headMap(deviceSlots.isEmpty() ? 0 : deviceSlots.lastKey()).values()) {
                older = DeviceSketch.union(older, s);
            }
            olderSlots = older == null ? null : DeviceSketch.read(older);
            cacheValid = true;
            estimate = -1;
        }
        if (sketch != null || estimate < 0) {
            estimate = deviceSlots.isEmpty() ? 0
                    : DeviceSketch.estimateOfUnion(olderSlots, deviceSlots.lastEntry().getValue());
        }
    }

    /** The sketches' estimate of the devices heard from within the window, before rounding. */
    double heardEstimate() {
        return cacheValid ? estimate : 0;
    }

    public long devices() {
        return devices + Math.round(cacheValid ? estimate : 0);
    }

    /** Share of known devices with this {@code attribute=value}; NaN if no device is known. */
    public double share(String key) {
        long known = devices();
        if (known <= 0) {
            return Double.NaN;
        }
        return Math.min(1.0, counts.getOrDefault(key, 0L) / (double) known);
    }
}
