package io.stampede.alert;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What is still to come of a reboot wave: the armed pool (devices that installed the update and
 * have not rebooted yet) and the automatic logins it and the devices that already booted will bring.
 *
 * @param updateId the update the wave is attributed to, or null
 * @param armedDevices the armed pool of that update (of all updates when most booting devices were
 *     armed but no update stands out), or null when the wave is not an update's
 * @param projectedRemainingBoots the boots still to come: the armed pool, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WaveForecast(
        int horizonSeconds,
        String updateId,
        Long armedDevices,
        long bootedSoFar,
        Long projectedRemainingBoots,
        double projectedRemainingLogins,
        double autoLoginShare,
        double bootToLoginSeconds) {}
