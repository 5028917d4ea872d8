package io.stampede.deliver;

/** Where a handed-over alert state came from, as far as each receiver is concerned. */
interface Origin {

    /** A state from a source that keeps no position: new to every receiver, nothing to settle. */
    Origin NONE = new Origin() {
        @Override
        public boolean deliveredBefore(String receiver) {
            return false;
        }

        @Override
        public Ticket queued(String receiver) {
            return Ticket.NONE;
        }
    };

    /**
     * Whether {@code receiver} was done with this state before the deliverer (re)started: the
     * state is then learnt from, not sent again.
     */
    boolean deliveredBefore(String receiver);

    /** One more item of this state is queued for {@code receiver}; settle the ticket when it is done. */
    Ticket queued(String receiver);
}
