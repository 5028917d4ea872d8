package io.stampede.alert;

/** What was measured, what was expected, how far apart they are, and over which window. */
public record Evidence(double observed, double expected, double score, String unit, Window window) {

    /** An event-time window, RFC 3339 strings. */
    public record Window(String start, String end) {}
}
