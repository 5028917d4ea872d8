package io.stampede.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of one input record into a typed event, or into the reason it cannot be
 * accepted. It never throws on bad input.
 *
 * <p>This is the typed fast path that every record takes (a streaming read straight into the
 * event record, no tree). The contracts themselves live in the JSON Schema files: when this
 * parser refuses a record, {@link ContractValidator} validates it against the schema and its
 * findings become the dead letter's reason, and tests check on generated records that this parser
 * and the schemas accept exactly the same records.
 */
public final class EventParser {

    /** Longest accepted identifier (event, device, account ids, region, node names...). */
    public static final int MAX_ID_LENGTH = 256;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    /** Each enum's values once: values() makes a new array on every call. */
    private static final Trigger[] TRIGGERS = Trigger.values();
    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final TelemetryType[] TELEMETRY_TYPES = TelemetryType.values();
    private static final RebootReason[] REBOOT_REASONS = RebootReason.values();

    private final int maxRecordBytes;
    private final ContractValidator validator;

    /**
     * @param maxRecordBytes records longer than this are refused as {@link DeadLetterCategory#TOO_LARGE}
     * @param validator explains refusals against the schema; may be {@code null} to keep the
     *     parser's own reasons (used by the parse-only benchmark floor)
     */
    public EventParser(int maxRecordBytes, ContractValidator validator) {
        this.maxRecordBytes = maxRecordBytes;
        this.validator = validator;
    }

    public ParseResult parse(InputKind kind, byte[] bytes) {
        return parse(kind, bytes, 0, bytes.length);
    }

    public ParseResult parse(InputKind kind, byte[] bytes, int offset, int length) {
        if (length > maxRecordBytes) {
            return ParseResult.rejected(DeadLetterCategory.TOO_LARGE,
                    "record of " + length + " bytes exceeds the limit of " + maxRecordBytes + " bytes");
        }
        if (isBlank(bytes, offset, length)) {
            return ParseResult.rejected(DeadLetterCategory.EMPTY, "empty record");
        }
        try (JsonParser p = JSON.createParser(bytes, offset, length)) {
            Envelope envelope = kind == InputKind.LOGIN ? readLogin(p) : readTelemetry(p);
            if (p.nextToken() != null) {
                throw new Reject(DeadLetterCategory.MALFORMED_JSON, "unexpected content after the JSON object");
            }
            return ParseResult.accepted(envelope);
        } catch (Reject r) {
            if (r.category == DeadLetterCategory.CONTRACT && validator != null) {
                String explained = validator.explain(kind, bytes, offset, length);
                if (explained != null) {
                    return ParseResult.rejected(DeadLetterCategory.CONTRACT, explained);
                }
            }
            return ParseResult.rejected(r.category, r.getMessage());
        } catch (JsonParseException e) {
            if (!isUtf8(bytes, offset, length)) {
                return ParseResult.rejected(DeadLetterCategory.NOT_TEXT, "record is not UTF-8 text");
            }
            return ParseResult.rejected(DeadLetterCategory.MALFORMED_JSON, "malformed JSON: " + describe(e));
        } catch (IOException | RuntimeException e) {
            if (!isUtf8(bytes, offset, length)) {
                return ParseResult.rejected(DeadLetterCategory.NOT_TEXT, "record is not UTF-8 text");
            }
            return ParseResult.rejected(DeadLetterCategory.MALFORMED_JSON, "malformed JSON: " + e.getMessage());
        }
    }

