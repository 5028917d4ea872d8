package io.stampede.sim;

import io.stampede.config.StampedeConfig;
import io.stampede.event.ContractValidator;
import io.stampede.event.DeadLetters;
import io.stampede.event.Envelope;
import io.stampede.event.EventParser;
import io.stampede.event.InputKind;
import io.stampede.event.ParseResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The fleet simulator as a Flink source: it plays a scenario and emits its records, parsed inside
 * the reader exactly as Kafka records and file lines are. With a directive board it plays the
 * closed loop: before each simulated second it waits (without blocking the task) until the job
 * has issued every directive the front door, and every scaling signal the {@link Autoscaler},
 * would have received by then.
 *
 * <p>One split, so run it with parallelism 1; it lives in the embedded mini cluster (the demo and
 * tests) and is not restored from checkpoints: a restarted demo plays the scenario again.
 */
public final class SimulatorSource implements Source<Envelope, SimulatorSource.Split, Collection<SimulatorSource.Split>>,
        ResultTypeQueryable<Envelope> {

    private final Scenario scenario;
    private final String runId;
    private final String boardId;
    private final long directiveDelayMs;
    private final long nodeStartupMs;
    private final int maxRecordBytes;
    private final int keepBytes;

    /**
     * @param boardId the directive board of the closed loop, or null for a run that ignores Stampede
     * @param directiveDelayMs how long a directive or a scaling signal takes to reach the simulated tier
     * @param nodeStartupMs how long a node the autoscaler adds takes to serve
     */
    public SimulatorSource(Scenario scenario, String runId, String boardId, long directiveDelayMs, long nodeStartupMs,
            StampedeConfig.Input input) {
        this.scenario = scenario;
        this.runId = runId;
        this.boardId = boardId;
        this.directiveDelayMs = directiveDelayMs;
        this.nodeStartupMs = nodeStartupMs;
        this.maxRecordBytes = input.maxRecordBytes();
        this.keepBytes = input.deadLetterKeepBytes();
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public TypeInformation<Envelope> getProducedType() {
        return TypeInformation.of(Envelope.class);
    }

    @Override
    public SourceReader<Envelope, Split> createReader(SourceReaderContext context) {
        return new Reader(context);
    }

    @Override
    public SplitEnumerator<Split, Collection<Split>> createEnumerator(SplitEnumeratorContext<Split> context) {
        return new Enumerator(context, List.of(new Split()));
    }

    @Override
    public SplitEnumerator<Split, Collection<Split>> restoreEnumerator(SplitEnumeratorContext<Split> context,
            Collection<Split> checkpoint) {
        return new Enumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<Split> getSplitSerializer() {
        return new SplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Collection<Split>> getEnumeratorCheckpointSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(Collection<Split> splits) {
                return new byte[] {(byte) splits.size()};
            }

            @Override
            public Collection<Split> deserialize(int version, byte[] serialized) {
                List<Split> out = new ArrayList<>();
                for (int i = 0; i < serialized[0]; i++) {
                    out.add(new Split());
                }
                return out;
            }
        };
    }

    /** The whole scenario. */
    public static final class Split implements SourceSplit {
        @Override
        public String splitId() {
            return "scenario";
        }
    }

    /** Hands the one split to the first reader that asks, and tells every other reader there is none. */
    private static final class Enumerator implements SplitEnumerator<Split, Collection<Split>> {
        private final SplitEnumeratorContext<Split> context;
        private final List<Split> remaining;

        Enumerator(SplitEnumeratorContext<Split> context, Collection<Split> remaining) {
            this.context = context;
            this.remaining = new ArrayList<>(remaining);
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtask, String hostname) {
            if (!remaining.isEmpty()) {
                context.assignSplit(remaining.remove(0), subtask);
            }
            context.signalNoMoreSplits(subtask);
        }

        @Override
        public void addSplitsBack(List<Split> splits, int subtask) {
            remaining.addAll(splits);
        }

        @Override
        public void addReader(int subtask) {}

        @Override
        public Collection<Split> snapshotState(long checkpointId) {
            return new ArrayList<>(remaining);
        }

        @Override
        public void close() {}
    }

    private static final class SplitSerializer implements SimpleVersionedSerializer<Split> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Split split) {
            return "scenario".getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Split deserialize(int version, byte[] serialized) {
            return new Split();
        }
    }

    private final class Reader implements SourceReader<Envelope, Split> {
        private final ArrayDeque<Object[]> queue = new ArrayDeque<>();
        private final EventParser parser = new EventParser(maxRecordBytes, ContractValidator.shared());
        private FleetSimulator sim;
        private DirectiveBoard board;
        private boolean noMoreSplits;
        private long position;
        private CompletableFuture<Void> available = CompletableFuture.completedFuture(null);
        private final SourceReaderContext context;

        Reader(SourceReaderContext context) {
            this.context = context;
        }

        @Override
        public void start() {
            context.sendSplitRequest();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<Envelope> output) {
            if (sim == null) {
                return noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
            }
            if (queue.isEmpty()) {
                if (!sim.hasNext()) {
                    SimulatorRuns.finished(runId, sim);
                    return InputStatus.END_OF_INPUT;
                }
                long needed = sim.directivesNeededUpTo();
                if (board != null && needed >= scenario.start().toEpochMilli() && !board.isComplete(needed)) {
                    available = board.whenComplete(needed);
                    return InputStatus.NOTHING_AVAILABLE;
                }
                sim.step((kind, bytes) -> queue.add(new Object[] {kind, bytes}));
                if (queue.isEmpty()) {
                    return InputStatus.MORE_AVAILABLE;
                }
            }
            Object[] next = queue.poll();
            InputKind kind = (InputKind) next[0];
            byte[] bytes = (byte[]) next[1];
            ParseResult r = parser.parse(kind, bytes);
            Envelope e = r.isAccepted() ? r.envelope()
                    : Envelope.of(DeadLetters.refused(kind, "simulator:" + scenario.name(), null, position, null, bytes, 0,
                            bytes.length, r, keepBytes));
            position++;
            if (e.isDeadLetter()) {
                output.collect(e);
            } else {
                output.collect(e, e.eventTime());
            }
            return InputStatus.MORE_AVAILABLE;
        }

        @Override
        public List<Split> snapshotState(long checkpointId) {
            return sim == null ? List.of() : List.of(new Split());
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return available;
        }

        @Override
        public void addSplits(List<Split> splits) {
            if (!splits.isEmpty() && sim == null) {
                board = boardId == null ? null : DirectiveBoard.get(boardId);
                sim = board == null ? new FleetSimulator(scenario, null, directiveDelayMs)
                        : new FleetSimulator(scenario, board.feed(),
                                new Autoscaler(scenario, board.requests(), directiveDelayMs, nodeStartupMs),
                                directiveDelayMs);
                SimulatorRuns.started(runId, sim);
                available = CompletableFuture.completedFuture(null);
            }
        }

        @Override
        public void notifyNoMoreSplits() {
            noMoreSplits = true;
            available = CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {}
    }
}
