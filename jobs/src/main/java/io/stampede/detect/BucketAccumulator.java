package io.stampede.detect;

import io.stampede.admission.AttemptClass;
import io.stampede.event.Outcome;
import io.stampede.event.RebootReason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;

/**
 * Folds the facts of one parallel instance of the per-device stage into per-segment, per-bucket
 * partial counts, so that only a handful of records per bucket cross the network to the
 * detectors instead of one per event. Every fact counts for its region and, if enabled, for the
 * fleet segment.
 */
public final class BucketAccumulator implements FactSink {

    private final long bucketMs;
    private final boolean fleet;
    private final TreeMap<Long, Map<String, BucketStats>> open = new TreeMap<>();
    /** The open sketches of distinct devices, by the bucket statistics they belong to. */
    private final Map<BucketStats, HllSketch> sketches = new HashMap<>();
    /** Attribute values seen have few distinct values (platforms, builds, versions, updates, reasons). */
    private static final int KEYS_PER_ATTRIBUTE = 10_000;
    private final Map<String, Map<String, String>> keys = new HashMap<>();

    private long cachedBucket = Long.MIN_VALUE;
    private String cachedRegion;
    private BucketStats cachedRegionStats;
    private BucketStats cachedFleetStats;

    public BucketAccumulator(long bucketMs, boolean fleet) {
        this.bucketMs = bucketMs;
        this.fleet = fleet;
    }

    public long bucketOf(long time) {
        return time - Math.floorMod(time, bucketMs);
    }

