package io.stampede.report;

import io.stampede.alert.Alert;
import io.stampede.alert.AlertStatus;
import io.stampede.alert.AlertType;
import io.stampede.event.Timestamps;
import io.stampede.sim.CountScenario;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures one run against its scenario's ground truth: the detection delay of each expected
 * alert type (onset to the detection time, i.e. the end of the bucket that fired), the misses, the
 * false alarms, and for the scenarios that must be learned, alerts per day or how long the alert
 * stayed open.
 *
 * <p>Only new alerts count (the first FIRING state of each dedupKey). A detection is the first new
 * alert of an expected type detected after the onset (a bucket ending at the onset holds nothing of
 * the disturbance) and no later than its end; every other new alert in the labelled part of the
 * series is a false alarm: outside the disturbance, of a type not expected, or a second alert of a
 * type (flapping). An alert that fired before the onset and is still open is no detection: it was
 * raised by something else, and the disturbance then raises nothing new.
 */
public final class Scoring {

    private static final long DAY_MS = 86_400_000;

    private Scoring() {}

    public static RunScore score(CountScenario scenario, int devices, long seed, List<Alert> alerts) {
        Expectation e = Expectation.of(scenario);
        long start = scenario.start().toEpochMilli();
        long labelled = scenario.labelledFrom().toEpochMilli();
        long end = scenario.end().toEpochMilli();
        long onset = scenario.onset() == null ? Long.MAX_VALUE : scenario.onset().toEpochMilli();
        long over = scenario.disturbanceEnd() == null ? end : scenario.disturbanceEnd().toEpochMilli();

        Map<String, Long> resolvedAt = new HashMap<>();
        Map<String, Alert> newAlerts = new LinkedHashMap<>();
        for (Alert a : alerts) {
            if (a.status() == AlertStatus.RESOLVED) {
                resolvedAt.putIfAbsent(a.dedupKey(), Timestamps.parse(a.detectedAt()));
            } else {
                newAlerts.putIfAbsent(a.dedupKey(), a);
            }
        }

        Map<AlertType, Long> detected = new EnumMap<>(AlertType.class);
        List<RunScore.Alarm> falseAlarms = new ArrayList<>();
        int history = 0;
        int[] perDay = new int[scenario.days()];
        Alert shiftAlert = null;
        for (Alert a : newAlerts.values()) {
            long t = Timestamps.parse(a.detectedAt());
            perDay[Math.min(perDay.length, day(start, t)) - 1]++;
            if (t < labelled) {
                history++;
                continue;
            }
            Expectation.Kind kind = e.kind();
            if (kind == Expectation.Kind.DETECT && e.detect().contains(a.type()) && !detected.containsKey(a.type())
                    && t > onset && t <= over) {
                detected.put(a.type(), (t - onset) / 1000);
            } else if (kind == Expectation.Kind.NEW_NORMAL && t >= onset && shiftAlert == null) {
                shiftAlert = a;
            } else if (kind != Expectation.Kind.LEARNS_DAILY || day(start, t) >= Expectation.SILENT_FROM_DAY) {
                falseAlarms.add(new RunScore.Alarm(a.type(), a.detectedAt()));
            }
        }

        List<RunScore.Detection> detections = new ArrayList<>();
        // A disturbance's target is its delays; every other scenario's is first of all silence.
        boolean met = e.kind() == Expectation.Kind.DETECT || falseAlarms.isEmpty();
        for (AlertType type : e.detect()) {
            Long delay = detected.get(type);
            detections.add(new RunScore.Detection(type, delay));
            met &= delay != null && delay <= Expectation.TARGET_DELAY_SECONDS;
        }
        RunScore.NewNormal newNormal = null;
        if (e.kind() == Expectation.Kind.NEW_NORMAL) {
            newNormal = newNormal(shiftAlert, resolvedAt, end);
            met &= newNormal.alert() == null || newNormal.resolved();
        }
        List<Integer> days = new ArrayList<>();
        if (e.kind() == Expectation.Kind.LEARNS_DAILY) {
            for (int n : perDay) {
                days.add(n);
            }
        }
        return new RunScore(scenario.name(), devices, seed, detections, falseAlarms, history, days, newNormal, met);
    }

    /** The day of the series {@code t} falls on, from 1. */
    private static int day(long start, long t) {
        return (int) ((t - start) / DAY_MS) + 1;
    }

    private static RunScore.NewNormal newNormal(Alert a, Map<String, Long> resolvedAt, long end) {
        if (a == null) {
            return new RunScore.NewNormal(null, false, 0);
        }
        long fired = Timestamps.parse(a.detectedAt());
        Long resolved = resolvedAt.get(a.dedupKey());
        long until = resolved == null ? end : resolved;
        return new RunScore.NewNormal(new RunScore.Alarm(a.type(), a.detectedAt()), resolved != null,
                (until - fired) / 1000);
    }
}
