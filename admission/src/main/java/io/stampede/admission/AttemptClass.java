package io.stampede.admission;

/**
 * Classes of login attempt in the order the admission layer serves them: interactive first, token
 * refresh next, automatic logins and retries (any attempt after the first) last.
 */
public enum AttemptClass {
    INTERACTIVE,
    TOKEN_REFRESH,
    AUTO,
    RETRY;

    /**
     * @param trigger the attempt's trigger as the login contract names it (AUTO, INTERACTIVE, TOKEN_REFRESH)
     * @param attempt 1 for a first attempt
     */
    public static AttemptClass of(String trigger, int attempt) {
        if (attempt > 1) {
            return RETRY;
        }
        return switch (trigger) {
            case "INTERACTIVE" -> INTERACTIVE;
            case "TOKEN_REFRESH" -> TOKEN_REFRESH;
            case "AUTO" -> AUTO;
            default -> throw new IllegalArgumentException("unknown trigger " + trigger);
        };
    }
}
