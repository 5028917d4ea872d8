package io.stampede.detect;

/**
 * What one segment looked like in one bucket, as the detectors saw it: the series behind the
 * report's charts and the per-region metrics. Rates are per second; capacity figures are 0 where
 * the segment has no node health (the fleet segment, or regions without NODE_HEALTH input).
 *
 * @param admitPerSec the admitted-logins limit of the directive in force, or -1 if none
 * @param forecastCrossSeconds seconds until forecast demand crosses safe capacity, or -1
 */
public record SegmentSnapshot(
        String segment,
        long bucketStart,
        double bootsPerSec,
        double expectedBootsPerSec,
        double armedBootsPerSec,
        double firstAttemptsPerSec,
        double expectedFirstAttemptsPerSec,
        double attemptsPerSec,
        double retriesPerSec,
        double failuresPerSec,
        double throttledPerSec,
        double healthyCapacityPerSec,
        double safeCapacityPerSec,
        double forecastPeakPerSec,
        int forecastCrossSeconds,
        double admitPerSec,
        long armedDevices,
        long devices,
        long duplicates) {

    /** Attempts that reached the tier (not deferred by the admission layer). */
    public double admittedPerSec() {
        return attemptsPerSec - throttledPerSec;
    }
}
