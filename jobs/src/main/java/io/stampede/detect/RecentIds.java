package io.stampede.detect;

import com.carrotsearch.hppc.LongHashSet;

/**
 * The event ids one parallel instance of the accept stage has seen recently, to drop duplicates of
 * every event it accepts, before any of them reaches the device stage. Ids are kept as 64-bit hashes in two
 * generations: new ids go into the current one, and when the watermark has moved a whole dedup
 * window past the current generation's start it becomes the previous one and the oldest is
 * dropped. An id is therefore remembered for at least one dedup window of event time after it was
 * seen, and at most two.
 *
 * <p>This is exact only if every copy of an event reaches the same instance: true when an event's
 * copies stay in one partition or file, which Kafka's keying by device and the replay guarantee.
 * Copies spread over partitions read by different instances are each counted once per instance.
 * Two different ids collide (one dropped as a duplicate of the other) with a probability of about
 * n&sup2;/2<sup>65</sup> for n remembered ids: below 10<sup>-5</sup> for 10 million.
 */
public final class RecentIds {

    private final long windowMs;
    private LongHashSet current = new LongHashSet();
    private LongHashSet previous = new LongHashSet();
    private long currentSince = Long.MIN_VALUE;

    public RecentIds(long windowMs) {
        this.windowMs = windowMs;
    }

    /** Records the id; false if it was seen within the window (a duplicate). */
    public boolean add(String eventId) {
        long h = hash(eventId);
        if (previous.contains(h)) {
            return false;
        }
        return current.add(h);
    }

    /** Moves the generations on with the watermark. */
    public void advance(long watermark) {
        if (currentSince == Long.MIN_VALUE) {
            currentSince = watermark;
        } else if (watermark - currentSince >= windowMs) {
            LongHashSet dropped = previous;
            previous = current;
            dropped.clear();
            current = dropped;
            currentSince = watermark;
        }
    }

    public int size() {
        return current.size() + previous.size();
    }

    /** What a checkpoint keeps. */
    public Snapshot snapshot() {
        return new Snapshot(currentSince, current.toArray(), previous.toArray());
    }

    public static RecentIds restore(long windowMs, Snapshot snapshot) {
        RecentIds ids = new RecentIds(windowMs);
        ids.currentSince = snapshot.currentSince;
        ids.current.addAll(snapshot.current);
        ids.previous.addAll(snapshot.previous);
        return ids;
    }

    /** Adds the ids of another snapshot (two restored into one instance after a change of parallelism). */
    public void addAll(Snapshot snapshot) {
        current.addAll(snapshot.current);
        previous.addAll(snapshot.previous);
        currentSince = Math.max(currentSince, snapshot.currentSince);
    }

    /** 64-bit FNV-1a of the id's characters. */
    public static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** A Flink POJO of the two generations. */
    public static class Snapshot {
        public long currentSince;
        public long[] current;
        public long[] previous;

        public Snapshot() {}

        public Snapshot(long currentSince, long[] current, long[] previous) {
            this.currentSince = currentSince;
            this.current = current;
            this.previous = previous;
        }
    }
}
