package io.stampede.event;

/**
 * An input record that could not be accepted, with where it came from, why, and its original
 * content. {@code original} holds the text when the bytes were UTF-8, {@code originalBase64} the
 * bytes otherwise; content beyond the size limit is cut and {@code truncated} is set.
 * {@code partition}/{@code offset} are set for Kafka input, {@code line} for files; absent values
 * are {@code null}.
 */
public record DeadLetter(
        String input,
        String source,
        Integer partition,
        Long offset,
        Long line,
        DeadLetterCategory category,
        String reason,
        String original,
        String originalBase64,
        int originalSize,
        boolean truncated,
        String eventId,
        String eventTime) {

    /** The same dead letter for an original of {@code size} bytes of which only the kept part is here. */
    public DeadLetter withOriginalSize(int size) {
        return new DeadLetter(input, source, partition, offset, line, category, reason, original, originalBase64, size,
                truncated || size > originalSize, eventId, eventTime);
    }
}
