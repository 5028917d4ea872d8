package io.stampede.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.event.EventJson.TimeForm;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What {@link EventJson} writes is what the contract describes: it validates against the JSON
 * Schema files and parses back to the record it was written from, strings that need escaping too.
 */
class EventJsonTest {

    private static final String[] AWKWARD = {"plain", "quote\"d", "back\\slash", "new\nline", "tab\tcr\r",
        "bell\u0007nul\u0000", "\u001f", "é ü 日本 \uD83D\uDE80", "\\\"", "\u007f\u2028"};
    private final ContractValidator validator = ContractValidator.shared();
    private final EventParser parser = new EventParser(1 << 20, null);

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        StringBuilder out = new StringBuilder();
        EventJson.quoted(out, "a\"b\\c\nd\te\r\b\f\u0001\u001f ü");
        assertThat(out).hasToString("\"a\\\"b\\\\c\\nd\\te\\r\\b\\f\\u0001\\u001f ü\"");
    }

    @Test
    void writesFieldsInTheContractOrderLeavingAbsentOnesOut() {
        LoginEvent login = new LoginEvent("e1", 1_764_151_200_120L, "dev-1", "acct-1", "eu-west", null,
                Trigger.AUTO, 1, Outcome.SUCCESS, -1, null, null, null);
        assertThat(EventJson.login(login, TimeForm.RFC3339)).isEqualTo("{\"eventId\":\"e1\","
                + "\"eventTime\":\"2025-11-26T10:00:00.120Z\",\"deviceId\":\"dev-1\",\"accountId\":\"acct-1\","
                + "\"region\":\"eu-west\",\"trigger\":\"AUTO\",\"attempt\":1,\"outcome\":\"SUCCESS\"}");
        TelemetryEvent node = new TelemetryEvent("t1", 1_764_151_200_000L, TelemetryType.NODE_HEALTH, null, "eu-west",
                null, null, null, null, null, null, "eu-west-auth", "eu-west-auth-1", 400.0, 12, 0.0, 87, 0.25, true);
        assertThat(EventJson.telemetry(node, TimeForm.EPOCH_MILLIS)).isEqualTo("{\"eventId\":\"t1\","
                + "\"eventTime\":1764151200000,\"type\":\"NODE_HEALTH\",\"authCluster\":\"eu-west-auth\","
                + "\"authNode\":\"eu-west-auth-1\",\"region\":\"eu-west\",\"capacityPerSec\":400.0,\"inflight\":12,"
                + "\"cpu\":0.0,\"p99LatencyMs\":87,\"errorRate\":0.25,\"healthy\":true}");
    }

    @ParameterizedTest
    @EnumSource(TimeForm.class)
    void writtenLoginsValidateAndParseBackToTheSameEvent(TimeForm time) {
        Random r = new Random(3 + time.ordinal());
        for (int i = 0; i < 500; i++) {
            LoginEvent e = new LoginEvent(pick(r) + i, 1_764_151_200_000L + r.nextInt(1_000_000), pick(r), pick(r),
                    pick(r), r.nextBoolean() ? null : pick(r), Trigger.values()[r.nextInt(3)], 1 + r.nextInt(5),
                    Outcome.values()[r.nextInt(Outcome.values().length)], r.nextBoolean() ? -1 : r.nextInt(9000),
                    r.nextBoolean() ? null : pick(r), r.nextBoolean() ? null : pick(r), r.nextBoolean() ? null : pick(r));
            String json = EventJson.login(e, time);

            assertThat(validator.validate(Contract.LOGIN_EVENT, json)).as(json).isEmpty();
            ParseResult parsed = parser.parse(InputKind.LOGIN, json.getBytes(StandardCharsets.UTF_8));
            assertThat(parsed.isAccepted()).as("%s: %s", json, parsed).isTrue();
            assertThat(parsed.envelope().login()).as(json).usingRecursiveComparison().ignoringFields("accountId")
                    .isEqualTo(e);
        }
    }

    @ParameterizedTest
    @EnumSource(TimeForm.class)
    void writtenTelemetryValidatesAndParsesBackToTheSameEvent(TimeForm time) {
        Random r = new Random(5 + time.ordinal());
        for (int i = 0; i < 500; i++) {
            TelemetryEvent e = r.nextInt(3) == 0 ? node(r, i) : device(r, i);
            String json = EventJson.telemetry(e, time);

            assertThat(validator.validate(Contract.TELEMETRY_EVENT, json)).as(json).isEmpty();
            ParseResult parsed = parser.parse(InputKind.TELEMETRY, json.getBytes(StandardCharsets.UTF_8));
            assertThat(parsed.isAccepted()).as("%s: %s", json, parsed).isTrue();
            assertThat(parsed.envelope().telemetry()).as(json).isEqualTo(e);
        }
    }

    @Test
    void refusesNumbersThatJsonCannotHold() {
        TelemetryEvent e = new TelemetryEvent("t1", 0, TelemetryType.NODE_HEALTH, null, "eu", null, null, null, null,
                null, null, "c", "n", Double.NaN, -1, -1, -1, -1, true);
        assertThatThrownBy(() -> EventJson.telemetry(e, TimeForm.EPOCH_MILLIS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacityPerSec");
    }

    private static TelemetryEvent node(Random r, int i) {
        boolean full = r.nextBoolean();
        return new TelemetryEvent(pick(r) + i, 1_764_151_200_000L + r.nextInt(1_000_000), TelemetryType.NODE_HEALTH,
                null, pick(r), null, null, null, null, null, null, pick(r), pick(r), r.nextInt(500) + (r.nextBoolean() ? 0.5 : 0),
                full ? r.nextInt(100) : -1, full ? r.nextInt(1001) / 1000.0 : -1, full ? r.nextInt(3000) + r.nextInt(2) * 0.25 : -1,
                full ? r.nextInt(1001) / 1000.0 : -1, r.nextBoolean());
    }

    private static TelemetryEvent device(Random r, int i) {
        TelemetryType type = TelemetryType.values()[r.nextInt(TelemetryType.values().length - 1)];
        RebootReason reason = type == TelemetryType.BOOT ? RebootReason.values()[r.nextInt(RebootReason.values().length)]
                : null;
        String updateId = type == TelemetryType.UPDATE_INSTALLED || r.nextBoolean() ? pick(r) : null;
        Boolean rebootRequired = type == TelemetryType.UPDATE_INSTALLED ? Boolean.valueOf(r.nextBoolean()) : null;
        return new TelemetryEvent(pick(r) + i, 1_764_151_200_000L + r.nextInt(1_000_000), type, pick(r), pick(r),
                r.nextBoolean() ? null : pick(r), r.nextBoolean() ? null : pick(r), r.nextBoolean() ? null : pick(r),
                reason, updateId, rebootRequired, null, null, -1, -1, -1, -1, -1, null);
    }

    private static String pick(Random r) {
        return AWKWARD[r.nextInt(AWKWARD.length)];
    }
}
