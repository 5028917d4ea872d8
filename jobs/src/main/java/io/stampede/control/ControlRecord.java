package io.stampede.control;

import java.io.Serializable;

/**
 * A record of the control topic or a line of a {@code --control} file, not yet checked.
 *
 * @param key the record key (the control id); null for a file's lines, whose id is in the value
 * @param value the JSON text; null for a tombstone (the control is forgotten)
 * @param source the topic or file, for dead letters
 * @param partition the topic partition, or null for a file
 * @param offset the record's offset, or null for a file
 * @param line the file line (from 1), or null for the topic
 */
public record ControlRecord(String key, String value, String source, Integer partition, Long offset, Long line)
        implements Serializable {

    /** A record that says nothing (no key, no value): ignored where controls are checked. */
    public static final ControlRecord NONE = new ControlRecord(null, null, "none", null, null, null);

    public static ControlRecord ofLine(String source, long line, String value) {
        return new ControlRecord(null, value, source, null, null, line);
    }
}
