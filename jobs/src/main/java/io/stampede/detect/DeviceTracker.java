package io.stampede.detect;

import io.stampede.event.Trigger;
import java.util.Objects;

/**
 * The per-device step of the detection: counts each device's boot once per bucket, pairs a boot
 * with the automatic login that follows it, keeps the armed pool and the census of device
 * attributes, and reports all of it to a {@link FactSink}. Pure logic: the Flink operator keeps one
 * {@link DeviceState} per key and calls in. Duplicates were dropped before (in the accept stage,
 * against the ids its instance has seen recently), so every event given here counts.
 *
 * <p>What it derives must not depend on the order in which a device's events arrive (two topics
 * are never read in lockstep), so that a replay gives what the live run gave. The events it is
 * given (telemetry, and the first automatic logins of a sample of devices, which are paired with
 * boots: {@link #needsOrder})
 * must come in event-time order: the operator holds them until the watermark passes and applies
 * them sorted. Device attributes in the census come from telemetry.
 */
public final class DeviceTracker {

    private final long maxBootToLoginMs;
    private final long bucketMs;
    private final PairingSample sample;

    /** Pairs every device's boots with its logins. */
    public DeviceTracker(long maxBootToLoginMs, long bucketMs) {
        this(maxBootToLoginMs, bucketMs, PairingSample.everyDevice());
    }

    /**
     * @param sample the devices whose first automatic logins are paired with their boots; the others'
     *     logins are counted without pairing, and their boots are not among the sampled ones
     */
    public DeviceTracker(long maxBootToLoginMs, long bucketMs, PairingSample sample) {
        this.maxBootToLoginMs = maxBootToLoginMs;
        this.bucketMs = bucketMs;
        this.sample = sample;
    }

    /** Applies one observation to the device's state, counted at its own event time. */
    public void observe(DeviceState s, Observation o, FactSink sink) {
        apply(s, o, o.eventTime(), sink);
    }

    /**
     * Applies an event the watermark has already passed (late, but within the allowed lateness).
     * It updates its device as far as its own time allows: a late update arms the device unless
     * it has booted since, a late boot disarms it unless it installed an update since. What it
     * counts is counted in the open bucket nearest its time: its own bucket while that is open,
     * otherwise the next bucket to close, so no closed bucket ever changes.
     */
    public void observeLate(DeviceState s, Observation o, long watermark, FactSink sink) {
        apply(s, o, Math.max(o.eventTime(), watermark + 1), sink);
    }

    /**
     * @param t the event time the observation is counted at: its own, or for a late one the
     *     earliest time of a bucket that is still open
     */
    private void apply(DeviceState s, Observation o, long t, FactSink sink) {
        long happened = o.eventTime();
        s.lastSeen = Math.max(s.lastSeen, happened);
        switch (o.kind()) {
            case LOGIN -> login(s, o, t, sink);
            case BOOT -> boot(s, o, t, sink);
            case UPDATE_INSTALLED -> updateInstalled(s, o, t, sink);
            case NODE_HEALTH -> sink.node(o.region(), t, new NodeSample(o.key(), t, o.capacityPerSec(),
                    o.inflight(), o.cpu(), o.p99LatencyMs(), o.errorRate(), o.healthy()));
            default -> census(s, o.region(), t, o.platform(), o.osBuild(), o.clientVersion(), null, sink);
        }
    }

    /**
     * True for events that must be applied in event-time order (see the class comment): telemetry,
     * and the first automatic logins of the devices in {@code sample}.
     */
    public static boolean needsOrder(Observation o, PairingSample sample) {
        return o.kind() != ObservationKind.LOGIN
                || (o.trigger() == Trigger.AUTO && o.attempt() == 1 && sample.contains(o.key()));
    }

    /**
     * Forgets a device that has not been heard from: it leaves the census and the armed pool.
     *
     * @param time the event time to count the change at (a bucket that is still open)
     */
    public void forget(DeviceState s, long time, FactSink sink) {
        if (s.region == null) {
            return;
        }
        if (s.armedUpdate != null) {
            sink.armed(s.region, time, s.armedUpdate, -1);
        }
        leave(s, time, sink);
    }

    private void login(DeviceState s, Observation o, long t, FactSink sink) {
        long happened = o.eventTime();
        join(s, o.region(), t, sink);
        sink.login(o.region(), t, o.attemptClass(), o.outcome(), o.latencyMs());
        if (o.trigger() == Trigger.AUTO && o.attempt() == 1 && !s.bootPaired && s.lastBoot != Long.MIN_VALUE
                && happened >= s.lastBoot && happened - s.lastBoot <= maxBootToLoginMs
                && sample.contains(o.key())) {
            s.bootPaired = true;
            sink.autoLoginAfterBoot(o.region(), t, happened - s.lastBoot);
        }
    }

