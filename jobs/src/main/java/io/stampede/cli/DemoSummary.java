package io.stampede.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import io.stampede.alert.Severity;
import io.stampede.event.Timestamps;
import io.stampede.io.Json;
import io.stampede.io.RunOutputs;
import io.stampede.plan.ScalingSignal;
import io.stampede.sim.Scenario;
import io.stampede.sim.SimResult;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the demo concludes from its two runs: the outcome for the auth tier with and without
 * Stampede's actions (throttling, and the nodes its scaling signals added), how fast the disturbance was detected, and how long before the tier would
 * have been overrun Stampede warned and acted (lead time, measured on the run without actions).
 */
public final class DemoSummary {

    /** Lead time in one region. Times are event-time epoch ms; missing ones are -1. */
    /**
     * @param pageAt the first CAPACITY_RISK state at WARNING or above (a latent INFO one does not page), or -1
     * @param scaleUpAt the first scaling signal asking for more nodes, or -1
     */
    public record LeadTime(String region, long demandCrossesCapacityAt, long firstWarningAt, String firstWarning,
            long pageAt, long scaleUpAt) {
        public long leadSeconds() {
            return before(firstWarningAt);
        }

        /** Seconds from {@code t} to the crossing, or MIN when either is unknown. */
        public long before(long t) {
            return demandCrossesCapacityAt < 0 || t < 0 ? Long.MIN_VALUE : (demandCrossesCapacityAt - t) / 1000;
        }
    }

    /** When the first alert of a type fired, and how long after the disturbance's onset. */
    public record Detection(AlertType type, String region, long detectedAt, long delaySeconds) {}

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private DemoSummary() {}

    /**
     * For each region whose demand (attempts at the front door per 10 s, ground truth of the run
     * without actions) exceeded its capacity: when that first happened, and the first CAPACITY_RISK
     * alert or directive of that region in the same run.
     */
    public static List<LeadTime> leadTimes(SimResult without, RunOutputs outputs) {
        List<LeadTime> out = new ArrayList<>();
        for (SimResult.RegionSeries s : without.regions.values()) {
            long crossing = -1;
            for (int b = 0; b + 10 <= without.seconds; b += 10) {
                double attempts = 0;
                double capacity = 0;
                for (int i = b; i < b + 10; i++) {
                    attempts += s.attempts[i];
                    capacity += s.capacity[i];
                }
                if (capacity > 0 && attempts > capacity) {
                    crossing = without.startMillis + b * 1000L;
                    break;
                }
            }
            if (crossing < 0) {
                continue;
            }
            long first = -1;
            String what = null;
            for (Alert a : outputs.alerts()) {
                if (a.type() == AlertType.CAPACITY_RISK && a.region().equals(s.region) && a.sequence() == 1) {
                    first = Timestamps.parse(a.detectedAt());
                    what = a.severity() == Severity.INFO ? "CAPACITY_RISK (latent, INFO)" : "CAPACITY_RISK";
                    break;
                }
            }
            for (ThrottleDirective d : outputs.directives()) {
                if (d.region().equals(s.region)) {
                    long t = Timestamps.parse(d.issuedAt());
                    if (first < 0 || t < first) {
                        first = t;
                        what = "directive";
                    }
                    break;
                }
            }
            long page = -1;
            for (Alert a : outputs.alerts()) {
                if (a.type() == AlertType.CAPACITY_RISK && a.region().equals(s.region) && a.isFiring()
                        && a.severity() != Severity.INFO) {
                    page = Timestamps.parse(a.detectedAt());
                    break;
                }
            }
            long scaleUp = -1;
            for (ScalingSignal sig : outputs.signals()) {
                if (sig.region().equals(s.region) && sig.direction() == ScalingSignal.Direction.UP) {
                    scaleUp = Timestamps.parse(sig.issuedAt());
                    break;
                }
            }
            out.add(new LeadTime(s.region, crossing, first, what, page, scaleUp));
        }
        return out;
    }

    /** The first FIRING alert of each type, and its delay after the scenario's onset. */
    public static List<Detection> detections(Scenario scenario, RunOutputs outputs) {
        Map<AlertType, Detection> first = new TreeMap<>();
        long onset = scenario.onset() == null ? -1 : scenario.onset().toEpochMilli();
        for (Alert a : outputs.alerts()) {
            if (a.sequence() == 1 && !first.containsKey(a.type())) {
                long t = Timestamps.parse(a.detectedAt());
                first.put(a.type(), new Detection(a.type(), a.region(), t, onset < 0 ? Long.MIN_VALUE : (t - onset) / 1000));
            }
        }
        return new ArrayList<>(first.values());
    }

    static ObjectNode outcome(SimResult r, RunOutputs o) {
        SimResult.Outcome x = r.outcome();
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("overloadedMinutes", x.overloadedMinutes());
        n.put("peakUtilization", x.peakUtilization());
        n.put("failedLogins", x.failedLogins());
        n.put("deferredLogins", x.deferredLogins());
        n.put("meanDeferralSeconds", x.meanDeferralSeconds());
        n.put("abandonedLogins", x.abandonedLogins());
        ObjectNode alerts = n.putObject("alerts");
        for (AlertType t : AlertType.values()) {
            alerts.put(t.name(), o.alerts().stream().filter(a -> a.type() == t && a.sequence() == 1).count());
        }
        ObjectNode nodes = n.putObject("nodes");
        for (SimResult.RegionSeries s : r.regions.values()) {
            ObjectNode region = nodes.putObject(s.region);
            region.put("initial", s.nodes[0]);
            region.put("peak", s.peakNodes());
            int first = s.firstSecondWithAddedNodes();
            if (first >= 0) {
                region.put("firstAddedServingAt", Timestamps.format(r.startMillis + first * 1000L));
            }
        }
        n.put("directives", o.directives().size());
        n.put("scalingSignals", o.signals().size());
        n.put("deadLetters", o.deadLetters());
        n.put("events", r.events);
        return n;
    }

