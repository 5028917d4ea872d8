package io.stampede.deliver;

import io.stampede.config.StampedeConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When to try a failed request again: after a network error, a 5xx or a 429, up to
 * {@code maxAttempts} attempts in all, waiting an exponentially growing step between attempts with
 * jitter (so that many senders recovering at once do not retry in step), at least what the
 * receiver asked for in Retry-After, and never longer than {@code maxBackoff}.
 */
record RetryPolicy(Duration initialBackoff, Duration maxBackoff, int maxAttempts) {

    static RetryPolicy of(StampedeConfig.Retry retry) {
        return new RetryPolicy(retry.initialBackoff(), retry.maxBackoff(), retry.maxAttempts());
    }

    /** Overload (429) and server errors pass; other answers would be the same the next time. */
    static boolean retryable(int status) {
        return status == 429 || status >= 500;
    }

    /**
     * The wait after the {@code failedAttempts}-th failed attempt (1 for the first): the step
     * {@code initialBackoff × 2^(failedAttempts-1)} capped at {@code maxBackoff}; half of it fixed,
     * the other half scaled by {@code jitter}; raised to Retry-After if the receiver sent one; then
     * capped at {@code maxBackoff}.
     *
     * @param jitter a random number in [0, 1)
     */
    Duration delay(int failedAttempts, Optional<Duration> retryAfter, double jitter) {
        long stepMillis = initialBackoff.toMillis();
        for (int i = 1; i < failedAttempts && stepMillis < maxBackoff.toMillis(); i++) {
            stepMillis *= 2;
        }
        stepMillis = Math.min(stepMillis, maxBackoff.toMillis());
        long waitMillis = stepMillis / 2 + Math.round(jitter * (stepMillis - stepMillis / 2));
        Duration wait = Duration.ofMillis(waitMillis);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(wait) > 0) {
            wait = retryAfter.get();
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    /** A Retry-After header: delay-seconds or an HTTP date; empty if absent or unreadable. */
    static Optional<Duration> retryAfter(Optional<String> header, Instant now) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
