package io.stampede.cli;

import io.stampede.config.Durations;
import io.stampede.event.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Warnings for a finished run whose result is probably not what the user meant: nothing
 * accepted, an input that was all dead letters, too little event time for any detector to fire,
 * event times (or the times of counts) that look like a wrong unit or clock.
 */
final class RunWarnings {

    static final Instant IMPLAUSIBLY_EARLY = Instant.ofEpochMilli(Timestamps.IMPLAUSIBLY_EARLY);
    static final Duration IMPLAUSIBLY_AHEAD = Duration.ofMillis(Timestamps.IMPLAUSIBLY_AHEAD_MILLIS);

    /** What one input gave. */
    record InputResult(String option, long accepted, long deadLetters, String firstReason) {}

    private RunWarnings() {}

    /**
     * @param inputs the inputs the user gave, by name
     * @param first the earliest accepted event time (epoch ms), or null when none was accepted
     * @param last the latest accepted event time
     */
    static List<String> of(Map<String, InputResult> inputs, Long first, Long last, Duration warmup, Instant now) {
        List<String> out = new ArrayList<>();
        long accepted = 0;
        for (Map.Entry<String, InputResult> e : inputs.entrySet()) {
            InputResult r = e.getValue();
            accepted += r.accepted();
            if (r.accepted() == 0 && r.deadLetters() > 0) {
                out.add(String.format(Locale.ROOT, "every record of %s (%s) was refused: %,d dead letters, e.g. "
                        + "\"%s\"; see dead-letters.jsonl", e.getKey(), r.option(), r.deadLetters(), r.firstReason()));
            }
        }
        if (accepted == 0) {
            out.add("no events were accepted, so nothing could be detected; check that the files hold login-events "
                    + "and telemetry-events records, one JSON object per line (schemas/login-event.schema.json, "
                    + "schemas/telemetry-event.schema.json)");
            return out;
        }
        if (first != null && last != null) {
            out.addAll(times(TimeWords.EVENTS, first, last, warmup, now));
        }
        return out;
    }

    /** How the warnings about times name what the times belong to. */
    enum TimeWords {
        EVENTS("the accepted events", "event times", "eventTime"),
        COUNTS("the counts", "the counts' times", "the time column");

        final String what;
        final String times;
        final String field;

        TimeWords(String what, String times, String field) {
            this.what = what;
            this.times = times;
            this.field = field;
        }
    }

    /**
     * Warnings about the span of time a run saw: too short for any detector to fire, or times that
     * look like a wrong unit or clock.
     *
     * @param first the earliest time (epoch ms)
     * @param last the latest
     */
    static List<String> times(TimeWords words, long first, long last, Duration warmup, Instant now) {
        List<String> out = new ArrayList<>();
        Duration span = Duration.ofMillis(last - first);
        if (span.compareTo(warmup) < 0) {
            out.add(words.what + " span only " + words(span) + " of event time ("
                    + Timestamps.format(first) + " to " + Timestamps.format(last) + "), less than detection.warmup ("
                    + Durations.format(warmup) + "): no detector can fire; give a longer recording or lower "
                    + "detection.warmup");
        }
        if (Instant.ofEpochMilli(first).isBefore(IMPLAUSIBLY_EARLY)) {
            out.add(words.times + " start at " + Timestamps.format(first) + ", before the year 2000; are epoch "
                    + "seconds given where " + words.field + " expects epoch milliseconds?");
        }
        if (Instant.ofEpochMilli(last).isAfter(now.plus(IMPLAUSIBLY_AHEAD))) {
            out.add(words.times + " run until " + Timestamps.format(last) + ", more than a day after now ("
                    + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "); is the producers' clock or the "
                    + "timestamps' unit wrong?");
        }
        return out;
    }

    private static String words(Duration d) {
        long s = d.toSeconds();
        return s < 120 ? s + " s" : String.format(Locale.ROOT, "%.1f min", s / 60.0);
    }
}
