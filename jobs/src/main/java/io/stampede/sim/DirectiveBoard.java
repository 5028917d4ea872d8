package io.stampede.sim;

import io.stampede.admission.ThrottleDirective;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Closes the demo's loop inside one JVM: the job's directive stream and its scaling signals (as
 * {@link ScalingRequest}s) are written here, each with its watermark, which says up to which
 * event time everything has been issued; the simulated front door reads the directives back and
 * the simulated autoscaler the requests. The simulator waits for the lower of the two watermarks
 * before playing a second whose directives and requests it needs, so the closed loop plays the
 * same on every run, however fast the machine is.
 */
public final class DirectiveBoard {

    private static final Map<String, DirectiveBoard> BOARDS = new ConcurrentHashMap<>();

    /** The streams written to a board; the board's watermark is the lowest of theirs. */
    enum Stream {
        DIRECTIVES,
        SCALING
    }

    private final List<ThrottleDirective> published = new ArrayList<>();
    private final List<ScalingRequest> requests = new ArrayList<>();
    private final List<Waiter> waiting = new ArrayList<>();
    private final long[] marks = new long[Stream.values().length];
    private volatile long watermark = Long.MIN_VALUE;
    private long polledUpTo = Long.MIN_VALUE;
    private long requestsPolledUpTo = Long.MIN_VALUE;

    private record Waiter(long watermark, CompletableFuture<Void> future) {}

    private DirectiveBoard() {
        Arrays.fill(marks, Long.MIN_VALUE);
    }

    /** A board for one closed loop; both its {@link #sink} and its {@link #scalingSink} must write to it. */
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
            for (Stream stream : Stream.values()) {
                board.advance(stream, Long.MAX_VALUE);
            }
        }
    }

    synchronized void publish(ThrottleDirective d) {
        published.add(d);
    }

    synchronized void publish(ScalingRequest q) {
        requests.add(q);
    }

    void advance(Stream stream, long mark) {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (this) {
            marks[stream.ordinal()] = Math.max(marks[stream.ordinal()], mark);
            long newWatermark = Arrays.stream(marks).min().getAsLong();
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

    /** Completes once every directive and request issued at or before {@code time} has been published. */
    public synchronized CompletableFuture<Void> whenComplete(long time) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (isComplete(time)) {
            f.complete(null);
        } else {
            waiting.add(new Waiter(time - 1, f));
        }
        return f;
    }

    /** Directives and signals are issued at a bucket's end, one millisecond after the watermark that closes it. */
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

    /** The feed the simulated autoscaler reads: requests in issue order, each once. */
    public Autoscaler.RequestFeed requests() {
        return upTo -> {
            synchronized (DirectiveBoard.this) {
                List<ScalingRequest> out = new ArrayList<>();
                for (ScalingRequest q : requests) {
                    if (q.issuedAt() > requestsPolledUpTo && q.issuedAt() <= upTo) {
                        out.add(q);
                    }
                }
                requestsPolledUpTo = Math.max(requestsPolledUpTo, upTo);
                out.sort(Comparator.comparingLong(ScalingRequest::issuedAt).thenComparing(ScalingRequest::region));
                return out;
            }
        };
    }

    /** A sink that writes a job's directives, and its watermark, to the board {@code id}. */
    public static Sink<ThrottleDirective> sink(String id) {
        return new BoardSink<>(id, Stream.DIRECTIVES, DirectiveBoard::publish);
    }

    /** A sink that writes a job's scaling signals, as requests, and its watermark, to the board {@code id}. */
    public static Sink<ScalingRequest> scalingSink(String id) {
        return new BoardSink<>(id, Stream.SCALING, DirectiveBoard::publish);
    }

    /** How a sink puts one of its records on the board; serializable, because the sink travels with the job. */
    private interface Publisher<T> extends Serializable {
        void publish(DirectiveBoard board, T record);
    }

    private static final class BoardSink<T> implements Sink<T> {
        private final String id;
        private final Stream stream;
        private final Publisher<T> publisher;

        BoardSink(String id, Stream stream, Publisher<T> publisher) {
            this.id = id;
            this.stream = stream;
            this.publisher = publisher;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            DirectiveBoard board = get(id);
            return new SinkWriter<>() {
                @Override
                public void write(T record, Context ctx) {
                    publisher.publish(board, record);
                }

                @Override
                public void writeWatermark(Watermark mark) {
                    board.advance(stream, mark.getTimestamp());
                }

                @Override
                public void flush(boolean endOfInput) {
                    if (endOfInput) {
                        board.advance(stream, Long.MAX_VALUE);
                    }
                }

                @Override
                public void close() {}
            };
        }
    }
}
