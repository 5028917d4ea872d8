package io.stampede.topology;

/** Names of the job's accumulators: the counts a bounded run reports in its summary. */
public final class Counters {

    public static final String DUPLICATES = "duplicates";
    public static final String LATE = "late";
    /** Events behind the watermark but within input.allowedLateness: accepted and counted late. */
    public static final String LATE_ACCEPTED = "lateAccepted";
    /** The earliest and latest event time accepted (epoch milliseconds; absent when none was). */
    public static final String FIRST_EVENT_TIME = "eventTime.first";
    public static final String LAST_EVENT_TIME = "eventTime.last";

    private Counters() {}

    public static String accepted(String input) {
        return "accepted." + input;
    }

    public static String deadLetters(String input, String category) {
        return "deadLetters." + input + "." + category;
    }
}
