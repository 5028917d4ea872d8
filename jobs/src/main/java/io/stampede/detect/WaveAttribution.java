package io.stampede.detect;

import io.stampede.alert.Attribution;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names what the devices of a reboot wave share far more than the fleet does. While a wave is
 * building or active it counts the booting devices per attribute value; outside waves it learns
 * the normal mix of reboot reasons, which is what a wave's reasons are compared with (a reason is
 * a property of a boot, not of a device, so the fleet census cannot serve).
 */
public final class WaveAttribution {

    /** Shares below this are treated as this, so rare values do not get absurd lifts. */
    static final double REFERENCE_FLOOR = 0.01;
    static final double MAX_LIFT = 100;
    private static final int MAX_NAMED = 5;
    private static final double REASON_LEARNING = 0.01;

    private long waveBoots;
    private Map<String, Long> waveCounts = new HashMap<>();
    private Map<String, Double> normalReasons = new HashMap<>();
    private double normalReasonWeight;

    /** Counts a bucket's boots into the wave being attributed. */
    public void addToWave(BucketStats b) {
        waveBoots += b.boots;
        BucketStats.add(waveCounts, b.bootAttributes);
    }

    /** Learns the normal mix of reboot reasons from a bucket outside any wave. */
    public void learnNormal(BucketStats b) {
        if (b.boots == 0) {
            return;
        }
        double w = Math.min(1, REASON_LEARNING * b.boots);
        for (Map.Entry<String, Double> e : normalReasons.entrySet()) {
            e.setValue(e.getValue() * (1 - w));
        }
        for (Map.Entry<String, Long> e : b.bootAttributes.entrySet()) {
            if (e.getKey().startsWith(Attributes.REBOOT_REASON + "=")) {
                normalReasons.merge(e.getKey(), w * e.getValue() / b.boots, Double::sum);
            }
        }
        normalReasonWeight = Math.min(1e6, normalReasonWeight + b.boots);
    }

    public void reset() {
        waveBoots = 0;
        waveCounts.clear();
    }

    public long waveBoots() {
        return waveBoots;
    }

    /**
     * The attribute values shared by at least {@code minShare} of the wave's devices and at least
     * {@code minLift} times more than by the fleet, strongest first. When most of the wave reports
     * reason UPDATE, the update most of it shares is named even at a lower lift: it is the cause
     * even when most of the fleet installed it.
     */
    public List<Attribution> attribute(Census census, double minShare, double minLift) {
        if (waveBoots == 0) {
            return List.of();
        }
        List<Attribution> all = new ArrayList<>();
        for (Map.Entry<String, Long> e : waveCounts.entrySet()) {
            String attribute = Attributes.attribute(e.getKey());
            double share = Math.min(1, e.getValue() / (double) waveBoots);
            double reference = reference(census, attribute, e.getKey());
            double lift = Double.isNaN(reference) ? 1 : Math.min(MAX_LIFT, share / Math.max(REFERENCE_FLOOR, reference));
            all.add(new Attribution(attribute, Attributes.value(e.getKey()), round(share), round(lift)));
        }
        all.sort(Comparator.comparingDouble((Attribution a) -> -strength(a)).thenComparing(Attribution::attribute)
                .thenComparing(Attribution::value));
        boolean updateReason = all.stream().anyMatch(a -> a.attribute().equals(Attributes.REBOOT_REASON)
                && a.value().equals("UPDATE") && a.share() >= minShare && a.lift() >= minLift);
        List<Attribution> named = new ArrayList<>();
        boolean updateNamed = false;
        for (Attribution a : all) {
            boolean strong = a.share() >= minShare && a.lift() >= minLift;
            boolean update = a.attribute().equals(Attributes.UPDATE_ID) && a.share() >= minShare && a.lift() >= 1.0;
            if (strong || (updateReason && update && !updateNamed)) {
                named.add(a);
                updateNamed |= a.attribute().equals(Attributes.UPDATE_ID);
            }
        }
        named.sort(Comparator.comparingInt((Attribution a) -> a.attribute().equals(Attributes.UPDATE_ID) ? 0 : 1)
                .thenComparingDouble(a -> -strength(a)));
        return named.size() > MAX_NAMED ? List.copyOf(named.subList(0, MAX_NAMED)) : List.copyOf(named);
    }

    private double reference(Census census, String attribute, String key) {
        if (attribute.equals(Attributes.REBOOT_REASON)) {
            return normalReasonWeight < 20 ? Double.NaN : normalReasons.getOrDefault(key, 0.0);
        }
        return census.share(key);
    }

    private static double strength(Attribution a) {
        return a.share() * Math.log(Math.max(1.0001, a.lift()));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
