package io.stampede.event;

/** Why a device booted, as the device reports it. */
public enum RebootReason {
    UPDATE,
    USER,
    CRASH,
    POWER,
    UNKNOWN
}
