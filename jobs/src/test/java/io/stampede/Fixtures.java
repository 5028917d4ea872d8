package io.stampede;

import io.stampede.config.ConfigLoader;
import io.stampede.config.StampedeConfig;
import io.stampede.event.EventJson;
import io.stampede.event.EventJson.TimeForm;
import io.stampede.event.InputKind;
import io.stampede.event.LoginEvent;
import io.stampede.event.Outcome;
import io.stampede.event.RebootReason;
import io.stampede.event.TelemetryEvent;
import io.stampede.event.TelemetryType;
import io.stampede.event.Trigger;
import io.stampede.io.RawRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Shared test fixtures: times, configurations and hand-made input records. */
public final class Fixtures {

    /** Midnight UTC of a test day. */
    public static final long T0 = Instant.parse("2026-11-24T00:00:00Z").toEpochMilli();
    public static final long SECOND = 1_000;
    public static final long MINUTE = 60_000;
    public static final long HOUR = 3_600_000;

    private Fixtures() {}

    public static StampedeConfig config(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides));
    }

    /** A valid login event as JSON, with the given fields. */
    public static String login(String eventId, long time, String device, String region, String trigger, int attempt,
            String outcome) {
        return EventJson.login(new LoginEvent(eventId, time, device, "acct-" + device, region, null,
                Trigger.valueOf(trigger), attempt, Outcome.valueOf(outcome), -1, null, null, null), TimeForm.EPOCH_MILLIS);
    }

    public static String boot(String eventId, long time, String device, String region, String reason, String updateId) {
        return EventJson.telemetry(new TelemetryEvent(eventId, time, TelemetryType.BOOT, device, region, "windows", "b1",
                "7.5", RebootReason.valueOf(reason), updateId, null, null, null, -1, -1, -1, -1, -1, null),
                TimeForm.EPOCH_MILLIS);
    }

    public static String nodeHealth(String eventId, long time, String region, String node, double capacity,
            boolean healthy) {
        return EventJson.telemetry(new TelemetryEvent(eventId, time, TelemetryType.NODE_HEALTH, null, region, null, null,
                null, null, null, null, region + "-auth", node, capacity, 3, 0.4, 120, 0.0, healthy),
                TimeForm.EPOCH_MILLIS);
    }

    public static RawRecord raw(InputKind kind, String json) {
        return new RawRecord(kind, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Line by line, so that a difference shows as the first line that differs. */
    public static void assertSameLines(List<String> actual, List<String> expected) {
        assertSameLines(actual, expected, () -> "");
    }

    /** As {@link #assertSameLines(List, List)}; {@code context} is added to the message of a mismatch. */
    public static void assertSameLines(List<String> actual, List<String> expected,
            java.util.function.Supplier<String> context) {
        for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
            int line = i + 1;
            org.assertj.core.api.Assertions.assertThat(actual.get(i))
                    .as(() -> "line " + line + " of " + expected.size() + context.get())
                    .isEqualTo(expected.get(i));
        }
        org.assertj.core.api.Assertions.assertThat(actual).as(context).hasSameSizeAs(expected);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** What {@code run} printed on System.out (for commands that print there, such as {@code config}). */
    public static String stdout(Runnable run) {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
