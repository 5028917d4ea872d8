package io.stampede.sim;

/**
 * The weekly rhythm of one kind of traffic in a region on UTC time: a weekday curve (low at night,
 * a morning ramp, a working-hours plateau, an evening decline) and a weekend curve whose day holds
 * {@code weekendRatio} of a weekday's traffic. {@link #at} is scaled so that its mean over a week
 * is 1: a per-device daily rate times the shape is the rate at that time of the week.
 */
final class DailyShape {

    private static final long HOUR_MS = 3_600_000;
    private static final long DAY_MS = 24 * HOUR_MS;
    /** 1970-01-01 was a Thursday: days since the epoch plus this, modulo 7, is 0 on Mondays. */
    private static final int EPOCH_DAY_TO_MONDAY = 3;

    /** Interactive logins: people at work; the weekend is late and flat. */
    static final DailyShape INTERACTIVE = new DailyShape(0.4,
            new double[] {0, 0.10, 3, 0.05, 5, 0.07, 6, 0.18, 7, 0.45, 8, 0.80, 9, 1.0, 12, 0.95, 13, 0.88, 14, 1.0,
                17, 0.92, 18, 0.65, 20, 0.42, 22, 0.24, 24, 0.10},
            new double[] {0, 0.14, 3, 0.06, 7, 0.08, 9, 0.30, 11, 0.45, 15, 0.45, 18, 0.40, 21, 0.34, 23, 0.20,
                24, 0.14});

    /** Token refreshes: clients of devices that are on, flatter than people, never zero. */
    static final DailyShape TOKEN_REFRESH = new DailyShape(0.4,
            new double[] {0, 0.25, 5, 0.20, 7, 0.50, 9, 1.0, 17, 1.0, 19, 0.70, 22, 0.45, 24, 0.25},
            new double[] {0, 0.30, 6, 0.25, 8, 0.30, 11, 0.60, 18, 0.60, 22, 0.42, 24, 0.30});

    /** Boots: a power-on peak in the morning; updates and crashes spread over the day and the week. */
    static final DailyShape BOOTS = new DailyShape(0.5,
            new double[] {0, 0.15, 5, 0.12, 7, 0.60, 8, 1.0, 9, 0.90, 10, 0.60, 12, 0.55, 13, 0.62, 17, 0.50, 19, 0.40,
                22, 0.25, 24, 0.15},
            new double[] {0, 0.15, 6, 0.12, 9, 0.40, 11, 0.50, 17, 0.40, 22, 0.25, 24, 0.15});

    private final double[] weekday;
    private final double[] weekend;
    private final double weekdayScale;
    private final double weekendScale;

    /**
     * @param weekday a weekday's curve: pairs of hour of the day (0 to 24, rising) and level, smoothed
     *     between them by cosine interpolation
     * @param weekend a weekend day's curve, likewise; only its shape counts, {@code weekendRatio} its size
     */
    DailyShape(double weekendRatio, double[] weekday, double[] weekend) {
        this.weekday = weekday.clone();
        this.weekend = weekend.clone();
        double weekdayMean = dayMean(weekday);
        double weekendMean = dayMean(weekend);
        // Scale the weekend to its share of a weekday, then the week to a mean of 1.
        double weekMean = (5 * weekdayMean + 2 * weekendRatio * weekdayMean) / 7;
        this.weekdayScale = 1 / weekMean;
        this.weekendScale = weekendRatio * weekdayMean / weekendMean / weekMean;
    }

    /** The level at {@code epochMs}, relative to the week's mean. */
    double at(long epochMs) {
        long day = Math.floorDiv(epochMs, DAY_MS);
        double hour = (epochMs - day * DAY_MS) / (double) HOUR_MS;
        boolean isWeekend = Math.floorMod(day + EPOCH_DAY_TO_MONDAY, 7) >= 5;
        return isWeekend ? weekendScale * level(weekend, hour) : weekdayScale * level(weekday, hour);
    }

    private static double level(double[] curve, double hour) {
        int i = 0;
        while (i + 3 < curve.length && curve[i + 2] <= hour) {
            i += 2;
        }
        double h0 = curve[i];
        double h1 = curve[i + 2];
        double x = Math.max(0, Math.min(1, (hour - h0) / (h1 - h0)));
        double w = (1 - Math.cos(Math.PI * x)) / 2;
        return curve[i + 1] + w * (curve[i + 3] - curve[i + 1]);
    }

    /** The mean level over a day, by the minute. */
    private static double dayMean(double[] curve) {
        double sum = 0;
        int minutes = 24 * 60;
        for (int m = 0; m < minutes; m++) {
            sum += level(curve, (m + 0.5) / 60);
        }
        return sum / minutes;
    }
}
