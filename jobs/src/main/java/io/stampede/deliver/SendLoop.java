package io.stampede.deliver;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One receiver's sending thread: takes batches from its queue, oldest first, and sends them; a
 * batch is done (delivered, refused or given up, and so told to {@link Outcomes}) before the next is
 * taken, so the receiver sees an alert's states in the order they came.
 */
final class SendLoop<T> implements AutoCloseable {

    /** Sends one batch, retries included. */
    interface Sender<T> {
        SendResult send(List<T> batch) throws InterruptedException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(SendLoop.class);
    /** How often an idle loop looks whether it was closed. */
    private static final long POLL_MILLIS = 200;

    private final String receiver;
    private final DeliveryQueue<Outgoing<T>> queue;
    private final int batchSize;
    private final Sender<T> sender;
    private final Outcomes<T> outcomes;
    private final Duration awaitSaved;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param awaitSaved how long to wait after each batch until its feed has saved its position past
     *     it, before sending the next; {@code null}: do not wait
     */
    SendLoop(String receiver, DeliveryQueue<Outgoing<T>> queue, int batchSize, Sender<T> sender, Outcomes<T> outcomes,
            Duration awaitSaved) {
        this.receiver = receiver;
        this.awaitSaved = awaitSaved;
        this.queue = queue;
        this.batchSize = batchSize;
        this.sender = sender;
        this.outcomes = outcomes;
        this.thread = new Thread(this::run, "deliver-" + receiver);
        // Never keeps the process alive by itself: the command decides when delivery is over.
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            List<Outgoing<T>> batch;
            try {
                batch = queue.take(batchSize, POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (batch.isEmpty()) {
                continue;
            }
            try {
                SendResult result;
                try {
                    result = sender.send(batch.stream().map(Outgoing::payload).toList());
                } catch (RuntimeException e) {
                    // A bug in one batch must not end delivery for good.
                    LOG.error("{}: sending {} item(s) failed unexpectedly", receiver, batch.size(), e);
                    result = new SendResult(SendOutcome.GAVE_UP, 1, null, "unexpected " + e);
                }
                outcomes.sent(batch, result);
            } catch (InterruptedException e) {
                return;
            } finally {
                queue.done(batch.size());
            }
            if (awaitSaved != null && !awaitSaved(batch)) {
                return;
            }
        }
    }

    /** False if interrupted. */
    private boolean awaitSaved(List<Outgoing<T>> batch) {
        try {
            for (Outgoing<T> item : batch) {
                if (!item.ticket().awaitSaved(awaitSaved)) {
                    LOG.warn("{}: the alerts topic position was not saved within {} ms; sending on, so a crash now "
                            + "would send the last item again", receiver, awaitSaved.toMillis());
                }
            }
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Stops at once: a request in flight is abandoned ({@link Deliverer#close} lets the queue drain first). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
    }
}
