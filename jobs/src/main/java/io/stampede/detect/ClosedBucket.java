package io.stampede.detect;

import io.stampede.alert.Evidence;
import io.stampede.event.Timestamps;
import io.stampede.plan.ArmedPoolForecaster;
import io.stampede.plan.DemandForecast;

/**
 * One closed bucket of a segment as the detectors see it: its counts, the rates derived from
 * them, what the baselines expected, and the auth tier's health at its end.
 *
 * @param forecast the demand forecast, made after the demand detectors (wave, surge, retries)
 *     learned from this bucket; null for them
 * @param latent the outlook of the armed pool whose forced reboots would bring the most demand,
 *     up to the end of its window; null when no pool is forced within the lookahead
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
        DemandForecast forecast,
        ArmedPoolForecaster.Outlook latent) {

    ClosedBucket withForecast(DemandForecast f, ArmedPoolForecaster.Outlook outlook) {
        return new ClosedBucket(segment, start, end, seconds, stats, bootRate, expectedBoots, firstRate, expectedFirst,
                attemptRate, health, safeCapacity, f, outlook);
    }

    long millis() {
        return end - start;
    }

    Evidence.Window window() {
        return new Evidence.Window(Timestamps.format(start), Timestamps.format(end));
    }
}
