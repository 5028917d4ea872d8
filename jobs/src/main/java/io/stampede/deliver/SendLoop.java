package io.stampede.deliver;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One receiver's sending thread: takes batches from its queue, oldest first, and sends them; a
 * batch is done (delivered, refused or given up) before the next is taken, so the receiver sees
 * an alert's states in the order they came.
 */
final class SendLoop<T> implements AutoCloseable {

    /** Sends one batch, retries included. */
    interface Sender<T> {
        SendOutcome send(List<T> batch) throws InterruptedException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(SendLoop.class);
    /** How often an idle loop looks whether it was closed. */
    private static final long POLL_MILLIS = 200;

    private final String receiver;
    private final DeliveryQueue<T> queue;
    private final int batchSize;
    private final Sender<T> sender;
    private final Thread thread;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong gaveUp = new AtomicLong();
    private volatile boolean running = true;

    SendLoop(String receiver, DeliveryQueue<T> queue, int batchSize, Sender<T> sender) {
        this.receiver = receiver;
        this.queue = queue;
        this.batchSize = batchSize;
        this.sender = sender;
        this.thread = new Thread(this::run, "deliver-" + receiver);
        // Never keeps the process alive by itself: the command decides when delivery is over.
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            List<T> batch;
            try {
                batch = queue.take(batchSize, POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (batch.isEmpty()) {
                continue;
            }
            try {
                count(sender.send(batch), batch.size());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A bug in one batch must not end delivery for good.
                LOG.error("{}: sending {} item(s) failed unexpectedly", receiver, batch.size(), e);
                gaveUp.addAndGet(batch.size());
            } finally {
                queue.done(batch.size());
            }
        }
    }

    private void count(SendOutcome outcome, int items) {
        switch (outcome) {
            case DELIVERED -> delivered.addAndGet(items);
            case REJECTED -> rejected.addAndGet(items);
            case GAVE_UP -> gaveUp.addAndGet(items);
        }
    }

    ReceiverCounts counts() {
        DeliveryQueue.Drops drops = queue.drops();
        return new ReceiverCounts(receiver, delivered.get(), rejected.get(), gaveUp.get(), drops.resends(),
                drops.fresh());
    }

    /** Stops at once: a request in flight is abandoned ({@link Deliverer#close} lets the queue drain first). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
    }
}
