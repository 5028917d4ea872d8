package io.stampede.deliver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts JSON to one receiver endpoint, retrying as {@link RetryPolicy} says. What it logs passes
 * through {@code redact} first, so a secret in a request can never reach the log, even if the
 * receiver echoes it in an error response.
 */
final class JsonPoster {

    private static final Logger LOG = LoggerFactory.getLogger(JsonPoster.class);
    /** Enough of an error response to say what was wrong, not a whole HTML error page. */
    private static final int MAX_LOGGED_BODY = 2000;
    /** What of it goes into the failed-deliveries record: one line per alert state, so shorter. */
    private static final int MAX_REASON_BODY = 500;

    private final String receiver;
    private final HttpClient http;
    private final URI uri;
    private final Duration timeout;
    private final RetryPolicy retry;
    private final UnaryOperator<String> redact;
    private final Clock clock;

    JsonPoster(String receiver, HttpClient http, URI uri, Duration timeout, RetryPolicy retry,
            UnaryOperator<String> redact, Clock clock) {
        this.receiver = receiver;
        this.http = http;
        this.uri = uri;
        this.timeout = timeout;
        this.retry = retry;
        this.redact = redact;
        this.clock = clock;
    }

    /** @param what says what is posted, for the log (never secret) */
    SendResult post(byte[] json, String what) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("User-Agent", "stampede-deliver")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        for (int attempt = 1; ; attempt++) {
            String problem;
            Integer lastStatus = null;
            Optional<Duration> retryAfter = Optional.empty();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    LOG.debug("{}: delivered {}", receiver, what);
                    return SendResult.delivered(attempt, status);
                }
                lastStatus = status;
                String body = shortened(redact.apply(response.body()), MAX_LOGGED_BODY);
                if (!RetryPolicy.retryable(status)) {
                    LOG.warn("{}: {} refused {} with HTTP {}, not retrying: {}", receiver, uri, what, status, body);
                    return new SendResult(SendOutcome.REJECTED, attempt, status,
                            "HTTP " + status + answer(shortened(body, MAX_REASON_BODY)));
                }
                problem = "HTTP " + status + answer(shortened(body, MAX_REASON_BODY));
                retryAfter = RetryPolicy.retryAfter(response.headers().firstValue("Retry-After"), clock.instant());
            } catch (IOException e) {
                problem = e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + redact.apply(e.getMessage()));
            }
            if (attempt >= retry.maxAttempts()) {
                LOG.warn("{}: could not deliver {} to {} after {} attempts, last: {}", receiver, what, uri, attempt,
                        problem);
                return new SendResult(SendOutcome.GAVE_UP, attempt, lastStatus, problem);
            }
            Duration wait = retry.delay(attempt, retryAfter, ThreadLocalRandom.current().nextDouble());
            LOG.warn("{}: posting {} to {} failed ({}), attempt {} of {}; next in {} ms", receiver, what, uri, problem,
                    attempt, retry.maxAttempts(), wait.toMillis());
            Thread.sleep(wait.toMillis());
        }
    }

    private static String answer(String body) {
        return body.isEmpty() ? "" : ": " + body;
    }

    private static String shortened(String body, int max) {
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "…";
    }
}
