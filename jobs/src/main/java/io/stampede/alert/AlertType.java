package io.stampede.alert;

/** What an alert is about. */
public enum AlertType {
    /** Distinct devices booting far above the segment's baseline: the cause of a chain. */
    REBOOT_WAVE,
    /** Login attempts far above the baseline. */
    LOGIN_SURGE,
    /** Retries and failures growing: the tier is feeding on itself. */
    RETRY_STORM,
    /** Auth node health breaks its objective. */
    AUTH_DEGRADED,
    /** Forecast demand will exceed safe capacity within the horizon. */
    CAPACITY_RISK;

    /** The anchor of this type's section in the runbook. */
    public String runbookAnchor() {
        return name().toLowerCase().replace('_', '-');
    }
}
