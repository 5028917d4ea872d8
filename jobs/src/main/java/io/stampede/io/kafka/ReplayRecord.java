package io.stampede.io.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.stampede.event.Timestamps;
import io.stampede.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One input record as a replay publishes it: the bytes as they were read, the Kafka key (the
 * device id, or the auth node for {@code NODE_HEALTH} telemetry, so that one device's events stay
 * in one partition, in order) and the event time that paces the replay.
 *
 * <p>Only the top-level fields are looked at, with a streaming parser; nothing is validated: a
 * record the job will refuse is published as it is (and dead-lettered by the job), with whatever
 * key and time could be read before the damage.
 */
public final class ReplayRecord {

    /** The event time of a record without a readable one. */
    public static final long NO_TIME = Long.MIN_VALUE;

    private static final JsonFactory JSON = Json.MAPPER.getFactory();

    private final byte[] value;
    private final byte[] key;
    private final long eventMillis;
    /** Where the event time's value lies in {@code value} (start inclusive, end exclusive), and its form. */
    private final int timeStart;
    private final int timeEnd;
    private final boolean timeIsNumber;

    private ReplayRecord(byte[] value, byte[] key, long eventMillis, int timeStart, int timeEnd, boolean timeIsNumber) {
        this.value = value;
        this.key = key;
        this.eventMillis = eventMillis;
        this.timeStart = timeStart;
        this.timeEnd = timeEnd;
        this.timeIsNumber = timeIsNumber;
    }

    /** The record's bytes, as read. */
    public byte[] value() {
        return value;
    }

    /** The Kafka key as UTF-8 bytes, or null when the record names no device (or node). */
    public byte[] key() {
        return key;
    }

    /** The event time in epoch milliseconds, or {@link #NO_TIME}. */
    public long eventMillis() {
        return eventMillis;
    }

    public boolean hasTime() {
        return eventMillis != NO_TIME;
    }

    /** Reads the key and event time of a record (the whole array). */
    public static ReplayRecord of(byte[] value) {
        String deviceId = null;
        String authNode = null;
        String type = null;
        long time = NO_TIME;
        int start = -1;
        int end = -1;
        boolean number = false;
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken token = p.nextToken();
                    switch (field) {
                        case "deviceId" -> deviceId = text(p, token);
                        case "authNode" -> authNode = text(p, token);
                        case "type" -> type = text(p, token);
                        case "eventTime" -> {
                            int from = (int) p.currentTokenLocation().getByteOffset();
                            if (token == JsonToken.VALUE_NUMBER_INT) {
                                time = p.getLongValue();
                                number = true;
                            } else if (token == JsonToken.VALUE_STRING) {
                                time = parseTime(p.getText());
                                number = false;
                            } else {
                                p.skipChildren();
                                continue;
                            }
                            if (time != NO_TIME) {
                                start = from;
                                end = (int) p.currentLocation().getByteOffset();
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
            }
        } catch (IOException | RuntimeException damaged) {
            // Not JSON (or not all of it): keep what was read before the damage.
        }
        String key = "NODE_HEALTH".equals(type) ? authNode : deviceId;
        return new ReplayRecord(value, key == null ? null : key.getBytes(StandardCharsets.UTF_8), time, start, end,
                number);
    }

    /**
     * The record with its event time moved by {@code deltaMillis}, written in the form it had
     * (epoch milliseconds or RFC 3339 UTC); every other byte unchanged. A record without a
     * readable event time is returned as it is.
     */
    public ReplayRecord shifted(long deltaMillis) {
        if (!hasTime() || deltaMillis == 0) {
            return this;
        }
        long moved = eventMillis + deltaMillis;
        String text = timeIsNumber ? Long.toString(moved) : '"' + Timestamps.format(moved) + '"';
        byte[] replacement = text.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[value.length - (timeEnd - timeStart) + replacement.length];
        System.arraycopy(value, 0, out, 0, timeStart);
        System.arraycopy(replacement, 0, out, timeStart, replacement.length);
        System.arraycopy(value, timeEnd, out, timeStart + replacement.length, value.length - timeEnd);
        return new ReplayRecord(out, key, moved, timeStart, timeStart + replacement.length, timeIsNumber);
    }

    private static String text(JsonParser p, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    private static long parseTime(String s) {
        try {
            return Timestamps.parse(s);
        } catch (IllegalArgumentException e) {
            return NO_TIME;
        }
    }

    @Override
    public String toString() {
        return "ReplayRecord[key=" + (key == null ? null : new String(key, StandardCharsets.UTF_8)) + ", eventMillis="
                + eventMillis + ", value=" + new String(value, StandardCharsets.UTF_8) + "]";
    }
}
