package io.stampede.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What an output's Kafka record timestamp is ({@code kafka.outputTimestamps}). Event time is in
 * every payload either way (detectedAt, startsAt, at); the record timestamp is what the broker's
 * retention and time index count from.
 */
public enum OutputTimestamps {

    /**
     * The time Stampede wrote the record: what retention, lag dashboards and time-based consumers
     * expect, and what keeps the outputs of a replay of last month's events from being deleted at
     * the broker's next retention check.
     */
    WRITE_TIME("write-time"),

    /**
     * The event time of the output, never later than the write time: a broker refuses records too
     * far in the future (log.message.timestamp.after.max.ms, 1 h by default). Outputs of old events
     * are then as old as those events and retention deletes them accordingly.
     */
    EVENT_TIME("event-time");

    private final String setting;

    OutputTimestamps(String setting) {
        this.setting = setting;
    }

    /** The value of {@code kafka.outputTimestamps}. */
    @JsonValue
    public String setting() {
        return setting;
    }

    /** @throws IllegalArgumentException for anything but write-time or event-time */
    @JsonCreator
    public static OutputTimestamps of(String setting) {
        for (OutputTimestamps t : values()) {
            if (t.setting.equals(setting)) {
                return t;
            }
        }
        throw new IllegalArgumentException("must be write-time or event-time, got \""
                + setting + "\"");
    }

    /**
     * @param eventTime the output's event time (its Flink record timestamp), or null when it has none
     * @param now the writer's clock
     * @return the Kafka record timestamp
     */
    public long recordTimestamp(Long eventTime, long now) {
        if (this == WRITE_TIME || eventTime == null) {
            return now;
        }
        return Math.min(eventTime, now);
    }
}
