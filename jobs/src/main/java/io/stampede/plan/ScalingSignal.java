package io.stampede.plan;

/**
 * Demand, capacity and the capacity a region's auth tier should have, for autoscalers (topic
 * scaling-signals). Field names are a contract: {@code schemas/scaling-signal.schema.json}.
 */
public record ScalingSignal(
        String signalId,
        String region,
        String issuedAt,
        double currentDemandPerSec,
        double forecastDemandPerSec,
        int horizonSeconds,
        double healthyCapacityPerSec,
        double safeCapacityPerSec,
        double perNodeCapacityPerSec,
        int currentNodes,
        double desiredCapacityPerSec,
        int desiredNodes,
        String neededBy,
        Direction direction,
        String reason,
        String causeAlertId,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        String controlId) {

    /** The same signal, naming the control (the region's SETTINGS) that shaped it. */
    public ScalingSignal withControlId(String id) {
        return new ScalingSignal(signalId, region, issuedAt, currentDemandPerSec, forecastDemandPerSec, horizonSeconds,
                healthyCapacityPerSec, safeCapacityPerSec, perNodeCapacityPerSec, currentNodes, desiredCapacityPerSec,
                desiredNodes, neededBy, direction, reason, causeAlertId, id);
    }

    public enum Direction {
        UP,
        DOWN,
        HOLD
    }
}
