package io.stampede.event;

import java.time.Instant;

/**
 * RFC 3339 timestamps, read and written.
 *
 * <p>Reading is on the hot path of every input record, so the common shape
 * ({@code 2026-11-26T10:00:00.123Z}, any number of fraction digits, {@code Z} or a numeric offset;
 * upper-case {@code T} and {@code Z}, as the schema's pattern demands)
 * is decoded by hand instead of through {@code java.time} parsing, which costs about a microsecond
 * per call. Anything that does not fit is rejected with a reason.
 */
public final class Timestamps {

    /** Year 9999, the last year RFC 3339 can write. */
    public static final long MAX_EPOCH_MILLIS = 253402300799999L;

    /** 2000-01-01: an event time before it is most likely epoch seconds read as milliseconds, or a default date. */
    public static final long IMPLAUSIBLY_EARLY = 946684800000L;

    /** An event time further than this ahead of the wall clock points at a wrong clock or unit. */
    public static final long IMPLAUSIBLY_AHEAD_MILLIS = 86_400_000L;

    private Timestamps() {}

    /** Formats epoch milliseconds as an RFC 3339 UTC string (e.g. {@code 2026-11-26T10:00:00.123Z}). */
    public static String format(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    /**
     * Parses an RFC 3339 date-time into epoch milliseconds (sub-millisecond digits are dropped).
     *
     * @throws IllegalArgumentException with a reason a person can act on
     */
    public static long parse(String s) {
        int n = s.length();
        if (n < 20) {
            throw invalid(s, "too short");
        }
        int year = digits(s, 0, 4);
        expect(s, 4, '-');
        int month = digits(s, 5, 2);
        expect(s, 7, '-');
        int day = digits(s, 8, 2);
        char t = s.charAt(10);
        if (t != 'T') {
            throw invalid(s, "expected 'T' between date and time");
        }
        int hour = digits(s, 11, 2);
        expect(s, 13, ':');
        int minute = digits(s, 14, 2);
        expect(s, 16, ':');
        int second = digits(s, 17, 2);
        if (month < 1 || month > 12) {
            throw invalid(s, "month out of range");
        }
        if (day < 1 || day > daysInMonth(year, month)) {
            throw invalid(s, "day out of range");
        }
        if (hour > 23 || minute > 59 || second > 59) {
            throw invalid(s, "time of day out of range");
        }
        int i = 19;
        int millis = 0;
        if (i < n && s.charAt(i) == '.') {
            i++;
            int start = i;
            int scale = 100;
            while (i < n && isDigit(s.charAt(i))) {
                if (scale > 0) {
                    millis += (s.charAt(i) - '0') * scale;
                    scale /= 10;
                }
                i++;
            }
            if (i == start) {
                throw invalid(s, "no digits after the decimal point");
            }
        }
        if (i >= n) {
            throw invalid(s, "missing time zone ('Z' or an offset such as +01:00)");
        }
        int offsetSeconds;
        char z = s.charAt(i);
        if (z == 'Z') {
            offsetSeconds = 0;
            i++;
        } else if (z == '+' || z == '-') {
            if (n - i != 6) {
                throw invalid(s, "offset must look like +hh:mm");
            }
            int oh = digits(s, i + 1, 2);
            expect(s, i + 3, ':');
            int om = digits(s, i + 4, 2);
            if (oh > 23 || om > 59) {
                throw invalid(s, "offset out of range");
            }
            offsetSeconds = (oh * 3600 + om * 60) * (z == '-' ? -1 : 1);
            i += 6;
        } else {
            throw invalid(s, "missing time zone ('Z' or an offset such as +01:00)");
        }
        if (i != n) {
            throw invalid(s, "unexpected characters after the time zone");
        }
        long days = daysFromCivil(year, month, day);
        long seconds = days * 86400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return seconds * 1000L + millis;
    }

    private static IllegalArgumentException invalid(String s, String why) {
        return new IllegalArgumentException("\"" + abbreviate(s) + "\" is not an RFC 3339 date-time (" + why + ")");
    }

    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }

    private static void expect(String s, int at, char c) {
        if (s.charAt(at) != c) {
            throw invalid(s, "expected '" + c + "' at position " + (at + 1));
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                throw invalid(s, "expected a digit at position " + (i + 1));
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
    private static long daysFromCivil(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long mp = (month + 9) % 12;
        long doy = (153 * mp + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }
}
