package io.stampede.detect;

import io.stampede.admission.AttemptClass;
import io.stampede.event.Trigger;

/** Maps a login's trigger and attempt number to the admission layer's {@link AttemptClass}. */
public final class AttemptClasses {

    private static final AttemptClass[] VALUES = AttemptClass.values();

    private AttemptClasses() {}

    public static AttemptClass of(Trigger trigger, int attempt) {
        if (attempt > 1) {
            return AttemptClass.RETRY;
        }
        return switch (trigger) {
            case INTERACTIVE -> AttemptClass.INTERACTIVE;
            case TOKEN_REFRESH -> AttemptClass.TOKEN_REFRESH;
            case AUTO -> AttemptClass.AUTO;
        };
    }

    public static AttemptClass of(int ordinal) {
        return VALUES[ordinal];
    }
}
