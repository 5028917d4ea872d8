package io.stampede.sim;

import io.stampede.admission.AttemptClass;

/**
 * Something that happens every day at the same time (a scheduled job that makes every client sign
 * in again, a shift change): interactive and token-refresh attempts step up to {@code multiplier}
 * times their normal level at {@code hourOfDay} UTC and back down after {@code durationMs}, on top
 * of the daily shape. A baseline that learns the day should stop seeing it as a surge.
 */
final class DailyStep implements Disturbance {

    private static final long DAY_MS = 86_400_000;
    private static final long HOUR_MS = 3_600_000;

    private final long startOfDayMs;
    private final long durationMs;
    private final double multiplier;

    DailyStep(int hourOfDay, long durationMs, double multiplier) {
        this.startOfDayMs = hourOfDay * HOUR_MS;
        this.durationMs = durationMs;
        this.multiplier = multiplier;
    }

    @Override
    public double loginFactor(AttemptClass cls, long t) {
        if (cls != AttemptClass.INTERACTIVE && cls != AttemptClass.TOKEN_REFRESH) {
            return 1;
        }
        long inDay = Math.floorMod(t, DAY_MS) - startOfDayMs;
        return inDay >= 0 && inDay < durationMs ? multiplier : 1;
    }
}
