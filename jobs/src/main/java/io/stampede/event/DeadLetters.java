package io.stampede.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** Builds dead letters that keep the original record (as text, or base64 when it is not UTF-8). */
public final class DeadLetters {

    private DeadLetters() {}

    /**
     * A dead letter for a record the parser refused.
     *
     * @param keepBytes the most bytes of the original to keep; longer originals are cut and marked
     */
    public static DeadLetter refused(InputKind kind, String source, Integer partition, Long offset, Long line,
            byte[] raw, int rawOffset, int rawLength, ParseResult result, int keepBytes) {
        int kept = Math.min(rawLength, keepBytes);
        boolean truncated = kept < rawLength;
        String text = null;
        String base64 = null;
        if (result.category() != DeadLetterCategory.NOT_TEXT && EventParser.isUtf8(raw, rawOffset, kept)) {
            text = new String(raw, rawOffset, kept, StandardCharsets.UTF_8);
        } else {
            base64 = Base64.getEncoder().encodeToString(Arrays.copyOfRange(raw, rawOffset, rawOffset + kept));
        }
        return new DeadLetter(kind.streamName(), source, partition, offset, line, result.category(),
                result.reason(), text, base64, rawLength, truncated, null, null);
    }

    /**
     * A dead letter for the rest of a file that could not be read from {@code line} on: one per
     * file, so that what was lost is named instead of failing the whole run.
     */
    public static DeadLetter unreadable(InputKind kind, String source, long line, String reason) {
        return new DeadLetter(kind.streamName(), source, null, null, line, DeadLetterCategory.UNREADABLE, reason,
                null, null, 0, false, null, null);
    }

    /** A dead letter for an accepted event that came after its window had closed. */
    public static DeadLetter late(InputKind kind, String eventId, long eventTime, String canonicalJson,
            String reason) {
        int size = canonicalJson.getBytes(StandardCharsets.UTF_8).length;
        return new DeadLetter(kind.streamName(), "stampede", null, null, null, DeadLetterCategory.LATE, reason,
                canonicalJson, null, size, false, eventId, Timestamps.format(eventTime));
    }
}
