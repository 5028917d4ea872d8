package io.stampede.io.kafka;

import java.util.Locale;

/**
 * How fast a replay plays event time: as fast as the broker takes it ({@code max}), or a multiple
 * of real time ({@code realtime} = {@code 1x}, {@code 10x}, {@code 0.5x}).
 *
 * @param factor event-time seconds played per wall-clock second; infinite for {@code max}
 */
public record ReplaySpeed(double factor) {

    public static final ReplaySpeed MAX = new ReplaySpeed(Double.POSITIVE_INFINITY);
    public static final ReplaySpeed REALTIME = new ReplaySpeed(1);

    /** The fastest pace that still means something: one event-time hour per wall-clock millisecond. */
    static final double MAX_FACTOR = 3_600_000;

    private static final long MAX_DUE_NANOS = Long.MAX_VALUE / 4;

    public ReplaySpeed {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("a replay speed must be positive, got " + factor);
        }
    }

    /**
     * Reads {@code max}, {@code realtime} or {@code <N>x} (N a positive number, e.g. {@code 10x},
     * {@code 2.5x}).
     *
     * @throws IllegalArgumentException with a message a person can act on
     */
    public static ReplaySpeed parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("max")) {
            return MAX;
        }
        if (s.equals("realtime")) {
            return REALTIME;
        }
        if (s.endsWith("x") && s.length() > 1) {
            String number = s.substring(0, s.length() - 1);
            if (number.matches("[0-9]+(\\.[0-9]+)?|\\.[0-9]+")) {
                double f = Double.parseDouble(number);
                if (f > 0 && f <= MAX_FACTOR) {
                    return new ReplaySpeed(f);
                }
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a replay speed: use max, realtime or a factor of "
                + "real time such as 10x or 0.5x (greater than 0x, at most " + (long) MAX_FACTOR + "x)");
    }

    public boolean isMax() {
        return Double.isInfinite(factor);
    }

    /**
     * Wall-clock nanoseconds after a replay's start at which a record {@code eventMillis} of event
     * time after the replay's first event is due (capped at about 70 years, so that adding it to
     * a {@link System#nanoTime()} reading cannot overflow).
     */
    public long dueNanos(long eventMillis) {
        if (isMax() || eventMillis <= 0) {
            return 0;
        }
        double nanos = eventMillis * 1_000_000.0 / factor;
        return nanos >= MAX_DUE_NANOS ? MAX_DUE_NANOS : (long) nanos;
    }

    @Override
    public String toString() {
        if (isMax()) {
            return "max";
        }
        if (factor == 1) {
            return "realtime";
        }
        return (factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor)) + "x";
    }
}
