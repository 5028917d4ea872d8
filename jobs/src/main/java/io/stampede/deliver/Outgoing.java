package io.stampede.deliver;

import io.stampede.alert.Alert;

/**
 * One item in a receiver's queue: what is posted, and the alert state it delivers.
 *
 * @param state the state this item delivers for the first time, or {@code null} for a re-send (a
 *     later re-send stands in for a lost one, so only first sends are recorded when they fail)
 */
record Outgoing<T>(T payload, Alert state) {

    static <T> Outgoing<T> resend(T payload) {
        return new Outgoing<>(payload, null);
    }

    boolean isResend() {
        return state == null;
    }
}
