package io.stampede.deliver;

import io.stampede.alert.Alert;

/**
 * One item in a receiver's queue: what is posted, the alert state it delivers, and the ticket that
 * tells the state's feed when the item is done with.
 *
 * @param state the state this item delivers for the first time, or {@code null} for a re-send (a
 *     later re-send stands in for a lost one, so only first sends are recorded when they fail)
 */
record Outgoing<T>(T payload, Alert state, Ticket ticket) {

    static <T> Outgoing<T> resend(T payload) {
        return new Outgoing<>(payload, null, Ticket.NONE);
    }

    boolean isResend() {
        return state == null;
    }
}
