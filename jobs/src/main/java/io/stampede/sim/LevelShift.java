package io.stampede.sim;

import io.stampede.admission.AttemptClass;

/**
 * A new client rolled out at once: from {@code at} on, interactive and token-refresh attempts stay
 * at {@code multiplier} times their former level. The alert it may raise must end, because this is
 * the new normal.
 */
final class LevelShift implements Disturbance {

    private final long at;
    private final double multiplier;

    LevelShift(long at, double multiplier) {
        this.at = at;
        this.multiplier = multiplier;
    }

    @Override
    public double loginFactor(AttemptClass cls, long t) {
        boolean shifted = t >= at && (cls == AttemptClass.INTERACTIVE || cls == AttemptClass.TOKEN_REFRESH);
        return shifted ? multiplier : 1;
    }
}
