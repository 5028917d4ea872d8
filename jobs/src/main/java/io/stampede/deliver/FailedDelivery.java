package io.stampede.deliver;

import io.stampede.alert.Alert;
import java.time.Instant;

/**
 * An alert state that did not reach a receiver, as written to the failed-deliveries file
 * ({@code schemas/failed-delivery.schema.json}). It names the state and why it failed, not what
 * the state says: the state itself is in the alerts topic or file, under its alertId.
 *
 * @param request what was sent, e.g. {@code trigger of incident inc-eu-west-1} (never a secret)
 * @param httpStatus the last HTTP status received, or {@code null}
 * @param attempts requests made; 0 when dropped before the first
 */
public record FailedDelivery(
        String time,
        String channel,
        Outcome outcome,
        String alertId,
        String dedupKey,
        String incidentId,
        int sequence,
        String alertStatus,
        String request,
        Integer httpStatus,
        int attempts,
        String reason) {

    /** Why the state is missing at the receiver. */
    public enum Outcome {
        /** The receiver refused it for good (4xx other than 429). */
        REJECTED,
        /** Every attempt failed (network error, 5xx, 429). */
        GAVE_UP,
        /** The receiver's queue was full. */
        DROPPED
    }

    static FailedDelivery of(Instant time, String channel, Outcome outcome, Alert state, String request,
            Integer httpStatus, int attempts, String reason) {
        return new FailedDelivery(Rfc3339.format(time), channel, outcome, state.alertId(), state.dedupKey(),
                state.incidentId(), state.sequence(), state.status().name(), request, httpStatus, attempts, reason);
    }
}
