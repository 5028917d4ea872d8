package io.stampede.alert;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What is still to come: for a reboot wave, the armed pool and the boots and logins it will
 * bring; for a capacity risk, when forecast demand crosses safe and healthy capacity, and by how
 * much. Fields that do not apply are {@code null} and left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Forecast(
        int horizonSeconds,
        Integer etaSeconds,
        String crossesAt,
        String saturatesAt,
        Double currentDemandPerSec,
        Double peakDemandPerSec,
        String peakAt,
        Double safeCapacityPerSec,
        Double healthyCapacityPerSec,
        Double excessPerSec,
        String updateId,
        Long armedDevices,
        Long bootedSoFar,
        Long projectedRemainingBoots,
        Double projectedRemainingLogins,
        Double autoLoginShare,
        Double bootToLoginSeconds,
        Double retryAmplification) {}
