package io.stampede.io;

import io.stampede.detect.BucketStats;
import io.stampede.detect.Segments;
import io.stampede.event.Timestamps;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * The counts format: per-segment login and boot counts per interval as CSV, for teams that have
 * such counts in their metrics system but no raw events; a backtest of events writes its own as
 * {@code counts.csv}. Read and written here, so the two cannot drift apart.
 *
 * <p>A header row names the columns: {@code time} (RFC 3339 or epoch milliseconds), {@code segment}
 * (a region, or {@code fleet}) and any of the {@link Column count columns}; lines starting with
 * {@code #} are comments. The interval is the smallest gap between two rows of one segment; every
 * time must lie a whole number of intervals from the others, and a segment's rows must come in time
 * order (segments may interleave). A counts file is the user's own export, so anything wrong in it
 * is an error naming the file, line and column, never a silently dropped row.
 */
public final class CountsCsv {

    public static final String TIME = "time";
    public static final String SEGMENT = "segment";

    /** The count columns, per interval, in the order the writer puts them. */
    public enum Column {
        /** First login attempts of all triggers; counted as interactive unless the trigger columns are given. */
        FIRST_ATTEMPTS,
        INTERACTIVE,
        TOKEN_REFRESH,
        AUTO,
        RETRIES,
        /** Attempts that failed, among all attempts (first attempts and retries). */
        FAILURES,
        /** Attempts the admission layer deferred, among all attempts. */
        THROTTLED,
        /** Distinct devices booting. */
        BOOTS,
        /** Of those, devices that had an update waiting for a reboot. */
        ARMED_BOOTS;

        /** The column's name in the header. */
        public String header() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The trigger columns whose sum first_attempts must be, where both are given. */
    private static final List<Column> TRIGGERS = List.of(Column.INTERACTIVE, Column.TOKEN_REFRESH, Column.AUTO);

    /** A problem in a counts file, with the file, line and column it is at. */
    public static final class FormatException extends IOException {
        FormatException(String message) {
            super(message);
        }
    }

    /**
     * A counts file as read.
     *
     * @param intervalMs the smallest gap between two rows of one segment: the file's bucket
     * @param segments each segment's rows in time order, segments in the order they first appear
     */
    public record Counts(String file, long intervalMs, Map<String, List<CountsRow>> segments) {

        public long rows() {
            return segments.values().stream().mapToLong(List::size).sum();
        }

        /** The start of the earliest interval. */
        public long first() {
            return segments.values().stream().mapToLong(r -> r.get(0).time()).min().orElseThrow();
        }

        /** The start of the latest interval. */
        public long last() {
            return segments.values().stream().mapToLong(r -> r.get(r.size() - 1).time()).max().orElseThrow();
        }
    }

    private CountsCsv() {}

    /** The header the writer puts first: every count column but first_attempts, which the trigger columns split. */
    public static String header() {
        List<String> names = new ArrayList<>(List.of(TIME, SEGMENT));
        for (Column c : Column.values()) {
            if (c != Column.FIRST_ATTEMPTS) {
                names.add(c.header());
            }
        }
        return String.join(",", names);
    }

    /** One evaluated bucket as a line under {@link #header()}. */
    public static String line(BucketStats b) {
        CountsRow r = CountsRow.of(b);
        return Timestamps.format(r.time()) + "," + b.segment + "," + r.interactive() + "," + r.tokenRefresh() + ","
                + r.auto() + "," + r.retries() + "," + r.failures() + "," + r.throttled() + "," + r.boots() + ","
                + r.armedBoots();
    }

    /** Reads a counts file, gzip-compressed when its name ends in {@code .gz}. */
    public static Counts read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")
                    ? new GZIPInputStream(raw, 64 * 1024) : raw;
            return read(in, file.toString());
        }
    }

    /**
     * Reads a counts file from {@code in} (already decompressed).
     *
     * @param file how messages name the file
     * @throws FormatException for anything the format does not allow, naming file, line and column
     */
    public static Counts read(InputStream in, String file) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 64 * 1024);
        Reader r = new Reader(file);
        String text;
        long lineNumber = 0;
        while ((text = reader.readLine()) != null) {
            lineNumber++;
            if (lineNumber == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            String trimmed = text.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                r.line(lineNumber, trimmed);
            }
        }
        return r.finish();
    }

    /** The reading of one file, line by line. */
    private static final class Reader {
        private final String file;
        private String[] names;
        private int timeIndex = -1;
        private int segmentIndex = -1;
        private final Map<Column, Integer> columns = new EnumMap<>(Column.class);
        private final Map<String, List<CountsRow>> segments = new LinkedHashMap<>();
        private long interval = Long.MAX_VALUE;

        Reader(String file) {
            this.file = file;
        }

        void line(long number, String text) throws FormatException {
            String[] fields = fields(text);
            if (names == null) {
                header(number, fields);
            } else {
                row(number, fields);
            }
        }

        private void header(long number, String[] fields) throws FormatException {
            names = new String[fields.length];
            List<String> unknown = new ArrayList<>();
            for (int i = 0; i < fields.length; i++) {
                String name = fields[i].toLowerCase(Locale.ROOT);
                names[i] = name;
                for (int j = 0; j < i; j++) {
                    if (names[j].equals(name)) {
                        throw error(number, "the header names column " + name + " twice");
                    }
                }
                if (name.equals(TIME)) {
                    timeIndex = i;
                } else if (name.equals(SEGMENT)) {
                    segmentIndex = i;
                } else {
                    Column c = column(name);
                    if (c == null) {
                        unknown.add(name.isEmpty() ? "(an empty name)" : name);
                    } else {
                        columns.put(c, i);
                    }
                }
            }
            if (!unknown.isEmpty()) {
                throw error(number, "unknown column" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                        + "; the columns are " + TIME + ", " + SEGMENT + " and any of " + known());
            }
            if (timeIndex < 0 || segmentIndex < 0) {
                throw error(number, "the header needs a " + (timeIndex < 0 ? TIME : SEGMENT) + " column (the first "
                        + "line that is not a comment is the header, e.g. " + TIME + "," + SEGMENT + ","
                        + Column.FIRST_ATTEMPTS.header() + "," + Column.BOOTS.header() + ")");
            }
            if (columns.isEmpty()) {
                throw error(number, "the header has no count column; give at least one of " + known());
            }
        }

        private void row(long number, String[] fields) throws FormatException {
            if (fields.length != names.length) {
                throw error(number, "has " + fields.length + " fields, the header " + names.length);
            }
            long time = time(number, fields[timeIndex]);
            String segment = fields[segmentIndex];
            if (segment.isEmpty()) {
                throw error(number, SEGMENT, "is empty; name the region, or " + Segments.FLEET
                        + " for the whole fleet");
            }
            EnumMap<Column, Long> v = new EnumMap<>(Column.class);
            for (Map.Entry<Column, Integer> e : columns.entrySet()) {
                v.put(e.getKey(), count(number, e.getKey(), fields[e.getValue()]));
            }
            CountsRow row = row(number, time, v);
            List<CountsRow> rows = segments.computeIfAbsent(segment, s -> new ArrayList<>());
            if (!rows.isEmpty()) {
                CountsRow previous = rows.get(rows.size() - 1);
                if (time == previous.time()) {
                    throw error(number, "a second row for segment " + segment + " at " + Timestamps.format(time)
                            + " (the first is line " + previous.line() + ")");
                }
                if (time < previous.time()) {
                    throw error(number, "time " + Timestamps.format(time) + " of segment " + segment
                            + " is before that of its previous row, " + Timestamps.format(previous.time()) + " (line "
                            + previous.line() + "); the rows of a segment must be in time order");
                }
                interval = Math.min(interval, time - previous.time());
            }
            rows.add(row);
        }

        /** The row of {@code v}'s counts, checked against each other. */
        private CountsRow row(long number, long time, EnumMap<Column, Long> v) throws FormatException {
            long interactive = v.getOrDefault(Column.INTERACTIVE, 0L);
            long triggers = interactive + v.getOrDefault(Column.TOKEN_REFRESH, 0L) + v.getOrDefault(Column.AUTO, 0L);
            boolean split = TRIGGERS.stream().anyMatch(columns::containsKey);
            Long first = v.get(Column.FIRST_ATTEMPTS);
            if (first != null && split && first != triggers) {
                throw error(number, Column.FIRST_ATTEMPTS.header(), "is " + first + " but "
                        + TRIGGERS.stream().filter(columns::containsKey).map(Column::header)
                                .collect(Collectors.joining(" + "))
                        + " is " + triggers + "; with the trigger columns, leave first_attempts out or make it "
                        + "their sum");
            }
            if (first != null && !split) {
                interactive = first;
                triggers = first;
            }
            long attempts = triggers + v.getOrDefault(Column.RETRIES, 0L);
            long failures = v.getOrDefault(Column.FAILURES, 0L);
            long throttled = v.getOrDefault(Column.THROTTLED, 0L);
            if (failures + throttled > attempts) {
                throw error(number, (failures > attempts ? "failures (" + failures + ")" : "failures + throttled ("
                        + (failures + throttled) + ")") + " exceed the attempts (" + attempts + ", first attempts + "
                        + "retries); failed and throttled attempts are counted among the attempts");
            }
            long boots = v.getOrDefault(Column.BOOTS, 0L);
            long armed = v.getOrDefault(Column.ARMED_BOOTS, 0L);
            if (armed > boots) {
                throw error(number, Column.ARMED_BOOTS.header(), "is " + armed + ", more than the boots (" + boots
                        + "); armed boots are counted among the boots");
            }
            return new CountsRow(time, number, interactive, v.getOrDefault(Column.TOKEN_REFRESH, 0L),
                    v.getOrDefault(Column.AUTO, 0L), v.getOrDefault(Column.RETRIES, 0L), failures, throttled, boots,
                    armed);
        }

        private long time(long number, String text) throws FormatException {
            if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw error(number, TIME, "\"" + text + "\" is too large for epoch milliseconds");
                }
            }
            try {
                return Timestamps.parse(text);
            } catch (IllegalArgumentException e) {
                throw error(number, TIME, e.getMessage() + "; write RFC 3339 (2026-11-24T09:00:00Z) or epoch "
                        + "milliseconds");
            }
        }

        private long count(long number, Column c, String text) throws FormatException {
            if (text.isEmpty()) {
                return 0;
            }
            if (!text.chars().allMatch(Character::isDigit)) {
                throw error(number, c.header(), "\"" + text + "\" is not " + (text.startsWith("-") ? "a count "
                        + "(negative)" : "a whole number") + "; counts are whole numbers, 0 or more");
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw error(number, c.header(), "\"" + text + "\" is too large");
            }
        }

        Counts finish() throws FormatException {
            if (names == null) {
                throw new FormatException(file + " has no header row; the first line that is not a comment names the "
                        + "columns: " + TIME + ", " + SEGMENT + " and any of " + known());
            }
            if (segments.isEmpty()) {
                throw new FormatException(file + " has a header but no rows");
            }
            if (interval == Long.MAX_VALUE) {
                throw new FormatException(file + ": no segment has two rows, so the file's interval cannot be told; "
                        + "give at least two consecutive intervals of one segment");
            }
            CountsRow anchor = null;
            CountsRow off = null;
            for (List<CountsRow> rows : segments.values()) {
                for (CountsRow row : rows) {
                    if (anchor == null || row.line() < anchor.line()) {
                        anchor = row;
                    }
                }
            }
            for (List<CountsRow> rows : segments.values()) {
                for (CountsRow row : rows) {
                    if (Math.floorMod(row.time() - anchor.time(), interval) != 0
                            && (off == null || row.line() < off.line())) {
                        off = row;
                    }
                }
            }
            if (off != null) {
                throw error(off.line(), TIME, Timestamps.format(off.time()) + " is off the file's grid: the "
                        + "interval is " + seconds(interval) + " (the smallest gap between two rows of a segment) and the first row, "
                        + "line " + anchor.line() + ", is at " + Timestamps.format(anchor.time())
                        + "; every time must be a whole number of intervals from it");
            }
            return new Counts(file, interval, segments);
        }

        private FormatException error(long line, String message) {
            return new FormatException(file + " line " + line + ": " + message);
        }

        private FormatException error(long line, String column, String message) {
            return new FormatException(file + " line " + line + ", column " + column + ": " + message);
        }
    }

    /** Splits a line at commas; a field in double quotes (as some exports write every field) loses them. */
    private static String[] fields(String text) {
        String[] fields = text.split(",", -1);
        for (int i = 0; i < fields.length; i++) {
            String f = fields[i].strip();
            if (f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"")) {
                f = f.substring(1, f.length() - 1).strip();
            }
            fields[i] = f;
        }
        return fields;
    }

    private static Column column(String name) {
        for (Column c : Column.values()) {
            if (c.header().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static String known() {
        return Arrays.stream(Column.values()).map(Column::header).collect(Collectors.joining(", "));
    }

    /** An interval in words: {@code 60 s}, or milliseconds where it is not whole seconds. */
    public static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
