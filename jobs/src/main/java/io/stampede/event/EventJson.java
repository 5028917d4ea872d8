package io.stampede.event;

import java.time.Instant;

/**
 * Writes input events as the JSON the contract ({@code login-event.schema.json},
 * {@code telemetry-event.schema.json}) describes: the one writer of input records, for the
 * simulator, the test fixtures and the late-event dead letter.
 *
 * <p>Fields come in one fixed order; absent ones ({@code null}, or -1 for numbers, as the records
 * mark them) are left out. Strings are escaped as JSON requires. Written by hand into a reused
 * buffer because the simulator writes millions of records: no tree, no reflection.
 */
public final class EventJson {

    /** How {@code eventTime} is written; the contract accepts both. */
    public enum TimeForm {
        /** An RFC 3339 UTC string, e.g. {@code "2026-11-26T10:00:00.123Z"}. */
        RFC3339,
        /** Integer epoch milliseconds. */
        EPOCH_MILLIS
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private EventJson() {}

    public static String login(LoginEvent e, TimeForm time) {
        StringBuilder out = new StringBuilder(320);
        login(out, e, time);
        return out.toString();
    }

    public static String telemetry(TelemetryEvent e, TimeForm time) {
        StringBuilder out = new StringBuilder(320);
        telemetry(out, e, time);
        return out.toString();
    }

    /** Appends {@code e} to {@code out}. */
    public static void login(StringBuilder out, LoginEvent e, TimeForm time) {
        out.append('{');
        head(out, e.eventId(), e.eventTime(), time);
        string(out, "deviceId", e.deviceId());
        string(out, "accountId", e.accountId());
        string(out, "region", e.region());
        string(out, "authCluster", e.authCluster());
        string(out, "trigger", e.trigger() == null ? null : e.trigger().name());
        name(out, "attempt").append(e.attempt());
        string(out, "outcome", e.outcome() == null ? null : e.outcome().name());
        if (e.latencyMs() >= 0) {
            name(out, "latencyMs").append(e.latencyMs());
        }
        device(out, e.platform(), e.osBuild(), e.clientVersion());
        out.append('}');
    }

    /** Appends {@code e} to {@code out}. */
    public static void telemetry(StringBuilder out, TelemetryEvent e, TimeForm time) {
        out.append('{');
        head(out, e.eventId(), e.eventTime(), time);
        string(out, "type", e.type() == null ? null : e.type().name());
        string(out, "authCluster", e.authCluster());
        string(out, "authNode", e.authNode());
        string(out, "deviceId", e.deviceId());
        string(out, "region", e.region());
        device(out, e.platform(), e.osBuild(), e.clientVersion());
        string(out, "rebootReason", e.rebootReason() == null ? null : e.rebootReason().name());
        string(out, "updateId", e.updateId());
        bool(out, "rebootRequired", e.rebootRequired());
        if (e.rebootBy() >= 0) {
            string(out, "rebootBy", Timestamps.format(e.rebootBy()));
        }
        number(out, "capacityPerSec", e.capacityPerSec());
        if (e.inflight() >= 0) {
            name(out, "inflight").append(e.inflight());
        }
        number(out, "cpu", e.cpu());
        // Whole milliseconds are written as an integer, as latencies are.
        if (e.p99LatencyMs() >= 0 && e.p99LatencyMs() == (long) e.p99LatencyMs()) {
            name(out, "p99LatencyMs").append((long) e.p99LatencyMs());
        } else {
            number(out, "p99LatencyMs", e.p99LatencyMs());
        }
        number(out, "errorRate", e.errorRate());
        bool(out, "healthy", e.healthy());
        out.append('}');
    }

    /** Appends {@code s} as a JSON string: quotes, backslashes and control characters escaped. */
    public static StringBuilder quoted(StringBuilder out, String s) {
        out.append('"');
        int n = s.length();
        int first = 0;
        while (first < n && plain(s.charAt(first))) {
            first++;
        }
        if (first == n) {
            return out.append(s).append('"');
        }
        int from = 0;
        for (int i = first; i < n; i++) {
            char c = s.charAt(i);
            if (plain(c)) {
                continue;
            }
            out.append(s, from, i).append('\\');
            switch (c) {
                case '"', '\\' -> out.append(c);
                case '\n' -> out.append('n');
                case '\r' -> out.append('r');
                case '\t' -> out.append('t');
                case '\b' -> out.append('b');
                case '\f' -> out.append('f');
                default -> out.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
            from = i + 1;
        }
        return out.append(s, from, n).append('"');
    }

    private static boolean plain(char c) {
        return c >= 0x20 && c != '"' && c != '\\';
    }

    private static void head(StringBuilder out, String eventId, long eventTime, TimeForm time) {
        out.append("\"eventId\":");
        if (eventId == null) {
            out.append("null");
        } else {
            quoted(out, eventId);
        }
        out.append(",\"eventTime\":");
        if (time == TimeForm.RFC3339) {
            out.append('"').append(Instant.ofEpochMilli(eventTime)).append('"');
        } else {
            out.append(eventTime);
        }
    }

    private static void device(StringBuilder out, String platform, String osBuild, String clientVersion) {
        string(out, "platform", platform);
        string(out, "osBuild", osBuild);
        string(out, "clientVersion", clientVersion);
    }

    private static StringBuilder name(StringBuilder out, String name) {
        return out.append(",\"").append(name).append("\":");
    }

    private static void string(StringBuilder out, String name, String value) {
        if (value != null) {
            quoted(name(out, name), value);
        }
    }

    private static void bool(StringBuilder out, String name, Boolean value) {
        if (value != null) {
            name(out, name).append(value.booleanValue());
        }
    }

    private static void number(StringBuilder out, String name, double value) {
        if (value < 0) {
            return;
        }
        if (Double.isInfinite(value) || Double.isNaN(value)) {
            throw new IllegalArgumentException(name + " is " + value + ": JSON has no such number");
        }
        name(out, name).append(value);
    }
}
