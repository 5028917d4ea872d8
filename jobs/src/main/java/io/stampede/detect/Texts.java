package io.stampede.detect;

import java.util.Locale;

/** Numbers and durations the way an alert shows them. */
final class Texts {

    private Texts() {}

    /** A rate: no decimals from 100 up, one below, thousands separated. */
    static String rate(double v) {
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    static String ratio(double v) {
        return v >= 10 ? String.format(Locale.ROOT, "%.0f×", v) : String.format(Locale.ROOT, "%.1f×", v);
    }

    /** "45 s", "3 min 40 s", "2 h 5 min". */
    static String duration(long ms) {
        long s = Math.max(0, Math.round(ms / 1000.0));
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
        }
        return (s / 3600) + " h" + ((s % 3600) / 60 == 0 ? "" : " " + ((s % 3600) / 60) + " min");
    }

    /** Three decimals, as alerts carry their numbers. */
    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
