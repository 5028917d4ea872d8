package io.stampede.io.kafka;

/**
 * Holds a replay to its {@link ReplaySpeed}: says how long to wait before publishing a record of a
 * given event time. The first record sets the origin (its event time is published at once); later
 * records are due {@code (eventTime - origin) / speed} after it.
 *
 * <p>Recorded streams are slightly out of order, so the replay clock follows the highest event
 * time seen: a record older than that is published at once, never waited for again. A replay
 * that fell behind (a slow broker) publishes without waiting until it has caught up, so event
 * time and wall-clock time stay in step over the whole run.
 */
public final class ReplayPacer {

    private final ReplaySpeed speed;
    private boolean started;
    private long originEventMillis;
    private long originNanos;
    private long highestEventMillis;

    public ReplayPacer(ReplaySpeed speed) {
        this.speed = speed;
    }

    /**
     * How long to wait, in nanoseconds, before publishing a record of event time
     * {@code eventMillis} when the wall clock reads {@code nowNanos} ({@link System#nanoTime()}).
     */
    public long waitNanos(long eventMillis, long nowNanos) {
        if (!started) {
            started = true;
            originEventMillis = eventMillis;
            originNanos = nowNanos;
            highestEventMillis = eventMillis;
            return 0;
        }
        if (eventMillis <= highestEventMillis) {
            return 0;
        }
        highestEventMillis = eventMillis;
        if (speed.isMax()) {
            return 0;
        }
        long due = originNanos + speed.dueNanos(eventMillis - originEventMillis);
        return Math.max(0, due - nowNanos);
    }

    /** The highest event time seen so far ({@link Long#MIN_VALUE} before the first record). */
    public long eventClock() {
        return started ? highestEventMillis : Long.MIN_VALUE;
    }
}