    /**
     * Removes and returns, in time order, every bucket whose end the watermark has passed
     * (the last millisecond of the bucket is at or before the watermark).
     */
    public List<BucketStats> flush(long watermark) {
        List<BucketStats> out = new ArrayList<>();
        Iterator<Map.Entry<Long, Map<String, BucketStats>>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Map<String, BucketStats>> e = it.next();
            if (e.getKey() + bucketMs - 1 > watermark) {
                break;
            }
            unionIntoFleet(e.getValue());
            for (BucketStats b : e.getValue().values()) {
                HllSketch sketch = sketches.remove(b);
                if (sketch != null) {
                    b.deviceSketch = DeviceSketch.bytes(sketch);
                }
                out.add(b);
            }
            it.remove();
        }
        cachedBucket = Long.MIN_VALUE;
        return out;
    }

    /** Everything still open, for a checkpoint. */
    public List<BucketStats> pending() {
        List<BucketStats> out = new ArrayList<>();
        open.values().forEach(m -> {
            unionIntoFleet(m);
            out.addAll(m.values());
        });
        for (Map.Entry<BucketStats, HllSketch> e : sketches.entrySet()) {
            e.getKey().deviceSketch = DeviceSketch.bytes(e.getValue());
        }
        return out;
    }

    /** Adds back partial counts restored from a checkpoint. */
    public void restore(BucketStats partial) {
        Map<String, BucketStats> segments = open.computeIfAbsent(partial.bucketStart, b -> new HashMap<>());
        BucketStats existing = segments.get(partial.segment);
        if (existing == null) {
            segments.put(partial.segment, partial);
            if (partial.deviceSketch != null) {
                sketches.put(partial, DeviceSketch.read(partial.deviceSketch));
            }
        } else {
            byte[] sketch = partial.deviceSketch;
            partial.deviceSketch = null;
            existing.merge(partial);
            if (sketch != null) {
                HllSketch into = sketches.get(existing);
                sketches.put(existing, DeviceSketch.read(DeviceSketch.union(
                        into == null ? null : DeviceSketch.bytes(into), sketch)));
            }
        }
        cachedBucket = Long.MIN_VALUE;
    }

    public boolean isEmpty() {
        return open.isEmpty();
    }

    private BucketStats regionStats(String region, long time) {
        long bucket = bucketOf(time);
        if (bucket == cachedBucket && region.equals(cachedRegion)) {
            return cachedRegionStats;
        }
        Map<String, BucketStats> segments = open.computeIfAbsent(bucket, b -> new HashMap<>());
        cachedRegionStats = segments.computeIfAbsent(region, r -> new BucketStats(r, bucket));
        cachedFleetStats = fleet ? segments.computeIfAbsent(Segments.FLEET, r -> new BucketStats(r, bucket)) : null;
        cachedBucket = bucket;
        cachedRegion = region;
        return cachedRegionStats;
    }

    @Override
    public void login(String region, long time, AttemptClass cls, Outcome outcome, int latencyMs) {
        int cell = BucketStats.cell(cls, outcome);
        regionStats(region, time).logins[cell]++;
        if (latencyMs >= 0) {
            cachedRegionStats.latencySumMs += latencyMs;
            cachedRegionStats.latencyCount++;
        }
        if (cachedFleetStats != null) {
            cachedFleetStats.logins[cell]++;
            if (latencyMs >= 0) {
                cachedFleetStats.latencySumMs += latencyMs;
                cachedFleetStats.latencyCount++;
            }
        }
    }

    @Override
    public void boot(String region, long time, String platform, String osBuild, String clientVersion,
            String updateId, RebootReason reason, boolean armed, boolean sampled) {
        BucketStats r = regionStats(region, time);
        countBoot(r, platform, osBuild, clientVersion, updateId, reason, armed, sampled);
        if (cachedFleetStats != null) {
            countBoot(cachedFleetStats, platform, osBuild, clientVersion, updateId, reason, armed, sampled);
        }
    }

    private void countBoot(BucketStats s, String platform, String osBuild, String clientVersion,
            String updateId, RebootReason reason, boolean armed, boolean sampled) {
        s.boots++;
        if (armed) {
            s.armedBoots++;
        }
        if (sampled) {
            s.sampledBoots++;
        }
        countAttribute(s.bootAttributes, Attributes.PLATFORM, platform);
        countAttribute(s.bootAttributes, Attributes.OS_BUILD, osBuild);
        countAttribute(s.bootAttributes, Attributes.CLIENT_VERSION, clientVersion);
        countAttribute(s.bootAttributes, Attributes.UPDATE_ID, updateId);
        countAttribute(s.bootAttributes, Attributes.REBOOT_REASON, reason == null ? null : reason.name());
    }

    private void countAttribute(Map<String, Long> counts, String attribute, String value) {
        if (value != null) {
            counts.merge(key(attribute, value), 1L, Long::sum);
        }
    }

    /**
     * The count's key, {@code attribute=value}: made once per value seen (a boot counts five, an
     * install or a move in the census a few more), up to {@link #KEYS_PER_ATTRIBUTE} per attribute.
     */
    private String key(String attribute, String value) {
        Map<String, String> byValue = keys.get(attribute);
        if (byValue == null) {
            byValue = new HashMap<>();
            keys.put(attribute, byValue);
        }
        String key = byValue.get(value);
        if (key == null) {
            key = Attributes.key(attribute, value);
            if (byValue.size() < KEYS_PER_ATTRIBUTE) {
                byValue.put(value, key);
            }
        }
        return key;
    }

    @Override
    public void autoLoginAfterBoot(String region, long time, long delayMs) {
        int bin = (int) Math.min(BootLoginModel.BINS - 1, delayMs / BootLoginModel.BIN_MS);
        BucketStats r = regionStats(region, time);
        r.autoLoginsAfterBoot++;
        r.bootToLoginSumMs += delayMs;
        r.bootToLoginBins[bin]++;
        if (cachedFleetStats != null) {
            cachedFleetStats.autoLoginsAfterBoot++;
            cachedFleetStats.bootToLoginSumMs += delayMs;
            cachedFleetStats.bootToLoginBins[bin]++;
        }
    }

    @Override
    public void rebootBy(String region, long time, String updateId, long rebootBy) {
        regionStats(region, time).rebootBy.merge(updateId, rebootBy, Math::max);
        if (cachedFleetStats != null) {
            cachedFleetStats.rebootBy.merge(updateId, rebootBy, Math::max);
        }
    }

    @Override
    public void armed(String region, long time, String updateId, int delta) {
        regionStats(region, time).armedDelta.merge(updateId, (long) delta, Long::sum);
        if (cachedFleetStats != null) {
            cachedFleetStats.armedDelta.merge(updateId, (long) delta, Long::sum);
        }
    }

    @Override
    public void census(String region, long time, String attribute, String value, int delta) {
        String key = key(attribute, value);
        regionStats(region, time).censusDelta.merge(key, (long) delta, Long::sum);
        if (cachedFleetStats != null) {
            cachedFleetStats.censusDelta.merge(key, (long) delta, Long::sum);
        }
    }

    /**
     * The device (not a node) with this key was heard from: it counts in the bucket's distinct
     * devices of its region, and so of the fleet (the fleet's sketch is the union of the regions',
     * made once per bucket).
     */
    public void heard(String region, long time, String key) {
        sketch(regionStats(region, time)).update(DeviceSketch.hash(key));
    }

    /** Sets the fleet's sketch of one bucket to the union of its regions' (and what it held already). */
    private void unionIntoFleet(Map<String, BucketStats> segments) {
        BucketStats fleetStats = segments.get(Segments.FLEET);
        if (fleetStats == null) {
            return;
        }
        Union union = null;
        for (BucketStats b : segments.values()) {
            HllSketch sketch = sketches.get(b);
            if (sketch != null) {
                if (union == null) {
                    union = new Union(DeviceSketch.LG_K);
                }
                union.update(sketch);
            }
        }
        if (union != null) {
            sketches.put(fleetStats, union.getResult(DeviceSketch.TYPE));
        }
    }

    private HllSketch sketch(BucketStats s) {
        HllSketch sketch = sketches.get(s);
        if (sketch == null) {
            sketch = DeviceSketch.create();
            sketches.put(s, sketch);
        }
        return sketch;
    }

    @Override
    public void node(String region, long time, NodeSample sample) {
        regionStats(region, time).nodes.add(sample);
    }

    @Override
    public void duplicate(String region, long time) {
        regionStats(region, time).duplicates++;
        if (cachedFleetStats != null) {
            cachedFleetStats.duplicates++;
        }
    }
}
