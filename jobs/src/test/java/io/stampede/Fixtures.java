package io.stampede;

import io.stampede.config.ConfigLoader;
import io.stampede.config.StampedeConfig;
import io.stampede.event.InputKind;
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
        return "{\"eventId\":\"" + eventId + "\",\"eventTime\":" + time + ",\"deviceId\":\"" + device
                + "\",\"accountId\":\"acct-" + device + "\",\"region\":\"" + region + "\",\"trigger\":\"" + trigger
                + "\",\"attempt\":" + attempt + ",\"outcome\":\"" + outcome + "\"}";
    }

    public static String boot(String eventId, long time, String device, String region, String reason, String updateId) {
        return "{\"eventId\":\"" + eventId + "\",\"eventTime\":" + time + ",\"type\":\"BOOT\",\"deviceId\":\"" + device
                + "\",\"region\":\"" + region + "\",\"platform\":\"windows\",\"osBuild\":\"b1\",\"clientVersion\":\"7.5\","
                + "\"rebootReason\":\"" + reason + "\"" + (updateId == null ? "" : ",\"updateId\":\"" + updateId + "\"")
                + "}";
    }

    public static String nodeHealth(String eventId, long time, String region, String node, double capacity,
            boolean healthy) {
        return "{\"eventId\":\"" + eventId + "\",\"eventTime\":" + time + ",\"type\":\"NODE_HEALTH\",\"authCluster\":\""
                + region + "-auth\",\"authNode\":\"" + node + "\",\"region\":\"" + region + "\",\"capacityPerSec\":"
                + capacity + ",\"inflight\":3,\"cpu\":0.4,\"p99LatencyMs\":120,\"errorRate\":0.0,\"healthy\":" + healthy
                + "}";
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
}
