package io.stampede.topology;

import io.stampede.alert.Alert;
import io.stampede.alert.AlertStatus;
import io.stampede.alert.AlertType;
import io.stampede.detect.SegmentSnapshot;
import io.stampede.detect.Segments;
import io.stampede.event.DeadLetterCategory;
import io.stampede.event.InputKind;
import io.stampede.plan.ScalingSignal;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * Stampede's own metrics, named in one place. Each lives in the operator's metric group under
 * {@code stampede}, followed by key/value groups that become Prometheus labels. Flink's Prometheus
 * reporter names a metric after its logical scope, which holds the keys but not their values:
 * {@code stampede.region(eu-west).desired_nodes} is exported as
 * {@code flink_taskmanager_job_task_operator_stampede_region_desired_nodes{region="eu-west", ...}}
 * next to Flink's own labels (job_name, operator_name, subtask_index...).
 *
 * <p>Counters end in {@code _total} as Prometheus counters do, so {@code rate()} reads naturally,
 * although the reporter declares every Flink counter as a Prometheus gauge (Flink counters may go
 * down). Counters are registered up front where their label values form a closed set, so every
 * series starts at 0 and the first increment shows in {@code increase()}; per-region gauges are
 * registered when a region first reports, and a gauge that has no value yet has no series.
 */
public final class StampedeMetrics {

    /** The group every Stampede metric lives in. */
    private static final String GROUP = "stampede";

    /** Label keys (they are part of the exported names, too). */
    private static final String INPUT = "input";
    private static final String REASON = "reason";
    private static final String TYPE = "type";
    private static final String STATUS = "status";
    private static final String REGION = "region";
    private static final String CONTROL = "control";

    /** Metric names within their groups. */
    private static final String EVENTS = "events_total";
    private static final String DEAD_LETTERS = "dead_letters_total";
    private static final String DUPLICATES = "duplicates_total";
    private static final String LATE_ACCEPTED = "late_accepted_total";
    private static final String OUTPUT = "output";
    private static final String NOT_WRITTEN = "not_written_total";
    private static final String ALERTS = "alerts_total";
    private static final String REFUSED = "refused_total";
    private static final String APPLIED = "applied_total";
    private static final String EXPIRED = "expired_total";
    private static final String FLEET_SUPPRESSED = "fleet_suppressed_total";
    private static final String LOGIN_RATE = "login_rate_per_sec";
    private static final String BOOT_RATE = "boot_rate_per_sec";
    private static final String FORECAST_DEMAND = "forecast_demand_per_sec";
    private static final String HEALTHY_CAPACITY = "healthy_capacity_per_sec";
    private static final String SAFE_CAPACITY = "safe_capacity_per_sec";
    private static final String ADMITTED_RATE = "admitted_rate_per_sec";
    private static final String ADMIT_LIMIT = "admit_limit_per_sec";
    private static final String DESIRED_CAPACITY = "desired_capacity_per_sec";
    private static final String DESIRED_NODES = "desired_nodes";
    private static final String HEALTHY_NODES = "healthy_nodes";

    private StampedeMetrics() {}

    private static MetricGroup input(MetricGroup operator, InputKind input) {
        return operator.addGroup(GROUP).addGroup(INPUT, input.streamName());
    }

    /** Events of an input stream accepted by the parse step. */
    public static Counter inputEvents(MetricGroup operator, InputKind input) {
        return input(operator, input).counter(EVENTS);
    }

    /** Records of an input stream sent to the dead letters, by reason (the dead letter's category). */
    public static Counter deadLetters(MetricGroup operator, InputKind input, DeadLetterCategory reason) {
        return input(operator, input).addGroup(REASON, reason.name()).counter(DEAD_LETTERS);
    }

    /** Events of an input stream dropped because their eventId had been seen. */
    public static Counter duplicates(MetricGroup operator, InputKind input) {
        return input(operator, input).counter(DUPLICATES);
    }

    /** Events of an input stream the watermark had passed, accepted within input.allowedLateness. */
    public static Counter lateAccepted(MetricGroup operator, InputKind input) {
        return input(operator, input).counter(LATE_ACCEPTED);
    }

    /** Output records not written because Kafka would refuse them (larger than max.request.size). */
    public static Counter outputsNotWritten(MetricGroup operator, String output) {
        return operator.addGroup(GROUP).addGroup(OUTPUT, output).counter(NOT_WRITTEN);
    }

    /** Control records refused (they are dead letters). */
    public static Counter controlsRefused(MetricGroup operator) {
        return operator.addGroup(GROUP).addGroup(CONTROL).counter(REFUSED);
    }

    /**
     * Controls that came into force in a segment, and those that stopped being in force (ended,
     * cleared or forgotten), counted per segment and control: {@code [0]} applied, {@code [1]} expired.
     */
    public static Counter[] controlChanges(MetricGroup operator) {
        MetricGroup g = operator.addGroup(GROUP).addGroup(CONTROL);
        return new Counter[] {g.counter(APPLIED), g.counter(EXPIRED)};
    }

