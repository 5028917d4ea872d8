package io.stampede.deliver;

import io.stampede.alert.Alert;
import java.time.Instant;

/**
 * One receiver: its lifecycle book, its queue and its sender. Called by {@link Deliverer} under
 * one lock, so the books need none of their own; the sending happens on the channel's own thread.
 */
interface DeliveryChannel extends AutoCloseable {

    /** The receiver's name, as in logs, counts and the failed-deliveries file. */
    String name();

    /** A new alert state, to deliver; each item queued for it takes a ticket from {@code origin}. */
    void accept(Alert alert, Instant now, Origin origin);

    /** A state delivered before this process started, to learn from without delivering it again. */
    void restore(Alert alert);

    /** Called every tick: queue what is due by now (re-sends) and report drops. */
    void tick(Instant now);

    /** Whether the channel still has alerts it will re-send without being given anything new. */
    boolean resending();

    /** Nothing queued and nothing in flight. */
    boolean idle();

    ReceiverCounts counts();

    @Override
    void close() throws InterruptedException;
}
