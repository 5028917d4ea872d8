package io.stampede.event;

/** Why an input record was not accepted, in broad classes (the reason text says exactly why). */
public enum DeadLetterCategory {
    /** The bytes are not UTF-8 text. */
    NOT_TEXT,
    /** The record is larger than the configured limit. */
    TOO_LARGE,
    /** Empty record or blank line. */
    EMPTY,
    /** Not parseable as one JSON object. */
    MALFORMED_JSON,
    /** Valid JSON that breaks the contract (missing field, wrong type, unknown enum value...). */
    CONTRACT,
    /** Accepted, but arrived after its time window had been closed by the watermark. */
    LATE,
    /**
     * Not a record: the rest of a file from where it could not be read any more (a truncated or
     * corrupt compressed file). Its line is the first one lost.
     */
    UNREADABLE
}
