package io.stampede.io.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.event.Timestamps;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Keys and event times read from records as they are, and the time shift that leaves the rest alone. */
class ReplayRecordTest {

    private static ReplayRecord of(String json) {
        return ReplayRecord.of(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String key(ReplayRecord r) {
        return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }

    private static String text(ReplayRecord r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aLoginIsKeyedByItsDeviceAndTimedByItsRfc3339Time() {
        ReplayRecord r = of("{\"eventId\":\"e1\",\"eventTime\":\"2026-11-24T08:00:01.250Z\",\"deviceId\":\"dev-7\","
                + "\"nested\":{\"deviceId\":\"not-this\"}}");
        assertThat(key(r)).isEqualTo("dev-7");
        assertThat(r.eventMillis()).isEqualTo(Timestamps.parse("2026-11-24T08:00:01.250Z"));
    }

    @Test
    void telemetryIsKeyedByDeviceAndNodeHealthByItsAuthNodeWhateverTheFieldOrder() {
        assertThat(key(of("{\"deviceId\":\"dev-1\",\"type\":\"BOOT\",\"eventTime\":1795500000000}"))).isEqualTo("dev-1");
        ReplayRecord health = of("{\"authNode\":\"eu-west-auth-2\",\"eventTime\":1795500000999,\"type\":\"NODE_HEALTH\"}");
        assertThat(key(health)).isEqualTo("eu-west-auth-2");
        assertThat(health.eventMillis()).isEqualTo(1_795_500_000_999L);
    }

    @Test
    void aRecordWithoutDeviceOrTimeHasNeither() {
        ReplayRecord r = of("{\"eventId\":\"x\",\"eventTime\":\"yesterday\"}");
        assertThat(r.key()).isNull();
        assertThat(r.hasTime()).isFalse();
        assertThat(of("{\"deviceId\":42,\"eventTime\":[1]}").key()).isNull();
    }

    @Test
    void aBrokenRecordKeepsWhatWasReadBeforeTheDamageAndItsBytes() {
        String cut = "{\"eventId\":\"e9\",\"eventTime\":1795500000000,\"deviceId\":\"dev-9\",\"accountId\":\"ac";
        ReplayRecord r = of(cut);
        assertThat(key(r)).isEqualTo("dev-9");
        assertThat(r.eventMillis()).isEqualTo(1_795_500_000_000L);
        assertThat(text(r)).isEqualTo(cut);
        ReplayRecord binary = ReplayRecord.of(new byte[] {(byte) 0xC3, 0x28, 0x00, (byte) 0xFF});
        assertThat(binary.key()).isNull();
        assertThat(binary.hasTime()).isFalse();
    }

    @Test
    void aShiftRewritesOnlyTheEventTimeInItsOwnForm() {
        ReplayRecord millis = of("{\"eventId\":\"a\", \"eventTime\" : 1795500000000 ,\"deviceId\":\"d\"}").shifted(1_500);
        assertThat(text(millis)).isEqualTo("{\"eventId\":\"a\", \"eventTime\" : 1795500001500 ,\"deviceId\":\"d\"}");
        assertThat(millis.eventMillis()).isEqualTo(1_795_500_001_500L);

        ReplayRecord rfc = of("{\"eventTime\":\"2026-11-24T08:00:00+01:00\",\"deviceId\":\"d\"}").shifted(60_000);
        assertThat(text(rfc)).isEqualTo("{\"eventTime\":\"2026-11-24T07:01:00Z\",\"deviceId\":\"d\"}");
        assertThat(key(rfc)).isEqualTo("d");

        String bad = "{\"eventTime\":\"soon\",\"deviceId\":\"d\"}";
        assertThat(text(of(bad).shifted(60_000))).isEqualTo(bad);
    }
}
