package io.stampede.sim;

import io.stampede.event.EventJson;
import io.stampede.event.EventJson.TimeForm;
import io.stampede.event.InputKind;
import io.stampede.event.LoginEvent;
import io.stampede.event.Outcome;
import io.stampede.event.RebootReason;
import io.stampede.event.TelemetryEvent;
import io.stampede.event.TelemetryType;
import java.nio.charset.StandardCharsets;

/**
 * Turns what happens in the simulation into input records, written by {@link EventJson} as the
 * contract says, and passes them through the {@link Imperfections} of collection. Logins carry
 * their time as an RFC 3339 string, telemetry as epoch milliseconds: a real fleet's feeds differ
 * like that, and the job reads both.
 */
final class EventRecords {

    private final Scenario sc;
    private final Fleet fleet;
    private final Imperfections imperfections;
    private final String idPrefix;
    /** Per region: its auth cluster, and the names of its nodes. */
    private final String[] clusters;
    private final String[][] nodes;
    private final StringBuilder json = new StringBuilder(320);
    private long eventSeq;

    EventRecords(Scenario scenario, Fleet fleet, Imperfections imperfections) {
        this.sc = scenario;
        this.fleet = fleet;
        this.imperfections = imperfections;
        this.idPrefix = "ev-" + Long.toString(scenario.seed(), 36) + "-";
        int regions = scenario.regions().size();
        clusters = new String[regions];
        nodes = new String[regions][];
        for (int r = 0; r < regions; r++) {
            Scenario.Region region = scenario.regions().get(r);
            clusters[r] = region.name() + "-auth";
            nodes[r] = new String[Autoscaler.maxNodes(region)];
            for (int n = 0; n < nodes[r].length; n++) {
                nodes[r][n] = clusters[r] + "-" + (n + 1);
            }
        }
    }

    /** A login attempt's record, {@code time} as the front door saw it. */
    void login(FleetSimulator.Sink sink, Attempt a, long time, Outcome outcome, int latencyMs) {
        int d = a.device();
        int r = fleet.region(d);
        time = imperfections.disorder(time);
        LoginEvent e = new LoginEvent(nextId(), time, "dev-" + d, "acct-" + (d * 7919L % 1_000_003),
                sc.regions().get(r).name(), clusters[r], a.trigger(), a.attempt(), outcome, latencyMs,
                fleet.platform(d), fleet.osBuild(d), fleet.clientVersion(d));
        json.setLength(0);
        EventJson.login(json, e, TimeForm.RFC3339);
        emit(sink, InputKind.LOGIN);
    }

    /**
     * A device's lifecycle record: a boot ({@code rebootReason} set) or an installed update.
     *
     * @param rebootBy an installed update's forced-reboot time (epoch ms), or -1
     */
    void device(FleetSimulator.Sink sink, int d, TelemetryType type, long t, RebootReason rebootReason,
            String updateId, Boolean rebootRequired, long rebootBy) {
        String id = nextId();
        TelemetryEvent e = new TelemetryEvent(id, imperfections.disorder(t), type, "dev-" + d,
                sc.regions().get(fleet.region(d)).name(), fleet.platform(d), fleet.osBuild(d), fleet.clientVersion(d),
                rebootReason, updateId, rebootRequired, null, null, -1, -1, -1, -1, -1, null, rebootBy);
        json.setLength(0);
        EventJson.telemetry(json, e, TimeForm.EPOCH_MILLIS);
        emit(sink, InputKind.TELEMETRY);
    }

    /** Node {@code n} of region {@code r} reports its health (its own clock: no disorder). */
    void nodeHealth(FleetSimulator.Sink sink, int r, int n, long t, long inflight, double cpu, long p99LatencyMs,
            double errorRate, boolean healthy) {
        Scenario.Region region = sc.regions().get(r);
        TelemetryEvent e = new TelemetryEvent(nextId(), t, TelemetryType.NODE_HEALTH, null, region.name(), null, null,
                null, null, null, null, clusters[r], nodes[r][n], region.nodeCapacityPerSec(), inflight, cpu,
                p99LatencyMs, errorRate, healthy);
        json.setLength(0);
        EventJson.telemetry(json, e, TimeForm.EPOCH_MILLIS);
        emit(sink, InputKind.TELEMETRY);
    }

    private void emit(FleetSimulator.Sink sink, InputKind kind) {
        imperfections.emit(sink, kind, json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private String nextId() {
        return idPrefix + Long.toString(eventSeq++, 36);
    }
}
