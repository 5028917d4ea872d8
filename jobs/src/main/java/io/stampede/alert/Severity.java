package io.stampede.alert;

public enum Severity {
    INFO,
    WARNING,
    CRITICAL
}
