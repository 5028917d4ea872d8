package io.stampede.io.kafka;

/**
 * Tells, from a producer's acknowledgements alone, when its broker has stopped answering and when
 * it answers again, so that a replay says so once each way instead of the client's warning per
 * reconnect. The broker counts as silent when records have been waiting for an acknowledgement
 * and none came for {@code silenceNanos}; an idle producer is never silent.
 *
 * <p>Not thread-safe: one watcher thread calls {@link #check}; the times it is given come from
 * the threads that send and acknowledge.
 */
public final class OutageWatch {

    /** What changed at a {@link #check}. */
    public enum Change {
        NONE,
        /** The broker stopped answering: {@link #silentSinceNanos()} is when it last answered. */
        SILENT,
        /** It answered again, {@link #silentNanos()} after it last answered before. */
        BACK
    }

    private final long silenceNanos;
    private boolean silent;
    private long silentSince;
    private long silentFor;

    public OutageWatch(long silenceNanos) {
        this.silenceNanos = silenceNanos;
    }

    /**
     * @param nowNanos the watcher's clock ({@link System#nanoTime()})
     * @param waiting records handed to the producer and not yet acknowledged (or failed)
     * @param lastAnswerNanos when the broker last acknowledged a record, or when records started
     *     waiting after none had been, whichever is later
     */
    public Change check(long nowNanos, long waiting, long lastAnswerNanos) {
        if (!silent) {
            if (waiting > 0 && nowNanos - lastAnswerNanos >= silenceNanos) {
                silent = true;
                silentSince = lastAnswerNanos;
                return Change.SILENT;
            }
            return Change.NONE;
        }
        if (lastAnswerNanos != silentSince) {
            silent = false;
            silentFor = lastAnswerNanos - silentSince;
            return Change.BACK;
        }
        return Change.NONE;
    }

    public boolean silent() {
        return silent;
    }

    /** When the broker last answered before the current (or last) silence. */
    public long silentSinceNanos() {
        return silentSince;
    }

    /** How long the last silence lasted, from the last answer before it to the first after it. */
    public long silentNanos() {
        return silentFor;
    }
}