    private static Envelope readLogin(JsonParser p) throws IOException {
        startObject(p);
        String eventId = null;
        long eventTime = Long.MIN_VALUE;
        String deviceId = null;
        String accountId = null;
        String region = null;
        String authCluster = null;
        Trigger trigger = null;
        int attempt = 0;
        Outcome outcome = null;
        int latencyMs = -1;
        String platform = null;
        String osBuild = null;
        String clientVersion = null;
        String field;
        while ((field = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (field) {
                case "eventId" -> eventId = id(p, t, field);
                case "eventTime" -> eventTime = eventTime(p, t);
                case "deviceId" -> deviceId = id(p, t, field);
                case "accountId" -> accountId = id(p, t, field);
                case "region" -> region = id(p, t, field);
                case "authCluster" -> authCluster = optionalId(p, t, field);
                case "trigger" -> trigger = enumValue(p, t, field, Trigger.class, TRIGGERS);
                case "attempt" -> attempt = (int) integer(p, t, field, 1, Integer.MAX_VALUE);
                case "outcome" -> outcome = enumValue(p, t, field, Outcome.class, OUTCOMES);
                case "latencyMs" -> latencyMs = t == JsonToken.VALUE_NULL ? -1 : (int) integer(p, t, field, 0, Integer.MAX_VALUE);
                case "platform" -> platform = optionalId(p, t, field);
                case "osBuild" -> osBuild = optionalId(p, t, field);
                case "clientVersion" -> clientVersion = optionalId(p, t, field);
                default -> p.skipChildren();
            }
        }
        require(eventId, "eventId");
        require(eventTime != Long.MIN_VALUE ? Boolean.TRUE : null, "eventTime");
        require(deviceId, "deviceId");
        require(accountId, "accountId");
        require(region, "region");
        require(trigger, "trigger");
        require(attempt > 0 ? Boolean.TRUE : null, "attempt");
        require(outcome, "outcome");
        return Envelope.of(new LoginEvent(eventId, eventTime, deviceId, accountId, region, authCluster,
                trigger, attempt, outcome, latencyMs, platform, osBuild, clientVersion));
    }

    private static Envelope readTelemetry(JsonParser p) throws IOException {
        startObject(p);
        String eventId = null;
        long eventTime = Long.MIN_VALUE;
        TelemetryType type = null;
        String deviceId = null;
        String region = null;
        String platform = null;
        String osBuild = null;
        String clientVersion = null;
        RebootReason rebootReason = null;
        String updateId = null;
        Boolean rebootRequired = null;
        long rebootBy = -1;
        String authCluster = null;
        String authNode = null;
        double capacityPerSec = -1;
        long inflight = -1;
        double cpu = -1;
        double p99LatencyMs = -1;
        double errorRate = -1;
        Boolean healthy = null;
        String field;
        while ((field = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (field) {
                case "eventId" -> eventId = id(p, t, field);
                case "eventTime" -> eventTime = eventTime(p, t);
                case "type" -> type = enumValue(p, t, field, TelemetryType.class, TELEMETRY_TYPES);
                case "deviceId" -> deviceId = optionalId(p, t, field);
                case "region" -> region = optionalId(p, t, field);
                case "platform" -> platform = optionalId(p, t, field);
                case "osBuild" -> osBuild = optionalId(p, t, field);
                case "clientVersion" -> clientVersion = optionalId(p, t, field);
                case "rebootReason" -> rebootReason = t == JsonToken.VALUE_NULL ? null
                        : enumValue(p, t, field, RebootReason.class, REBOOT_REASONS);
                case "updateId" -> updateId = optionalId(p, t, field);
                case "rebootRequired" -> rebootRequired = optionalBoolean(t, field);
                case "rebootBy" -> rebootBy = t == JsonToken.VALUE_NULL ? -1 : timestamp(p, t, field);
                case "authCluster" -> authCluster = optionalId(p, t, field);
                case "authNode" -> authNode = optionalId(p, t, field);
                case "capacityPerSec" -> capacityPerSec = optionalNumber(p, t, field, 0, Double.MAX_VALUE);
                case "inflight" -> inflight = t == JsonToken.VALUE_NULL ? -1 : integer(p, t, field, 0, Long.MAX_VALUE);
                case "cpu" -> cpu = optionalNumber(p, t, field, 0, 1);
                case "p99LatencyMs" -> p99LatencyMs = optionalNumber(p, t, field, 0, Double.MAX_VALUE);
                case "errorRate" -> errorRate = optionalNumber(p, t, field, 0, 1);
                case "healthy" -> healthy = optionalBoolean(t, field);
                default -> p.skipChildren();
            }
        }
        require(eventId, "eventId");
        require(eventTime != Long.MIN_VALUE ? Boolean.TRUE : null, "eventTime");
        require(type, "type");
        if (type == TelemetryType.NODE_HEALTH) {
            require(authCluster, "authCluster");
            require(authNode, "authNode");
            require(region, "region");
            require(capacityPerSec >= 0 ? Boolean.TRUE : null, "capacityPerSec");
            require(healthy, "healthy");
        } else {
            require(deviceId, "deviceId");
            require(region, "region");
            if (type == TelemetryType.BOOT) {
                require(rebootReason, "rebootReason");
            } else if (type == TelemetryType.UPDATE_INSTALLED) {
                require(updateId, "updateId");
                require(rebootRequired, "rebootRequired");
            }
        }
        return Envelope.of(new TelemetryEvent(eventId, eventTime, type, deviceId, region, platform, osBuild,
                clientVersion, rebootReason, updateId, rebootRequired, authCluster, authNode, capacityPerSec,
                inflight, cpu, p99LatencyMs, errorRate, healthy, rebootBy));
    }

    private static void startObject(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw new Reject(DeadLetterCategory.MALFORMED_JSON,
                    "expected a JSON object, got " + describe(first));
        }
    }

    private static void require(Object value, String field) {
        if (value == null) {
            throw contract("required field " + field + " is missing");
        }
    }

    private static String id(JsonParser p, JsonToken t, String field) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw contract(field + ": expected a string, got " + describe(t));
        }
        String s = p.getText();
        if (s.isEmpty()) {
            throw contract(field + ": must not be empty");
        }
        if (s.length() > MAX_ID_LENGTH) {
            throw contract(field + ": longer than " + MAX_ID_LENGTH + " characters");
        }
        return s;
    }

    private static String optionalId(JsonParser p, JsonToken t, String field) throws IOException {
        return t == JsonToken.VALUE_NULL ? null : id(p, t, field);
    }

    private static long eventTime(JsonParser p, JsonToken t) throws IOException {
        return timestamp(p, t, "eventTime");
    }

    /** A time as events give it: an RFC 3339 string or integer epoch milliseconds. */
    private static long timestamp(JsonParser p, JsonToken t, String field) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            try {
                return Timestamps.parse(p.getText());
            } catch (IllegalArgumentException e) {
                throw contract(field + ": " + e.getMessage());
            }
        }
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return integer(p, t, field, 0, Timestamps.MAX_EPOCH_MILLIS);
        }
        throw contract(field + ": expected an RFC 3339 string or epoch milliseconds, got " + describe(t));
    }

    private static long integer(JsonParser p, JsonToken t, String field, long min, long max) throws IOException {
        long v;
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw contract(field + ": " + p.getText() + " is out of range");
            }
            v = p.getLongValue();
        } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw contract(field + ": expected an integer, got " + p.getText());
            }
            if (d < Long.MIN_VALUE || d > Long.MAX_VALUE) {
                throw contract(field + ": " + p.getText() + " is out of range");
            }
            v = (long) d;
        } else {
            throw contract(field + ": expected an integer, got " + describe(t));
        }
        if (v < min) {
            throw contract(field + ": " + v + " is less than the minimum " + min);
        }
        if (v > max) {
            throw contract(field + ": " + v + " is greater than the maximum " + max);
        }
        return v;
    }

    private static double optionalNumber(JsonParser p, JsonToken t, String field, double min, double max)
            throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return -1;
        }
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw contract(field + ": expected a number, got " + describe(t));
        }
        double v = p.getDoubleValue();
        if (v < min) {
            throw contract(field + ": " + p.getText() + " is less than the minimum " + fmt(min));
        }
        if (v > max) {
            throw contract(field + ": " + p.getText() + " is greater than the maximum " + fmt(max));
        }
        return v;
    }

    private static Boolean optionalBoolean(JsonToken t, String field) {
        return switch (t) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> throw contract(field + ": expected true or false, got " + describe(t));
        };
    }

    private static <E extends Enum<E>> E enumValue(JsonParser p, JsonToken t, String field, Class<E> type,
            E[] values) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            // Matched on the parser's characters: no string is made for a value that is one of them.
            char[] chars = p.getTextCharacters();
            int offset = p.getTextOffset();
            int length = p.getTextLength();
            for (E e : values) {
                if (sameCharacters(e.name(), chars, offset, length)) {
                    return e;
                }
            }
            throw contract(field + ": \"" + Timestamps.abbreviate(p.getText()) + "\" is not one of "
                    + names(values));
        }
        throw contract(field + ": expected one of " + names(values) + ", got " + describe(t));
    }

    private static boolean sameCharacters(String s, char[] chars, int offset, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }

    private static String names(Enum<?>[] values) {
        StringBuilder b = new StringBuilder();
        for (Enum<?> e : values) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(e.name());
        }
        return b.toString();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }

    private static String describe(JsonParseException e) {
        String msg = e.getOriginalMessage();
        int nl = msg.indexOf('\n');
        if (nl > 0) {
            msg = msg.substring(0, nl);
        }
        if (e.getLocation() != null) {
            return msg + " (at character " + (e.getLocation().getColumnNr()) + ")";
        }
        return msg;
    }

    private static boolean isBlank(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return false;
            }
        }
        return true;
    }

    /** True if the bytes decode as UTF-8 without error. */
    public static boolean isUtf8(byte[] b, int off, int len) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, len));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static Reject contract(String reason) {
        return new Reject(DeadLetterCategory.CONTRACT, reason);
    }

    /** Control flow for refusals; carries no stack trace because it is expected, not exceptional. */
    private static final class Reject extends RuntimeException {
        private final DeadLetterCategory category;

        Reject(DeadLetterCategory category, String reason) {
            super(reason, null, false, false);
            this.category = category;
        }
    }
}
