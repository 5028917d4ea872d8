package io.stampede.sim;

import io.stampede.admission.AttemptClass;
import io.stampede.event.RebootReason;

/**
 * What a count scenario does to a region's normal traffic: it multiplies first login attempts,
 * boots devices of its own and installs updates that arm them. Times are epoch milliseconds;
 * shares are of the region's devices.
 */
interface Disturbance {

    /** Normal traffic only. */
    Disturbance NONE = new Disturbance() {};

    /**
     * The boots a disturbance causes.
     *
     * @param updateId the update that armed the booting devices, or null when they were not armed
     * @param autoLoginShare the share of booted devices whose client then logs in by itself
     */
    record Boots(RebootReason reason, String updateId, double autoLoginShare) {}

    /** Factor on the normal first attempts of {@code cls} at {@code t}; 1 leaves them as they are. */
    default double loginFactor(AttemptClass cls, long t) {
        return 1;
    }

    /** Expected share of the region it boots in {@code [from, to)}. */
    default double bootShare(long from, long to) {
        return 0;
    }

    /** Expected share of the region installing its update (which needs a reboot) in {@code [from, to)}. */
    default double installShare(long from, long to) {
        return 0;
    }

    /** What its boots are; only asked when it boots devices. */
    default Boots boots() {
        throw new IllegalStateException(getClass().getSimpleName() + " boots no devices");
    }
}
