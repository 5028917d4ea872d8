package io.stampede.alert;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The basis of a capacity risk that counts on an update's forced reboots: which pool, when it is
 * forced, how long its reboots are assumed to take and where that comes from, and what demand it
 * would bring.
 *
 * @param windowBasis {@code learned} (the region's past forced waves) or {@code default} (the configuration)
 * @param crossesAt when projected demand first exceeds safe capacity, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArmedPoolOutlook(
        String updateId,
        long devices,
        String rebootBy,
        int rebootWindowSeconds,
        String windowBasis,
        double peakDemandPerSec,
        String peakAt,
        String crossesAt) {}
