package io.stampede.event;

import static io.stampede.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTest {

    private final EventParser parser = new EventParser(4096, ContractValidator.shared());

    private ParseResult login(String json) {
        return parser.parse(InputKind.LOGIN, utf8(json));
    }

    private ParseResult telemetry(String json) {
        return parser.parse(InputKind.TELEMETRY, utf8(json));
    }

    private static final String LOGIN = "{\"eventId\":\"e1\",\"eventTime\":\"2026-11-26T10:00:00.123Z\","
            + "\"deviceId\":\"d1\",\"accountId\":\"a1\",\"region\":\"eu-west\",\"trigger\":\"AUTO\",\"attempt\":2,"
            + "\"outcome\":\"TIMEOUT\",\"latencyMs\":5000,\"platform\":\"windows\"}";

    @Nested
    class Logins {
        @Test
        void acceptsRfc3339AndEpochMillisForTheSameInstant() {
            ParseResult text = login(LOGIN);
            ParseResult millis = login(LOGIN.replace("\"2026-11-26T10:00:00.123Z\"", "1795687200123"));
            assertThat(text.isAccepted()).isTrue();
            assertThat(millis.isAccepted()).isTrue();
            assertThat(text.envelope().login().eventTime()).isEqualTo(1795687200123L)
                    .isEqualTo(millis.envelope().login().eventTime());
        }

        @Test
        void readsEveryField() {
            LoginEvent e = login(LOGIN).envelope().login();
            assertThat(e.eventId()).isEqualTo("e1");
            assertThat(e.deviceId()).isEqualTo("d1");
            assertThat(e.region()).isEqualTo("eu-west");
            assertThat(e.trigger()).isEqualTo(Trigger.AUTO);
            assertThat(e.attempt()).isEqualTo(2);
            assertThat(e.isRetry()).isTrue();
            assertThat(e.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(e.latencyMs()).isEqualTo(5000);
            assertThat(e.platform()).isEqualTo("windows");
            assertThat(e.osBuild()).isNull();
        }

        @Test
        void ignoresUnknownFieldsOfAnyShape() {
            ParseResult r = login(LOGIN.replace("{\"eventId\"",
                    "{\"future\":{\"nested\":[1,2,{\"x\":null}]},\"flag\":true,\"eventId\""));
            assertThat(r.isAccepted()).isTrue();
        }

        @Test
        void namesTheAllowedValuesOfAnUnknownTrigger() {
            ParseResult r = login(LOGIN.replace("\"AUTO\"", "\"SOMETIMES\""));
            assertThat(r.isAccepted()).isFalse();
            assertThat(r.category()).isEqualTo(DeadLetterCategory.CONTRACT);
            assertThat(r.reason()).isEqualTo("trigger: \"SOMETIMES\" is not one of AUTO, INTERACTIVE, TOKEN_REFRESH");
        }

        /** Enum values are matched on the parser's decoded characters: escapes count, near misses do not. */
        @Test
        void matchesEnumValuesExactlyAfterTheirEscapes() {
            assertThat(login(LOGIN.replace("\"AUTO\"", "\"AU\\u0054O\"")).envelope().login().trigger())
                    .isEqualTo(Trigger.AUTO);
            for (String nearMiss : new String[] {"AUT", "AUTOS", "auto", "AUTO "}) {
                ParseResult r = login(LOGIN.replace("\"AUTO\"", "\"" + nearMiss + "\""));
                assertThat(r.category()).as(nearMiss).isEqualTo(DeadLetterCategory.CONTRACT);
                assertThat(r.reason()).startsWith("trigger: \"" + nearMiss + "\" is not one of");
            }
        }

        @Test
        void saysWhichRequiredFieldIsMissing() {
            ParseResult r = login(LOGIN.replace("\"deviceId\":\"d1\",", ""));
            assertThat(r.category()).isEqualTo(DeadLetterCategory.CONTRACT);
            assertThat(r.reason()).contains("deviceId").contains("missing");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "\"attempt\":2|\"attempt\":0|attempt",
            "\"attempt\":2|\"attempt\":\"2\"|attempt",
            "\"attempt\":2|\"attempt\":1.5|attempt",
            "\"latencyMs\":5000|\"latencyMs\":-1|latencyMs",
            "\"region\":\"eu-west\"|\"region\":\"\"|region",
            "\"region\":\"eu-west\"|\"region\":7|region",
            "\"outcome\":\"TIMEOUT\"|\"outcome\":null|outcome",
            "\"2026-11-26T10:00:00.123Z\"|\"yesterday\"|eventTime",
            "\"2026-11-26T10:00:00.123Z\"|\"2026-02-30T10:00:00Z\"|eventTime",
            "\"2026-11-26T10:00:00.123Z\"|\"2026-11-26 10:00:00Z\"|eventTime",
            "\"2026-11-26T10:00:00.123Z\"|-5|eventTime",
        })
        void refusesWrongValuesNamingTheField(String from, String to, String field) {
            ParseResult r = login(LOGIN.replace(from, to));
            assertThat(r.isAccepted()).as(to).isFalse();
            assertThat(r.category()).isEqualTo(DeadLetterCategory.CONTRACT);
            assertThat(r.reason()).startsWith(field);
        }

        @Test
        void acceptsAnIntegralNumberWrittenWithADecimalPoint() {
            assertThat(login(LOGIN.replace("\"attempt\":2", "\"attempt\":2.0")).isAccepted()).isTrue();
        }

        @Test
        void acceptsNumericTimeZoneOffsets() {
            ParseResult r = login(LOGIN.replace("2026-11-26T10:00:00.123Z", "2026-11-26T11:00:00.123+01:00"));
            assertThat(r.envelope().login().eventTime()).isEqualTo(1795687200123L);
        }
    }

    @Nested
    class Telemetry {
        @Test
        void readsABoot() {
            TelemetryEvent e = telemetry("{\"eventId\":\"t1\",\"eventTime\":1764151200000,\"type\":\"BOOT\","
                    + "\"deviceId\":\"d1\",\"region\":\"eu-west\",\"rebootReason\":\"UPDATE\",\"updateId\":\"KB1\"}")
                    .envelope().telemetry();
            assertThat(e.type()).isEqualTo(TelemetryType.BOOT);
            assertThat(e.rebootReason()).isEqualTo(RebootReason.UPDATE);
            assertThat(e.updateId()).isEqualTo("KB1");
        }

        @Test
        void requiresTheFieldsOfEachType() {
            assertThat(telemetry("{\"eventId\":\"t1\",\"eventTime\":1,\"type\":\"BOOT\",\"deviceId\":\"d\","
                    + "\"region\":\"r\"}").reason()).contains("rebootReason");
            assertThat(telemetry("{\"eventId\":\"t1\",\"eventTime\":1,\"type\":\"UPDATE_INSTALLED\",\"deviceId\":\"d\","
                    + "\"region\":\"r\",\"updateId\":\"u\"}").reason()).contains("rebootRequired");
            assertThat(telemetry("{\"eventId\":\"t1\",\"eventTime\":1,\"type\":\"NODE_HEALTH\",\"authCluster\":\"c\","
                    + "\"authNode\":\"n\",\"region\":\"r\",\"capacityPerSec\":10}").reason()).contains("healthy");
            assertThat(telemetry("{\"eventId\":\"t1\",\"eventTime\":1,\"type\":\"SHUTDOWN\",\"region\":\"r\"}").reason())
                    .contains("deviceId");
        }

        @Test
        void readsNodeHealth() {
            TelemetryEvent e = telemetry("{\"eventId\":\"t1\",\"eventTime\":1,\"type\":\"NODE_HEALTH\",\"authCluster\":\"c\","
                    + "\"authNode\":\"n1\",\"region\":\"r\",\"capacityPerSec\":40,\"cpu\":0.5,\"errorRate\":0.01,"
                    + "\"p99LatencyMs\":120.5,\"inflight\":3,\"healthy\":true}").envelope().telemetry();
            assertThat(e.nodeKey()).isEqualTo("c/n1");
            assertThat(e.capacityPerSec()).isEqualTo(40);
            assertThat(e.p99LatencyMs()).isEqualTo(120.5);
            assertThat(e.healthy()).isTrue();
        }

        @Test
        void refusesAShareAboveOne() {
            ParseResult r = telemetry("{\"eventId\":\"t1\",\"eventTime\":1,\"type\":\"NODE_HEALTH\",\"authCluster\":\"c\","
                    + "\"authNode\":\"n1\",\"region\":\"r\",\"capacityPerSec\":40,\"cpu\":1.5,\"healthy\":true}");
            assertThat(r.reason()).startsWith("cpu");
        }

        @Test
        void namesTheAllowedTypes() {
            ParseResult r = telemetry("{\"eventId\":\"t1\",\"eventTime\":1,\"type\":\"REBOOT\",\"deviceId\":\"d\"}");
            assertThat(r.reason()).contains("type: \"REBOOT\" is not one of BOOT, UPDATE_INSTALLED, SHUTDOWN, "
                    + "CLIENT_START, CLIENT_CRASH, NODE_HEALTH");
        }
    }

    @Nested
    class BadInput {
        @Test
        void truncatedJsonIsMalformed() {
            ParseResult r = login(LOGIN.substring(0, 40));
            assertThat(r.category()).isEqualTo(DeadLetterCategory.MALFORMED_JSON);
            assertThat(r.reason()).startsWith("malformed JSON");
        }

        @Test
        void anArrayIsNotARecord() {
            assertThat(login("[1,2,3]").reason()).isEqualTo("expected a JSON object, got an array");
        }

        @Test
        void contentAfterTheObjectIsRefused() {
            assertThat(login(LOGIN + " {}").category()).isEqualTo(DeadLetterCategory.MALFORMED_JSON);
        }

        @Test
        void binaryIsNotText() {
            ParseResult r = parser.parse(InputKind.LOGIN, new byte[] {(byte) 0xC3, 0x28, 0x00, (byte) 0xFF});
            assertThat(r.category()).isEqualTo(DeadLetterCategory.NOT_TEXT);
        }

        @Test
        void aRecordOverTheLimitIsTooLarge() {
            byte[] huge = new byte[5000];
            Arrays.fill(huge, (byte) 'x');
            ParseResult r = parser.parse(InputKind.LOGIN, huge);
            assertThat(r.category()).isEqualTo(DeadLetterCategory.TOO_LARGE);
            assertThat(r.reason()).isEqualTo("record of 5000 bytes exceeds the limit of 4096 bytes");
        }

        @Test
        void blankIsEmpty() {
            assertThat(login("  \r\n").category()).isEqualTo(DeadLetterCategory.EMPTY);
        }

        @Test
        void deeplyNestedInputDoesNotBlowTheStack() {
            String deep = "{\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
            ParseResult r = new EventParser(1 << 20, null).parse(InputKind.LOGIN, utf8(deep));
            assertThat(r.isAccepted()).isFalse();
        }
    }

    @Test
    void deadLetterKeepsTheOriginalTextOrItsBytes() {
        byte[] text = utf8("{\"eventId\":1}");
        DeadLetter d = DeadLetters.refused(InputKind.LOGIN, "topic", 2, 42L, null, text, 0, text.length,
                parser.parse(InputKind.LOGIN, text), 1024);
        assertThat(d.original()).isEqualTo("{\"eventId\":1}");
        assertThat(d.partition()).isEqualTo(2);
        assertThat(d.offset()).isEqualTo(42L);
        byte[] binary = {(byte) 0xFF, 0x00, 0x01};
        DeadLetter b = DeadLetters.refused(InputKind.LOGIN, "topic", 0, 1L, null, binary, 0, 3,
                parser.parse(InputKind.LOGIN, binary), 1024);
        assertThat(b.original()).isNull();
        assertThat(b.originalBase64()).isEqualTo("/wAB");
        DeadLetter cut = DeadLetters.refused(InputKind.LOGIN, "f", null, null, 7L, text, 0, text.length,
                parser.parse(InputKind.LOGIN, text), 4);
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.original()).isEqualTo("{\"ev");
        assertThat(cut.originalSize()).isEqualTo(text.length);
    }
}
