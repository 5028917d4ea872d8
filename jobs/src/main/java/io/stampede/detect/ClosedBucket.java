package io.stampede.detect;

import io.stampede.alert.Evidence;
import io.stampede.event.Timestamps;
import io.stampede.plan.DemandForecast;

/**
 * One closed bucket of a segment as the detectors see it: its counts, the rates derived from
 * them, what the baselines expected, and the auth tier's health at its end.
 *
 * @param forecast the demand forecast, made after the demand detectors (wave, surge, retries)
 *     learned from this bucket; null for them
 */
public record ClosedBucket(
        String segment,
        long start,
        long end,
        double seconds,
        BucketStats stats,
        double bootRate,
        double expectedBoots,
        double firstRate,
        double expectedFirst,
        double attemptRate,
        NodeHealthBook.Health health,
        double safeCapacity,
        DemandForecast forecast) {

    ClosedBucket withForecast(DemandForecast f) {
        return new ClosedBucket(segment, start, end, seconds, stats, bootRate, expectedBoots, firstRate, expectedFirst,
                attemptRate, health, safeCapacity, f);
    }

    long millis() {
        return end - start;
    }

    Evidence.Window window() {
        return new Evidence.Window(Timestamps.format(start), Timestamps.format(end));
    }
}
