package io.stampede.deliver;

import java.time.Duration;

/**
 * One queued item of a handed-over alert state, as the feed that read the state sees it: the feed
 * moves its saved position past the state only once every ticket of it is settled.
 */
interface Ticket {

    /** For states whose feed keeps no position (a file replay, a test). */
    Ticket NONE = new Ticket() {
        @Override
        public void settled() {}

        @Override
        public boolean awaitSaved(Duration max) {
            return true;
        }
    };

    /** The item was delivered, or recorded as failed: a restart need not send it again. */
    void settled();

    /**
     * Waits until the feed has saved its position since this ticket was settled, so a restart will
     * not send the item again; false if {@code max} passed first.
     */
    boolean awaitSaved(Duration max) throws InterruptedException;
}
