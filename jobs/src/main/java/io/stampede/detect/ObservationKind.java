package io.stampede.detect;

import io.stampede.event.TelemetryType;

/** What an {@link Observation} records. */
public enum ObservationKind {
    LOGIN,
    BOOT,
    UPDATE_INSTALLED,
    SHUTDOWN,
    CLIENT_START,
    CLIENT_CRASH,
    NODE_HEALTH;

    static ObservationKind of(TelemetryType type) {
        return switch (type) {
            case BOOT -> BOOT;
            case UPDATE_INSTALLED -> UPDATE_INSTALLED;
            case SHUTDOWN -> SHUTDOWN;
            case CLIENT_START -> CLIENT_START;
            case CLIENT_CRASH -> CLIENT_CRASH;
            case NODE_HEALTH -> NODE_HEALTH;
        };
    }
}
