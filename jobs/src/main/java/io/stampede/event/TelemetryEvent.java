package io.stampede.event;

/**
 * One record of the telemetry stream: a device lifecycle event or an auth node's health report,
 * told apart by {@link #type()}. Fields that do not belong to the type, or that were absent, are
 * {@code null} (objects) or -1 (numbers).
 *
 * @param rebootBy UPDATE_INSTALLED: when the update forces its reboot (epoch ms), or -1
 */
public record TelemetryEvent(
        String eventId,
        long eventTime,
        TelemetryType type,
        String deviceId,
        String region,
        String platform,
        String osBuild,
        String clientVersion,
        RebootReason rebootReason,
        String updateId,
        Boolean rebootRequired,
        String authCluster,
        String authNode,
        double capacityPerSec,
        long inflight,
        double cpu,
        double p99LatencyMs,
        double errorRate,
        Boolean healthy,
        long rebootBy) {

    /** A record without a reboot deadline ({@code rebootBy} absent). */
    public TelemetryEvent(String eventId, long eventTime, TelemetryType type, String deviceId, String region,
            String platform, String osBuild, String clientVersion, RebootReason rebootReason, String updateId,
            Boolean rebootRequired, String authCluster, String authNode, double capacityPerSec, long inflight,
            double cpu, double p99LatencyMs, double errorRate, Boolean healthy) {
        this(eventId, eventTime, type, deviceId, region, platform, osBuild, clientVersion, rebootReason, updateId,
                rebootRequired, authCluster, authNode, capacityPerSec, inflight, cpu, p99LatencyMs, errorRate, healthy,
                -1);
    }

    /** The key that identifies the reporting node of a NODE_HEALTH record. */
    public String nodeKey() {
        return authCluster + "/" + authNode;
    }
}