    private void boot(DeviceState s, Observation o, long t, FactSink sink) {
        long happened = o.eventTime();
        boolean sameBucket = s.lastBoot != Long.MIN_VALUE && bucket(s.lastBoot) == bucket(happened);
        census(s, o.region(), t, o.platform(), o.osBuild(), o.clientVersion(), o.updateId(), sink);
        // A late boot from before the device's latest install does not consume that install.
        boolean armed = s.armedUpdate != null && s.armedSince <= happened;
        if (armed) {
            sink.armed(o.region(), t, s.armedUpdate, -1);
            s.armedUpdate = null;
            s.armedSince = Long.MIN_VALUE;
        }
        if (!sameBucket) {
            sink.boot(o.region(), t, s.platform, s.osBuild, s.clientVersion, s.updateId, o.rebootReason(), armed,
                    sample.contains(o.key()));
        }
        if (s.lastBoot == Long.MIN_VALUE || happened >= s.lastBoot) {
            s.lastBoot = happened;
            s.bootPaired = false;
        }
    }

    private void updateInstalled(DeviceState s, Observation o, long t, FactSink sink) {
        census(s, o.region(), t, o.platform(), o.osBuild(), o.clientVersion(), o.updateId(), sink);
        // A late install from before the device's last boot was consumed by that boot.
        boolean rebootedSince = s.lastBoot != Long.MIN_VALUE && o.eventTime() < s.lastBoot;
        if (o.rebootRequired() && !o.updateId().equals(s.armedUpdate) && !rebootedSince) {
            if (s.armedUpdate != null) {
                sink.armed(o.region(), t, s.armedUpdate, -1);
            }
            s.armedUpdate = o.updateId();
            s.armedSince = o.eventTime();
            sink.armed(o.region(), t, s.armedUpdate, +1);
        }
        if (o.rebootRequired() && o.rebootBy() >= 0 && o.updateId().equals(s.armedUpdate)) {
            sink.rebootBy(o.region(), t, o.updateId(), o.rebootBy());
        }
    }

    /**
     * Makes the device known in its region from its earliest event time. A device first seen through
     * a later event is moved back when an earlier one arrives, so what it counts does not depend on
     * arrival order.
     */
    private static void join(DeviceState s, String region, long t, FactSink sink) {
        if (s.region == null) {
            s.region = region;
            s.firstSeen = t;
        } else if (t < s.firstSeen) {
            s.firstSeen = t;
        }
    }

    /** Updates the device's census entry; attributes the event does not carry keep their known value. */
    private static void census(DeviceState s, String region, long t, String platform, String osBuild,
            String clientVersion, String updateId, FactSink sink) {
        String p = platform != null ? platform : s.platform;
        String b = osBuild != null ? osBuild : s.osBuild;
        String c = clientVersion != null ? clientVersion : s.clientVersion;
        String u = updateId != null ? updateId : s.updateId;
        if (s.region == null || t < s.firstSeen) {
            join(s, region, t, sink);
        } else if (!s.region.equals(region)) {
            leave(s, t, sink);
            if (s.armedUpdate != null) {
                sink.armed(s.region, t, s.armedUpdate, -1);
                sink.armed(region, t, s.armedUpdate, +1);
            }
            s.platform = null;
            s.osBuild = null;
            s.clientVersion = null;
            s.updateId = null;
            s.region = region;
            s.firstSeen = t;
        }
        s.platform = change(s.region, t, Attributes.PLATFORM, s.platform, p, sink);
        s.osBuild = change(s.region, t, Attributes.OS_BUILD, s.osBuild, b, sink);
        s.clientVersion = change(s.region, t, Attributes.CLIENT_VERSION, s.clientVersion, c, sink);
        s.updateId = change(s.region, t, Attributes.UPDATE_ID, s.updateId, u, sink);
    }

    private static String change(String region, long t, String attribute, String old, String now, FactSink sink) {
        if (!Objects.equals(old, now)) {
            if (old != null) {
                sink.census(region, t, attribute, old, -1);
            }
            if (now != null) {
                sink.census(region, t, attribute, now, +1);
            }
        }
        return now;
    }

    private static void leave(DeviceState s, long t, FactSink sink) {
        change(s.region, t, Attributes.PLATFORM, s.platform, null, sink);
        change(s.region, t, Attributes.OS_BUILD, s.osBuild, null, sink);
        change(s.region, t, Attributes.CLIENT_VERSION, s.clientVersion, null, sink);
        change(s.region, t, Attributes.UPDATE_ID, s.updateId, null, sink);
    }

    private long bucket(long t) {
        return t - Math.floorMod(t, bucketMs);
    }
}
