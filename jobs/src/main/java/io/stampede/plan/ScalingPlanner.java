package io.stampede.plan;

import io.stampede.config.StampedeConfig;
import io.stampede.event.Timestamps;
import io.stampede.plan.ScalingSignal.Direction;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Tells autoscalers how much capacity a region's auth tier should have: enough healthy nodes that
 * the peak of the forecast fits under safe capacity, serving by the time the forecast crosses
 * safe capacity (so new nodes must be asked for a start-up lead time earlier). Scaling down is
 * only advised once fewer nodes would have done for a whole stabilisation window.
 */
public final class ScalingPlanner {

    private static final DateTimeFormatter COMPACT =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final boolean enabled;
    private final double safeUtilization;
    // The durations in milliseconds, converted once.
    private final long nodeStartupMs;
    private final long scaleDownAfterMs;
    private final long emitEveryMs;

    /** @param capacity its safe utilisation is what the desired capacity is sized at */
    public ScalingPlanner(StampedeConfig.Scaling settings, StampedeConfig.Capacity capacity) {
        this.enabled = settings.enabled();
        this.safeUtilization = capacity.safeUtilization();
        this.nodeStartupMs = settings.nodeStartup().toMillis();
        this.scaleDownAfterMs = settings.scaleDownAfter().toMillis();
        this.emitEveryMs = settings.emitEvery().toMillis();
    }

    /**
     * @param currentNodes healthy nodes heard from recently
     * @param perNodeCapacity logins per second one node sustains
     * @return the signal to publish, or null if nothing changed and none is due
     */
    public ScalingSignal plan(ScalingState s, String region, long now, DemandForecast f, int currentNodes,
            double perNodeCapacity, String causeAlertId) {
        if (!enabled || perNodeCapacity <= 0) {
            return null;
        }
        double desiredCapacity = f.peak() / safeUtilization;
        int needed = (int) Math.ceil(desiredCapacity / perNodeCapacity - 1e-9);
        needed = Math.max(1, needed);
        Direction direction;
        int desiredNodes;
        String neededBy = null;
        String reason;
        if (needed > currentNodes) {
            s.lowSince = Long.MIN_VALUE;
            direction = Direction.UP;
            desiredNodes = needed;
            long crossing = f.crossSafe() >= 0 ? f.timeOf(f.crossSafe()) : now;
            long by = Math.max(now, crossing - nodeStartupMs);
            neededBy = Timestamps.format(by);
            reason = String.format("forecast peak %.0f/s needs %d nodes at %.0f%% utilisation; %d healthy",
                    f.peak(), needed, 100 * safeUtilization, currentNodes);
        } else if (needed < currentNodes) {
            if (s.lowSince == Long.MIN_VALUE) {
                s.lowSince = now;
            }
            if (now - s.lowSince >= scaleDownAfterMs) {
                direction = Direction.DOWN;
                desiredNodes = needed;
                reason = String.format("forecast peak %.0f/s has needed only %d nodes for %d min", f.peak(), needed,
                        (now - s.lowSince) / 60_000);
            } else {
                direction = Direction.HOLD;
                desiredNodes = currentNodes;
                reason = "fewer nodes would do, waiting for the stabilisation window before scaling down";
            }
        } else {
            s.lowSince = Long.MIN_VALUE;
            direction = Direction.HOLD;
            desiredNodes = currentNodes;
            reason = "capacity fits the forecast";
        }
        boolean due = s.lastEmitted == Long.MIN_VALUE || now - s.lastEmitted >= emitEveryMs;
        if (!due && desiredNodes == s.lastDesiredNodes && direction == s.lastDirection) {
            return null;
        }
        s.lastEmitted = now;
        s.lastDesiredNodes = desiredNodes;
        s.lastDirection = direction;
        if (direction == Direction.DOWN) {
            s.scaledDownTo = desiredNodes;
        } else if (direction == Direction.UP) {
            s.scaledDownTo = 0;
        }
        return new ScalingSignal("sig-" + region + "-" + COMPACT.format(Instant.ofEpochMilli(now)), region,
                Timestamps.format(now), round(f.currentDemand()), round(f.peak()), f.horizonSeconds(),
                round(f.healthyCapacity()), round(f.safeCapacity()), round(perNodeCapacity), currentNodes,
                round(desiredNodes * perNodeCapacity), desiredNodes, neededBy, direction, reason,
                direction == Direction.UP ? causeAlertId : null, null);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
