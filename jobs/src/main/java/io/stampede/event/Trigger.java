package io.stampede.event;

/** Why a login attempt happened. */
public enum Trigger {
    /** The client logged in by itself when it started (e.g. after a reboot). */
    AUTO,
    /** A person asked to log in. */
    INTERACTIVE,
    /** A background renewal of an existing session. */
    TOKEN_REFRESH
}
