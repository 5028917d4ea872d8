package io.stampede.alert;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * When forecast demand crosses the segment's safe and healthy capacity, and what it is made of:
 * the armed pool still to reboot, the logins it brings, and the retry amplification.
 *
 * @param etaSeconds seconds from detection until demand exceeds safe capacity, or null if it does not
 * @param crossesAt when it does, or null
 * @param saturatesAt when demand exceeds all healthy capacity, or null if it does not
 * @param armedPool the forced pool the forecast counts on, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CapacityForecast(
        int horizonSeconds,
        Integer etaSeconds,
        String crossesAt,
        String saturatesAt,
        double currentDemandPerSec,
        double peakDemandPerSec,
        String peakAt,
        double safeCapacityPerSec,
        double healthyCapacityPerSec,
        double excessPerSec,
        long armedDevices,
        long projectedRemainingBoots,
        double projectedRemainingLogins,
        double autoLoginShare,
        double bootToLoginSeconds,
        double retryAmplification,
        ArmedPoolOutlook armedPool) {}
