package io.stampede.alert;

public enum AlertStatus {
    FIRING,
    RESOLVED
}
