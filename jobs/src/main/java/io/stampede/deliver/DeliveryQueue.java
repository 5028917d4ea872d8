package io.stampede.deliver;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The bounded queue between the books and one receiver's sender. Offering never blocks, so a slow
 * or unreachable receiver holds up nothing but its own queue; when the queue is full the oldest
 * re-send is dropped first (the next re-send carries the same alert again), and only when no
 * re-send is left the oldest entry of any kind. Every drop is counted and told to the queue's drop
 * listener. Thread-safe.
 */
final class DeliveryQueue<T> {

    /** How many entries were dropped for room, by kind. */
    record Drops(long resends, long fresh) {
        long total() {
            return resends + fresh;
        }
    }

    private record Entry<T>(T item, boolean resend) {}

    private final int capacity;
    private final Consumer<T> onDrop;
    private final ArrayDeque<Entry<T>> entries = new ArrayDeque<>();
    private int inFlight;
    private long droppedResends;
    private long droppedFresh;

    DeliveryQueue(int capacity) {
        this(capacity, dropped -> { });
    }

    /** @param onDrop told of every entry dropped for room, on the thread that offered the newer one */
    DeliveryQueue(int capacity, Consumer<T> onDrop) {
        this.capacity = capacity;
        this.onDrop = onDrop;
    }

    int capacity() {
        return capacity;
    }

    /** @param resend whether {@code item} repeats something already sent (so it may go first when full) */
    synchronized void offer(T item, boolean resend) {
        if (entries.size() >= capacity) {
            dropOne();
        }
        entries.addLast(new Entry<>(item, resend));
        notifyAll();
    }

    private void dropOne() {
        Iterator<Entry<T>> it = entries.iterator();
        while (it.hasNext()) {
            Entry<T> e = it.next();
            if (e.resend()) {
                it.remove();
                droppedResends++;
                onDrop.accept(e.item());
                return;
            }
        }
        droppedFresh++;
        onDrop.accept(entries.removeFirst().item());
    }

    /**
     * Up to {@code max} entries, oldest first, waiting up to {@code waitMillis} for the first; they
     * count as in flight until {@link #done}.
     */
    synchronized List<T> take(int max, long waitMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (entries.isEmpty()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return List.of();
            }
            wait(left);
        }
        List<T> batch = new ArrayList<>(Math.min(max, entries.size()));
        while (batch.size() < max && !entries.isEmpty()) {
            batch.add(entries.removeFirst().item());
        }
        inFlight += batch.size();
        return batch;
    }

    synchronized void done(int count) {
        inFlight -= count;
        notifyAll();
    }

    /** Nothing waiting and nothing in flight. */
    synchronized boolean idle() {
        return entries.isEmpty() && inFlight == 0;
    }

    synchronized Drops drops() {
        return new Drops(droppedResends, droppedFresh);
    }
}
