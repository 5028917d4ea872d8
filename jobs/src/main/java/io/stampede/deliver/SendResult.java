package io.stampede.deliver;

/**
 * What became of one request, retries included, with what the last attempt met.
 *
 * @param attempts requests made
 * @param httpStatus the last HTTP status received, or {@code null} if there was none (network error)
 * @param reason the last error, for people (secrets masked); empty when delivered
 */
record SendResult(SendOutcome outcome, int attempts, Integer httpStatus, String reason) {

    static SendResult delivered(int attempts, int httpStatus) {
        return new SendResult(SendOutcome.DELIVERED, attempts, httpStatus, "");
    }
}
