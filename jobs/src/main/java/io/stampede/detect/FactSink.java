package io.stampede.detect;

import io.stampede.admission.AttemptClass;
import io.stampede.event.Outcome;
import io.stampede.event.RebootReason;

/** Where the per-device stage reports what it derived from each event, by region and event time. */
public interface FactSink {

    void login(String region, long time, AttemptClass cls, Outcome outcome, int latencyMs);

    /**
     * A device booted (counted once per device and bucket), with the attributes it booted with;
     * {@code sampled}: the device is in the boot-pairing sample ({@link PairingSample}).
     */
    void boot(String region, long time, String platform, String osBuild, String clientVersion, String updateId,
            RebootReason reason, boolean armed, boolean sampled);

    /** A sampled device's first automatic login came {@code delayMs} after its boot. */
    void autoLoginAfterBoot(String region, long time, long delayMs);

    /** The armed pool of {@code updateId} grew (+1) or shrank (-1). */
    void armed(String region, long time, String updateId, int delta);

    /** A device armed by {@code updateId} will be rebooted by force from {@code rebootBy} (epoch ms). */
    default void rebootBy(String region, long time, String updateId, long rebootBy) {}

    /** A device joined (+1) or left (-1) the census with this attribute value. */
    void census(String region, long time, String attribute, String value, int delta);

    void node(String region, long time, NodeSample sample);

    void duplicate(String region, long time);
}
