package io.stampede.deliver;

/** What became of one request, retries included. */
enum SendOutcome {
    /** The receiver took it (2xx). */
    DELIVERED,
    /** The receiver refused it for good (4xx other than 429): sending it again would not help. */
    REJECTED,
    /** Every attempt failed (network error, 5xx, 429). */
    GAVE_UP
}
