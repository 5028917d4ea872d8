package io.stampede.event;

/** The kinds of record on the telemetry stream. */
public enum TelemetryType {
    BOOT,
    UPDATE_INSTALLED,
    SHUTDOWN,
    CLIENT_START,
    CLIENT_CRASH,
    NODE_HEALTH;

    /** True for device lifecycle records (everything but auth-node health). */
    public boolean isDevice() {
        return this != NODE_HEALTH;
    }
}
