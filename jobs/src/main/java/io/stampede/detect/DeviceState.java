package io.stampede.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * What Stampede remembers of one device: its attributes for the census, its last boot for pairing
 * automatic logins, and whether it is armed (installed an update that needs a reboot and has not
 * rebooted since). It keeps no event ids: duplicates are dropped before the device stage.
 *
 * <p>The per-key state of the device stage. With RocksDB it is serialized on every access, so it
 * keeps to primitives and strings; {@code topology.DeviceStateSerializer} writes it (and must be
 * told of every field added here).
 */
public class DeviceState {

    public long lastSeen = Long.MIN_VALUE;
    /** Earliest event time seen: when the device joined the census. */
    public long firstSeen = Long.MIN_VALUE;
    public String region;
    public String platform;
    public String osBuild;
    public String clientVersion;
    public String updateId;

    public long lastBoot = Long.MIN_VALUE;
    /** True once the last boot was followed by its automatic login (or no boot is pending). */
    public boolean bootPaired = true;

    public String armedUpdate;
    public long armedSince = Long.MIN_VALUE;

    /** Event time of the pending expiry timer, or MIN if none is registered. */
    public long expiryTimer = Long.MIN_VALUE;

    /**
     * Held events from a savepoint of a version that kept them in the device's state: they are applied
     * in event-time order when their bucket closes. Events held now wait beside the state, in the
     * device stage's own map, and this stays empty.
     */
    public List<Observation> waiting = List.of();

    public DeviceState() {}

    /** Holds an event until the watermark closes its bucket (the list is made only when needed). */
    public void hold(Observation o) {
        if (waiting.isEmpty()) {
            waiting = new ArrayList<>(2);
        }
        waiting.add(o);
    }

    /** Lets go of the list once every held event was applied: most devices hold none most of the time. */
    public void released() {
        if (waiting.isEmpty()) {
            waiting = List.of();
        }
    }
}
