package io.stampede.sim;

import io.stampede.admission.ThrottleDirective;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Closes the demo's loop inside one JVM: the job's directive stream is written here (with its
 * watermark, which says up to which event time every directive has been issued), and the
 * simulated front door reads the directives back. The simulator waits for the watermark before
 * playing a second whose directives it needs, so the closed loop plays the same on every run,
 * however fast the machine is.
 */
public final class DirectiveBoard {

    private static final Map<String, DirectiveBoard> BOARDS = new ConcurrentHashMap<>();

    private final List<ThrottleDirective> published = new ArrayList<>();
    private final List<Waiter> waiting = new ArrayList<>();
    private volatile long watermark = Long.MIN_VALUE;
    private long polledUpTo = Long.MIN_VALUE;

    private record Waiter(long watermark, CompletableFuture<Void> future) {}

    private DirectiveBoard() {}

    public static DirectiveBoard open(String id) {
        DirectiveBoard board = new DirectiveBoard();
        BOARDS.put(id, board);
        return board;
    }

    public static DirectiveBoard get(String id) {
        DirectiveBoard board = BOARDS.get(id);
        if (board == null) {
            throw new IllegalStateException("no directive board " + id + " in this JVM");
        }
        return board;
    }

    public static void close(String id) {
        DirectiveBoard board = BOARDS.remove(id);
        if (board != null) {
            board.advance(Long.MAX_VALUE);
        }
    }

    synchronized void publish(ThrottleDirective d) {
        published.add(d);
    }

    void advance(long newWatermark) {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (this) {
            if (newWatermark <= watermark) {
                return;
            }
            watermark = newWatermark;
            waiting.removeIf(w -> {
                if (w.watermark() <= newWatermark) {
                    ready.add(w.future());
                    return true;
                }
                return false;
            });
        }
        ready.forEach(f -> f.complete(null));
    }

    public long watermark() {
        return watermark;
    }

    /** Completes once every directive issued at or before {@code time} has been published. */
    public synchronized CompletableFuture<Void> whenComplete(long time) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (isComplete(time)) {
            f.complete(null);
        } else {
            waiting.add(new Waiter(time - 1, f));
        }
        return f;
    }

    /** A directive is issued at a bucket's end, one millisecond after the watermark that closes it. */
    public boolean isComplete(long time) {
        return watermark >= time - 1;
    }

    /** The feed the simulator reads: directives in issue order, each once. */
    public FleetSimulator.DirectiveFeed feed() {
        return upTo -> {
            synchronized (DirectiveBoard.this) {
                List<ThrottleDirective> out = new ArrayList<>();
                for (ThrottleDirective d : published) {
                    long issued = d.issuedAtInstant().toEpochMilli();
                    if (issued > polledUpTo && issued <= upTo) {
                        out.add(d);
                    }
                }
                polledUpTo = Math.max(polledUpTo, upTo);
                out.sort(Comparator.comparing(ThrottleDirective::issuedAt).thenComparing(ThrottleDirective::region));
                return out;
            }
        };
    }

    /** A sink that writes a job's directives, and its watermark, to the board {@code id}. */
    public static Sink<ThrottleDirective> sink(String id) {
        return new BoardSink(id);
    }

    private static final class BoardSink implements Sink<ThrottleDirective> {
        private final String id;

        BoardSink(String id) {
            this.id = id;
        }

        @Override
        public SinkWriter<ThrottleDirective> createWriter(WriterInitContext context) {
            DirectiveBoard board = get(id);
            return new SinkWriter<>() {
                @Override
                public void write(ThrottleDirective d, Context ctx) {
                    board.publish(d);
                }

                @Override
                public void writeWatermark(Watermark mark) {
                    board.advance(mark.getTimestamp());
                }

                @Override
                public void flush(boolean endOfInput) {
                    if (endOfInput) {
                        board.advance(Long.MAX_VALUE);
                    }
                }

                @Override
                public void close() {}
            };
        }
    }
}
