package io.stampede.detect;

import io.stampede.admission.AttemptClass;
import io.stampede.event.LoginEvent;
import io.stampede.event.Outcome;
import io.stampede.event.RebootReason;
import io.stampede.event.TelemetryEvent;
import io.stampede.event.TelemetryType;
import io.stampede.event.Trigger;

/**
 * What the detection needs of one accepted event, keyed by the device (or, for node health, the
 * auth node) that produced it. It leaves personal data (the account id) behind at the parse step,
 * so nothing downstream of the sources ever holds it. Fields that do not apply are {@code null} or -1.
 *
 * <p>It is the record that crosses the network once per event; the topology gives it a compact
 * serializer of its own ({@code topology.ObservationSerializer}).
 *
 * @param rebootBy UPDATE_INSTALLED: when the update forces its reboot (epoch ms), or -1
 */
public record Observation(
        ObservationKind kind,
        String key,
        String eventId,
        long eventTime,
        String region,
        Trigger trigger,
        Outcome outcome,
        int attempt,
        int latencyMs,
        String platform,
        String osBuild,
        String clientVersion,
        String updateId,
        RebootReason rebootReason,
        boolean rebootRequired,
        double capacityPerSec,
        long inflight,
        double cpu,
        double p99LatencyMs,
        double errorRate,
        boolean healthy,
        long rebootBy) {

    /** An observation without a reboot deadline. */
    public Observation(ObservationKind kind, String key, String eventId, long eventTime, String region,
            Trigger trigger, Outcome outcome, int attempt, int latencyMs, String platform, String osBuild,
            String clientVersion, String updateId, RebootReason rebootReason, boolean rebootRequired,
            double capacityPerSec, long inflight, double cpu, double p99LatencyMs, double errorRate, boolean healthy) {
        this(kind, key, eventId, eventTime, region, trigger, outcome, attempt, latencyMs, platform, osBuild,
                clientVersion, updateId, rebootReason, rebootRequired, capacityPerSec, inflight, cpu, p99LatencyMs,
                errorRate, healthy, -1);
    }

    /** A login; its optional device attributes are left out (the census is built from telemetry). */
    public static Observation of(LoginEvent e) {
        return new Observation(ObservationKind.LOGIN, e.deviceId(), e.eventId(), e.eventTime(), e.region(),
                e.trigger(), e.outcome(), e.attempt(), e.latencyMs(), null, null, null, null, null, false, -1, -1, -1,
                -1, -1, false);
    }

    public static Observation of(TelemetryEvent e) {
        if (e.type() == TelemetryType.NODE_HEALTH) {
            return new Observation(ObservationKind.NODE_HEALTH, e.nodeKey(), e.eventId(), e.eventTime(), e.region(),
                    null, null, 0, -1, null, null, null, null, null, false, e.capacityPerSec(), e.inflight(), e.cpu(),
                    e.p99LatencyMs(), e.errorRate(), Boolean.TRUE.equals(e.healthy()));
        }
        return new Observation(ObservationKind.of(e.type()), e.deviceId(), e.eventId(), e.eventTime(), e.region(),
                null, null, 0, -1, e.platform(), e.osBuild(), e.clientVersion(), e.updateId(), e.rebootReason(),
                Boolean.TRUE.equals(e.rebootRequired()), -1, -1, -1, -1, -1, false, e.rebootBy());
    }

    /** The class of a login attempt for planning: retries form their own class, whatever their trigger. */
    public AttemptClass attemptClass() {
        return AttemptClasses.of(trigger, attempt);
    }
}