    /** summary.json of a demo that played both runs; its detection and incidents are the run with actions'. */
    public static ObjectNode json(Scenario scenario, SimResult with, RunOutputs withOut, SimResult without,
            RunOutputs withoutOut) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode sc = root.putObject("scenario");
        sc.put("name", scenario.name());
        sc.put("devices", scenario.devices());
        sc.put("seed", scenario.seed());
        sc.put("start", scenario.start().toString());
        sc.put("end", scenario.end().toString());
        if (scenario.onset() != null) {
            sc.put("onset", scenario.onset().toString());
        }
        root.set("withStampede", outcome(with, withOut));
        root.set("withoutStampede", outcome(without, withoutOut));
        ArrayNode detections = root.putArray("detection");
        for (Detection d : detections(scenario, withOut)) {
            ObjectNode n = detections.addObject();
            n.put("type", d.type().name());
            n.put("region", d.region());
            n.put("detectedAt", Timestamps.format(d.detectedAt()));
            if (d.delaySeconds() != Long.MIN_VALUE) {
                n.put("secondsAfterOnset", d.delaySeconds());
            }
        }
        root.set("incidents", Incidents.of(withOut.alerts()).json());
        ArrayNode leads = root.putArray("leadTime");
        for (LeadTime l : leadTimes(without, withoutOut)) {
            ObjectNode n = leads.addObject();
            n.put("region", l.region());
            n.put("demandCrossesCapacityAt", Timestamps.format(l.demandCrossesCapacityAt()));
            if (l.firstWarningAt() >= 0) {
                n.put("firstWarningAt", Timestamps.format(l.firstWarningAt()));
                n.put("firstWarning", l.firstWarning());
                n.put("leadSeconds", l.leadSeconds());
            } else {
                n.putNull("firstWarningAt");
            }
            if (l.pageAt() >= 0) {
                n.put("warningAt", Timestamps.format(l.pageAt()));
                n.put("warningLeadSeconds", l.before(l.pageAt()));
            }
            if (l.scaleUpAt() >= 0) {
                n.put("scaleUpAt", Timestamps.format(l.scaleUpAt()));
                n.put("scaleUpLeadSeconds", l.before(l.scaleUpAt()));
            }
        }
        return root;
    }

    /** The lead of the first paging capacity risk and of the first scale-up, when they differ from the first warning's. */
    static String moreLeads(LeadTime l) {
        StringBuilder out = new StringBuilder();
        if (l.pageAt() >= 0 && l.pageAt() != l.firstWarningAt()) {
            out.append("; its WARNING ").append(l.before(l.pageAt())).append(" s before");
        }
        if (l.scaleUpAt() >= 0) {
            out.append("; first scale-up signal ").append(l.before(l.scaleUpAt())).append(" s before");
        }
        return out.toString();
    }

    /** The side-by-side table printed at the end of the demo. */
    static List<String> table(SimResult with, SimResult without) {
        SimResult.Outcome a = without.outcome();
        SimResult.Outcome b = with.outcome();
        List<String> lines = new ArrayList<>();
        lines.add(String.format("  %-26s %18s %18s", "", "without Stampede", "with Stampede"));
        lines.add(row("overloaded minutes", a.overloadedMinutes(), b.overloadedMinutes()));
        lines.add(String.format(Locale.ROOT, "  %-26s %17.0f%% %17.0f%%", "peak utilisation (1 min)",
                100 * a.peakUtilization(), 100 * b.peakUtilization()));
        lines.add(row("failed login attempts", a.failedLogins(), b.failedLogins()));
        lines.add(row("logins given up", a.abandonedLogins(), b.abandonedLogins()));
        lines.add(row("deferred logins", a.deferredLogins(), b.deferredLogins()));
        lines.add(String.format(Locale.ROOT, "  %-26s %18s %18s", "mean deferral",
                a.deferredLogins() == 0 ? "-" : String.format(Locale.ROOT, "%.0f s", a.meanDeferralSeconds()),
                b.deferredLogins() == 0 ? "-" : String.format(Locale.ROOT, "%.0f s", b.meanDeferralSeconds())));
        for (String region : without.regions.keySet()) {
            SimResult.RegionSeries x = without.regions.get(region);
            SimResult.RegionSeries y = with.regions.get(region);
            if (x.firstSecondWithAddedNodes() < 0 && y.firstSecondWithAddedNodes() < 0) {
                continue;
            }
            lines.add(row("peak nodes (" + region + ")", x.peakNodes(), y.peakNodes()));
            lines.add(String.format(Locale.ROOT, "  %-26s %18s %18s", "first added node (" + region + ")",
                    firstAdded(without, x), firstAdded(with, y)));
        }
        return lines;
    }

    /** When the first node added to a region's tier started serving (UTC), or "-". */
    private static String firstAdded(SimResult r, SimResult.RegionSeries s) {
        int first = s.firstSecondWithAddedNodes();
        return first < 0 ? "-" : CLOCK.format(Instant.ofEpochMilli(r.startMillis + first * 1000L));
    }

    private static String row(String label, long a, long b) {
        return String.format(Locale.ROOT, "  %-26s %,18d %,18d", label, a, b);
    }
}