    /** Alerts by type and status, indexed {@code [type.ordinal()][status.ordinal()]}; see {@link #count}. */
    public static Counter[][] alerts(MetricGroup operator) {
        Counter[][] counters = new Counter[AlertType.values().length][AlertStatus.values().length];
        for (AlertType type : AlertType.values()) {
            for (AlertStatus status : AlertStatus.values()) {
                counters[type.ordinal()][status.ordinal()] = operator.addGroup(GROUP).addGroup(TYPE, type.name())
                        .addGroup(STATUS, status.name()).counter(ALERTS);
            }
        }
        return counters;
    }

    /**
     * Fleet alerts not raised because a region's alert explains them, by type, indexed
     * {@code [type.ordinal()]}: one count per fleet alert (its FIRING state; its later states go too).
     */
    public static Counter[] suppressedFleetAlerts(MetricGroup operator) {
        Counter[] counters = new Counter[AlertType.values().length];
        for (AlertType type : AlertType.values()) {
            counters[type.ordinal()] = operator.addGroup(GROUP).addGroup(TYPE, type.name()).counter(FLEET_SUPPRESSED);
        }
        return counters;
    }

    /**
     * Counts an alert's transitions: FIRING when it starts (sequence 1; its updates are not counted)
     * and RESOLVED when it ends, so FIRING minus RESOLVED is what fires now.
     */
    public static void count(Counter[][] alerts, Alert alert) {
        if (alert.status() != AlertStatus.FIRING || alert.sequence() == 1) {
            alerts[alert.type().ordinal()][alert.status().ordinal()].inc();
        }
    }

    /**
     * The per-region gauges of one parallel instance of the segment stage: the latest evaluated
     * bucket of each region it holds, and the latest scaling signal. The fleet segment is left out
     * so that summing over regions gives the fleet. Updated by the task thread, read by reporters.
     */
    public static final class Regions {

        private final MetricGroup operator;
        private final Map<String, Region> regions = new HashMap<>();

        public Regions(MetricGroup operator) {
            this.operator = operator;
        }

        public void snapshot(SegmentSnapshot s) {
            if (!Segments.isFleet(s.segment())) {
                region(s.segment()).snapshot(s);
            }
        }

        public void signal(ScalingSignal s) {
            if (!Segments.isFleet(s.region())) {
                region(s.region()).signal(s);
            }
        }

        private Region region(String name) {
            return regions.computeIfAbsent(name, n -> new Region(operator.addGroup(GROUP).addGroup(REGION, n)));
        }
    }

    private static final class Region {
        private final MetricGroup group;
        private volatile double loginRate;
        private volatile double bootRate;
        private volatile double forecastDemand;
        private volatile double healthyCapacity;
        private volatile double safeCapacity;
        private volatile double admittedRate;
        private volatile double admitLimit;
        private volatile double desiredCapacity;
        private volatile int desiredNodes;
        private volatile int healthyNodes;
        private boolean snapshotGauges;
        private boolean signalGauges;

        Region(MetricGroup group) {
            this.group = group;
        }

        void snapshot(SegmentSnapshot s) {
            loginRate = s.attemptsPerSec();
            bootRate = s.bootsPerSec();
            forecastDemand = s.forecastPeakPerSec();
            healthyCapacity = s.healthyCapacityPerSec();
            safeCapacity = s.safeCapacityPerSec();
            admittedRate = s.admittedPerSec();
            // No directive in force: no limit.
            admitLimit = s.admitPerSec() < 0 ? Double.POSITIVE_INFINITY : s.admitPerSec();
            if (!snapshotGauges) {
                snapshotGauges = true;
                gauge(LOGIN_RATE, () -> loginRate);
                gauge(BOOT_RATE, () -> bootRate);
                gauge(FORECAST_DEMAND, () -> forecastDemand);
                gauge(HEALTHY_CAPACITY, () -> healthyCapacity);
                gauge(SAFE_CAPACITY, () -> safeCapacity);
                gauge(ADMITTED_RATE, () -> admittedRate);
                gauge(ADMIT_LIMIT, () -> admitLimit);
            }
        }

        void signal(ScalingSignal s) {
            desiredCapacity = s.desiredCapacityPerSec();
            desiredNodes = s.desiredNodes();
            healthyNodes = s.currentNodes();
            if (!signalGauges) {
                signalGauges = true;
                gauge(DESIRED_CAPACITY, () -> desiredCapacity);
                group.gauge(DESIRED_NODES, (Gauge<Integer>) () -> desiredNodes);
                group.gauge(HEALTHY_NODES, (Gauge<Integer>) () -> healthyNodes);
            }
        }

        private void gauge(String name, Gauge<Double> gauge) {
            group.gauge(name, gauge);
        }
    }
}
