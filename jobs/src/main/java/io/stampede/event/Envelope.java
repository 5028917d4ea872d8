package io.stampede.event;

/**
 * What the parse step makes of one input record: exactly one of a login event, a telemetry event
 * or a dead letter. It is the record type every source emits, so that every mode (demo, backtest,
 * run) feeds the topology the same way.
 */
public record Envelope(LoginEvent login, TelemetryEvent telemetry, DeadLetter deadLetter) {

    public static Envelope of(LoginEvent login) {
        return new Envelope(login, null, null);
    }

    public static Envelope of(TelemetryEvent telemetry) {
        return new Envelope(null, telemetry, null);
    }

    public static Envelope of(DeadLetter deadLetter) {
        return new Envelope(null, null, deadLetter);
    }

    public boolean isDeadLetter() {
        return deadLetter != null;
    }

    /** Event time in epoch milliseconds, or {@link Long#MIN_VALUE} for dead letters. */
    public long eventTime() {
        if (login != null) {
            return login.eventTime();
        }
        if (telemetry != null) {
            return telemetry.eventTime();
        }
        return Long.MIN_VALUE;
    }
}
