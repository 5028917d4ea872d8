package io.stampede.event;

import static io.stampede.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.io.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PersonalDataTest {

    static final String MARKER = "MARKER-ACCT-4711";
    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final Pattern TOKEN = Pattern.compile("hmac:[0-9a-f]{16}");

    private final PersonalData hashed = new PersonalData(List.of("accountId"), KEY);
    private final PersonalData redacted = new PersonalData(List.of("accountId"), "");
    private final EventParser parser = new EventParser(4096, ContractValidator.shared());

    /** The dead letter the parse step makes of a login record, protected. */
    private DeadLetter refused(PersonalData personal, byte[] record, int keepBytes) {
        ParseResult result = parser.parse(InputKind.LOGIN, record);
        assertThat(result.isAccepted()).as("refused: %s", new String(record, StandardCharsets.UTF_8)).isFalse();
        return personal.protect(DeadLetters.refused(InputKind.LOGIN, "logins", 0, 7L, null, record, 0, record.length,
                result, keepBytes));
    }

    private DeadLetter refused(String record) {
        return refused(hashed, utf8(record), 65536);
    }

    private static String everything(DeadLetter d) throws Exception {
        String base64 = d.originalBase64() == null ? ""
                : new String(Base64.getDecoder().decode(d.originalBase64()), StandardCharsets.ISO_8859_1);
        return Json.MAPPER.writeValueAsString(d) + base64;
    }

    private static String login(String accountPart) {
        return "{\"eventId\":\"e1\",\"eventTime\":\"2026-11-26T10:00:00Z\",\"deviceId\":\"d1\"," + accountPart
                + ",\"region\":\"eu\",\"trigger\":\"SOMETIMES\",\"attempt\":1,\"outcome\":\"SUCCESS\"}";
    }

    @Nested
    class Values {
        @Test
        void replacesAStringValueWithAKeyedHashThatIsTheSameForTheSameAccount() throws Exception {
            DeadLetter first = refused(login("\"accountId\":\"" + MARKER + "\""));
            DeadLetter again = refused(login("\"accountId\":\"" + MARKER + "\"").replace("e1", "e2"));
            DeadLetter other = refused(login("\"accountId\":\"someone-else\""));

            JsonNode original = Json.MAPPER.readTree(first.original());
            String token = original.get("accountId").asText();
            assertThat(token).matches(TOKEN);
            assertThat(Json.MAPPER.readTree(again.original()).get("accountId").asText()).isEqualTo(token);
            assertThat(Json.MAPPER.readTree(other.original()).get("accountId").asText()).matches(TOKEN)
                    .isNotEqualTo(token);
            assertThat(everything(first)).doesNotContain(MARKER);
            assertThat(original.get("deviceId").asText()).isEqualTo("d1");
            assertThat(first.reason()).isEqualTo("trigger: \"SOMETIMES\" is not one of AUTO, INTERACTIVE, TOKEN_REFRESH");
        }

        @Test
        void redactsWithoutAKey() throws Exception {
            DeadLetter d = refused(redacted, utf8(login("\"accountId\":\"" + MARKER + "\"")), 65536);
            assertThat(Json.MAPPER.readTree(d.original()).get("accountId").asText()).isEqualTo(PersonalData.REDACTED);
            assertThat(everything(d)).doesNotContain(MARKER);
        }

        @Test
        void anotherKeyGivesAnotherToken() throws Exception {
            PersonalData other = new PersonalData(List.of("accountId"), KEY.replace('0', 'z'));
            String record = login("\"accountId\":\"" + MARKER + "\"");
            assertThat(Json.MAPPER.readTree(refused(other, utf8(record), 65536).original()).get("accountId"))
                    .isNotEqualTo(Json.MAPPER.readTree(refused(record).original()).get("accountId"));
        }

        @Test
        void aStringWithEscapedQuotesAndBackslashesIsReplacedWhole() throws Exception {
            DeadLetter d = refused(login("\"accountId\":\"MARKER\\\"-ACCT\\\\\\\"4711\\\\\""));
            assertThat(Json.MAPPER.readTree(d.original()).get("accountId").asText()).matches(TOKEN);
            assertThat(Json.MAPPER.readTree(d.original()).get("region").asText()).isEqualTo("eu");
            assertThat(everything(d)).doesNotContain("MARKER").doesNotContain("ACCT").doesNotContain("4711");
        }

        @Test
        void aValueWrittenWithEscapesGivesTheSameTokenAsWrittenPlainly() throws Exception {
            String plain = Json.MAPPER.readTree(refused(login("\"accountId\":\"" + MARKER + "\"")).original())
                    .get("accountId").asText();
            String escaped = Json.MAPPER.readTree(refused(login("\"accountId\":\"MARKER\\u002dACCT-4711\"")).original())
                    .get("accountId").asText();
            assertThat(escaped).isEqualTo(plain);
        }

        @ParameterizedTest
        @ValueSource(strings = {"47114711", "true", "{\"id\":\"" + MARKER + "\",\"n\":[1,{\"x\":\"}\"}]}",
                "[\"" + MARKER + "\",\"]\"]", "MARKER ACCT 4711"})
        void replacesValuesThatAreNotStrings(String value) throws Exception {
            DeadLetter d = refused("{\"eventId\":\"e1\",\"accountId\":" + value + ",\"region\":\"eu\"}");
            assertThat(d.original()).matches("\\{\"eventId\":\"e1\",\"accountId\":\"hmac:[0-9a-f]{16}\",\"region\":\"eu\"}");
            assertThat(everything(d)).doesNotContain(MARKER).doesNotContain("ACCT").doesNotContain("4711");
        }

        @Test
        void leavesNullAlone() {
            assertThat(refused("{\"accountId\":null,\"region\":\"eu\"}").original())
                    .isEqualTo("{\"accountId\":null,\"region\":\"eu\"}");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"accountId\" : \"%s\"", "\"accountId\"\t:\n\"%s\"", "\"accountId\":  \"%s\"  ",
                "\"account\\u0049d\":\"%s\""})
        void findsTheFieldWrittenWithWhitespaceOrEscapes(String field) throws Exception {
            DeadLetter d = refused(login(String.format(field, MARKER)));
            assertThat(everything(d)).doesNotContain(MARKER).containsPattern(TOKEN);
        }
    }

    @Nested
    class Structure {
        @Test
        void findsTheFieldAtAnyDepth() throws Exception {
            DeadLetter d = refused("{\"eventId\":\"e1\",\"meta\":{\"user\":{\"accountId\":\"" + MARKER + "\"}}}");
            assertThat(Json.MAPPER.readTree(d.original()).at("/meta/user/accountId").asText()).matches(TOKEN);
            assertThat(everything(d)).doesNotContain(MARKER);
        }

        @Test
        void findsTheFieldInJsonHeldInAString() throws Exception {
            DeadLetter d = refused("{\"eventId\":\"e1\",\"payload\":\"{\\\"accountId\\\":\\\"" + MARKER
                    + "\\\",\\\"note\\\":\\\"a \\\\\\\"quoted\\\\\\\" word\\\"}\"}");
            JsonNode payload = Json.MAPPER.readTree(Json.MAPPER.readTree(d.original()).get("payload").asText());
            assertThat(payload.get("accountId").asText()).matches(TOKEN);
            assertThat(payload.get("note").asText()).isEqualTo("a \"quoted\" word");
            assertThat(everything(d)).doesNotContain(MARKER);
        }

        @Test
        void leavesTheFieldNameAloneWhereItIsAValue() throws Exception {
            DeadLetter d = refused("{\"platform\":\"accountId\",\"note\":\"\\\"accountId\\\" is a key\","
                    + "\"accountId\":\"" + MARKER + "\",\"x\":[\"accountId\",\":\"]}");
            JsonNode n = Json.MAPPER.readTree(d.original());
            assertThat(n.get("platform").asText()).isEqualTo("accountId");
            assertThat(n.get("note").asText()).isEqualTo("\"accountId\" is a key");
            assertThat(n.get("x").toString()).isEqualTo("[\"accountId\",\":\"]");
            assertThat(n.get("accountId").asText()).matches(TOKEN);
        }

        @Test
        void replacesEveryOccurrenceOfTheField() throws Exception {
            DeadLetter d = refused("{\"accountId\":\"" + MARKER + "\",\"accountId\":\"second-" + MARKER + "\"}");
            assertThat(everything(d)).doesNotContain(MARKER);
            assertThat(TOKEN.matcher(d.original()).results().count()).isEqualTo(2);
        }

        @Test
        void aStrayQuoteEarlierInBrokenJsonDoesNotHideTheField() throws Exception {
            DeadLetter d = refused("{\"eventId\":\"e1\",\"note\":\"unclosed, \"accountId\":\"" + MARKER + "\"}");
            assertThat(d.category()).isEqualTo(DeadLetterCategory.MALFORMED_JSON);
            assertThat(everything(d)).doesNotContain(MARKER);
        }

        @Test
        void otherConfiguredFieldsAreReplacedToo() throws Exception {
            PersonalData more = new PersonalData(List.of("accountId", "email"), KEY);
            DeadLetter d = refused(more, utf8(login("\"accountId\":\"a1\",\"email\":\"" + MARKER + "@example.com\"")),
                    65536);
            assertThat(Json.MAPPER.readTree(d.original()).get("email").asText()).matches(TOKEN);
            assertThat(everything(d)).doesNotContain(MARKER);
        }
    }

    @Nested
    class CutRecords {
        @Test
        void aValueCutAtTheKeepLimitIsRedactedNotHashed() throws Exception {
            String record = "{\"eventId\":\"e1\",\"accountId\":\"" + MARKER + "\",\"pad\":\"" + "x".repeat(5000) + "\"}";
            int keep = record.indexOf(MARKER) + 8;
            DeadLetter d = refused(hashed, utf8(record), keep);
            assertThat(d.truncated()).isTrue();
            assertThat(d.original()).isEqualTo("{\"eventId\":\"e1\",\"accountId\":\"[redacted]\"");
            assertThat(everything(d)).doesNotContain("MARKER-A");
        }

        @Test
        void aRecordCutInTheFieldNameKeepsNoValue() {
            DeadLetter d = refused("{\"eventId\":\"e1\",\"accou");
            assertThat(d.original()).isEqualTo("{\"eventId\":\"e1\",\"accou");
        }

        @Test
        void aBareValueAtTheEndIsRedacted() throws Exception {
            DeadLetter d = refused("{\"eventId\":\"e1\",\"accountId\":4711");
            assertThat(d.original()).isEqualTo("{\"eventId\":\"e1\",\"accountId\":\"[redacted]\"");
        }

        @Test
        void aRecordCutInsideAMultiByteCharacterIsSearchedAsBytes() throws Exception {
            String record = "{\"platform\":\"caf\u00e9\",\"accountId\":\"" + MARKER + "\",\"x\":\"\u00e9\u00e9\"}";
            byte[] bytes = utf8(record);
            int keep = bytes.length - 3; // inside the last é
            DeadLetter d = refused(hashed, bytes, keep);
            assertThat(d.original()).isNull();
            String kept = new String(Base64.getDecoder().decode(d.originalBase64()), StandardCharsets.UTF_8);
            assertThat(kept).startsWith("{\"platform\":\"caf\u00e9\",\"accountId\":\"hmac:").doesNotContain(MARKER);
            assertThat(kept).contains(Json.MAPPER.readTree(refused(record.replace("\"x\"", "\"y\"")).original())
                    .get("accountId").asText()); // hashed as the same value as in a UTF-8 record
        }
    }

    @Nested
    class NotText {
        @Test
        void latin1TextIsSearchedAndItsOtherBytesKept() {
            byte[] latin1 = ("{\"platform\":\"caf\u00e9\",\"accountId\":\"" + MARKER + "\"}")
                    .getBytes(StandardCharsets.ISO_8859_1);
            DeadLetter d = refused(hashed, latin1, 65536);
            assertThat(d.category()).isEqualTo(DeadLetterCategory.NOT_TEXT);
            byte[] kept = Base64.getDecoder().decode(d.originalBase64());
            assertThat(new String(kept, StandardCharsets.ISO_8859_1))
                    .matches("\\{\"platform\":\"caf\u00e9\",\"accountId\":\"hmac:[0-9a-f]{16}\"}");
        }

        @Test
        void utf16KeepsOnlyItsFirstBytes() {
            byte[] utf16 = login("\"accountId\":\"" + MARKER + "\"").getBytes(StandardCharsets.UTF_16);
            DeadLetter d = refused(hashed, utf16, 65536);
            byte[] kept = Base64.getDecoder().decode(d.originalBase64());
            assertThat(kept).hasSize(PersonalData.UNSEARCHABLE_KEPT_BYTES)
                    .containsExactly(java.util.Arrays.copyOf(utf16, PersonalData.UNSEARCHABLE_KEPT_BYTES));
            assertThat(d.truncated()).isTrue();
            assertThat(d.originalSize()).isEqualTo(utf16.length);
        }

        @Test
        void utf16WithoutAByteOrderMarkIsValidUtf8ButStillCutToItsFirstBytes() {
            byte[] utf16 = ("{\"accountId\":\"" + MARKER + "\"}").getBytes(StandardCharsets.UTF_16LE);
            DeadLetter d = refused(hashed, utf16, 65536);
            assertThat(d.original()).isEqualTo("{\0\"\0a\0c\0");
            assertThat(d.truncated()).isTrue();
        }

        @Test
        void shortBinaryIsKeptAsItIs() {
            DeadLetter d = refused(hashed, new byte[] {(byte) 0xFF, (byte) 0xFE, 0x00, 0x41}, 65536);
            assertThat(d.originalBase64()).isEqualTo("//4AQQ==");
            assertThat(d.truncated()).isFalse();
        }
    }

    @Nested
    class Reasons {
        @Test
        void aContractReasonQuotingTheValueIsCleaned() throws Exception {
            DeadLetter d = refused("{\"eventId\":\"e1\",\"eventTime\":\"2026-11-26T10:00:00Z\",\"deviceId\":\"d1\","
                    + "\"accountId\":47114711,\"region\":\"eu\",\"trigger\":\"AUTO\",\"attempt\":1,\"outcome\":\"SUCCESS\"}");
            assertThat(d.reason()).matches("accountId: expected string, got the number hmac:[0-9a-f]{16}");
            assertThat(everything(d)).doesNotContain("4711");
        }

        @Test
        void aValueMisplacedInAnotherFieldIsCleanedFromTheReason() throws Exception {
            DeadLetter d = refused(login("\"accountId\":\"" + MARKER + "\"").replace("SOMETIMES", MARKER));
            assertThat(d.reason()).matches("trigger: \"hmac:[0-9a-f]{16}\" is not one of AUTO, INTERACTIVE, TOKEN_REFRESH");
            assertThat(everything(d)).doesNotContain(MARKER);
        }

        @Test
        void aParserMessageQuotingPartOfAnUnquotedValueIsCleaned() throws Exception {
            DeadLetter d = refused("{\"eventId\":\"e1\",\"accountId\":MARKER_ACCT-4711,\"region\":\"eu\"}");
            assertThat(d.category()).isEqualTo(DeadLetterCategory.MALFORMED_JSON);
            assertThat(d.reason()).startsWith("malformed JSON: Unrecognized token 'hmac:");
            assertThat(everything(d)).doesNotContain("MARKER").doesNotContain("4711");
        }

        @Test
        void aReasonQuotingALongValueAbbreviatedIsCleaned() throws Exception {
            String longValue = MARKER + "-" + "z".repeat(100);
            DeadLetter d = refused(login("\"accountId\":\"" + MARKER + "\"").replace("SOMETIMES", longValue)
                    .replace(MARKER + "\"", longValue + "\""));
            assertThat(d.reason()).startsWith("trigger: \"hmac:");
            assertThat(everything(d)).doesNotContain(MARKER);
        }
    }

    @Test
    void aDeadLetterWithoutPersonalFieldsIsUnchanged() {
        DeadLetter late = DeadLetters.late(InputKind.LOGIN, "e1", 0, "{\"eventId\":\"e1\",\"deviceId\":\"d1\"}", "late");
        assertThat(hashed.protect(late)).isEqualTo(late);
    }

    @Test
    void printsNoKey() {
        assertThat(hashed.toString()).doesNotContain(KEY).contains("accountId");
    }
}
