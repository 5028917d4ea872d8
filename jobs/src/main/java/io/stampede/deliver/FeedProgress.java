package io.stampede.deliver;

import com.fasterxml.jackson.core.type.TypeReference;
import io.stampede.io.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * How far each receiver is done with the alerts topic, partition by partition: the position to save
 * for a receiver is the offset of its oldest state still queued or in flight (or, with none, the
 * offset after the last record read), so a restart resumes where something was not yet delivered
 * nor recorded as failed. A receiver ahead of another keeps its own position (saved in the commit's
 * metadata), so a slow Alertmanager does not make PagerDuty send again what it already took.
 *
 * <p>Thread-safe: the feed reads and saves, each receiver's sender settles.
 */
final class FeedProgress {

    private final List<String> receivers;
    /** receiver → partition → offset → items still to settle. */
    private final Map<String, Map<Integer, TreeMap<Long, Integer>>> pending = new HashMap<>();
    /** receiver → partition → the offset after the last record read (or the start). */
    private final Map<String, Map<Integer, Long>> next = new HashMap<>();
    private long generation;
    private long savedGeneration = -1;

    /** @param start receiver → partition → the offset it resumes from */
    FeedProgress(List<String> receivers, Map<String, Map<Integer, Long>> start) {
        this.receivers = List.copyOf(receivers);
        for (String r : receivers) {
            pending.put(r, new HashMap<>());
            next.put(r, new HashMap<>(start.get(r)));
        }
    }

    /** A record was read (whether or not anything is queued for it). */
    synchronized void read(int partition, long offset) {
        for (String r : receivers) {
            next.get(r).merge(partition, offset + 1, Math::max);
        }
        generation++;
    }

    /** The origin of the state read at {@code offset}, to hand over with it. */
    Origin origin(int partition, long offset, Predicate<String> deliveredBefore) {
        return new Origin() {
            @Override
            public boolean deliveredBefore(String receiver) {
                return deliveredBefore.test(receiver);
            }

            @Override
            public Ticket queued(String receiver) {
                return ticket(receiver, partition, offset);
            }
        };
    }

    private synchronized Ticket ticket(String receiver, int partition, long offset) {
        pending.get(receiver).computeIfAbsent(partition, p -> new TreeMap<>()).merge(offset, 1, Integer::sum);
        return new Ticket() {
            private long settledAt = -1;

            @Override
            public void settled() {
                synchronized (FeedProgress.this) {
                    if (settledAt >= 0) {
                        return;
                    }
                    TreeMap<Long, Integer> offsets = pending.get(receiver).get(partition);
                    if (offsets.merge(offset, -1, Integer::sum) == 0) {
                        offsets.remove(offset);
                    }
                    settledAt = ++generation;
                }
            }

            @Override
            public boolean awaitSaved(Duration max) throws InterruptedException {
                long deadline = System.nanoTime() + max.toNanos();
                synchronized (FeedProgress.this) {
                    while (savedGeneration < settledAt) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return false;
                        }
                        FeedProgress.this.wait(Math.max(1, left / 1_000_000));
                    }
                    return true;
                }
            }
        };
    }

    /** Changes with every read and settlement: nothing new to save while it stays the same. */
    synchronized long generation() {
        return generation;
    }

    /** receiver → the position to save for it on {@code partition}. */
    synchronized Map<String, Long> positions(int partition) {
        Map<String, Long> positions = new TreeMap<>();
        for (String r : receivers) {
            long position = next.get(r).get(partition);
            TreeMap<Long, Integer> offsets = pending.get(r).get(partition);
            if (offsets != null && !offsets.isEmpty()) {
                position = Math.min(position, offsets.firstKey());
            }
            positions.put(r, position);
        }
        return positions;
    }

    /** The positions taken at {@code generation} are saved: tickets settled until then are safe. */
    synchronized void saved(long generation) {
        savedGeneration = Math.max(savedGeneration, generation);
        notifyAll();
    }

    /** The positions of one partition as saved in a commit's metadata. */
    static String metadata(Map<String, Long> positions) {
        return Json.write(positions);
    }

    /** The positions a commit's metadata holds; empty if it holds none (or was written by an older Stampede). */
    static Map<String, Long> positions(String metadata) {
        if (metadata == null || metadata.isBlank()) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readValue(metadata, new TypeReference<Map<String, Long>>() {});
        } catch (IOException e) {
            return Map.of();
        }
    }
}
