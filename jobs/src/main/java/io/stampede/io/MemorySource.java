package io.stampede.io;

import io.stampede.config.StampedeConfig;
import io.stampede.event.DeadLetters;
import io.stampede.event.Envelope;
import io.stampede.event.EventParser;
import io.stampede.event.ParseResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceEnumerator;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceReaderBase;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceSplit;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded source over serialized records held in memory in this JVM, parsed inside the source
 * reader just as the Kafka and file sources parse. Split {@code i} of {@code n} reads records
 * {@code i, i+n, i+2n, ...}, so every split advances through event time at the same pace. For the
 * embedded mini cluster only (the benchmark and tests): the records are registered in this JVM and
 * never shipped with the job.
 */
public final class MemorySource implements Source<Envelope, MemorySource.Split, Collection<MemorySource.Split>>,
        ResultTypeQueryable<Envelope> {

    private static final Map<String, RawRecord[]> STORE = new ConcurrentHashMap<>();
    private static final Map<String, Long> FIRST_READ = new ConcurrentHashMap<>();
    private static final Map<String, Long> FIRST_READ_CPU = new ConcurrentHashMap<>();

    private final String storeId;
    private final int splits;
    private final int maxRecordBytes;
    private final int keepBytes;

    private MemorySource(String storeId, int splits, StampedeConfig.Input input) {
        this.storeId = storeId;
        this.splits = splits;
        this.maxRecordBytes = input.maxRecordBytes();
        this.keepBytes = input.deadLetterKeepBytes();
    }

    /** Registers the records under {@code storeId} (replacing earlier ones) and returns a source over them. */
    public static MemorySource of(String storeId, List<RawRecord> records, int splits, StampedeConfig.Input input) {
        STORE.put(storeId, records.toArray(new RawRecord[0]));
        return new MemorySource(storeId, splits, input);
    }

    /** Frees the records registered under {@code storeId}. */
    public static void release(String storeId) {
        STORE.remove(storeId);
        FIRST_READ.remove(storeId);
        FIRST_READ_CPU.remove(storeId);
    }

    /** {@link System#nanoTime()} when the first record of {@code storeId} was read, or null. */
    public static Long firstRead(String storeId) {
        return FIRST_READ.get(storeId);
    }

    /** The CPU time this JVM had used ({@link #processCpuNanos}) when the first record of {@code storeId} was read, or null. */
    public static Long firstReadCpu(String storeId) {
        return FIRST_READ_CPU.get(storeId);
    }

    /** CPU time used by this JVM so far, every thread (tasks, garbage collector, compiler), in nanoseconds. */
    public static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
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
        EventParser parser = new EventParser(maxRecordBytes, io.stampede.event.ContractValidator.shared());
        return new IteratorSourceReaderBase<>(context) {
            private boolean started;

            @Override
            protected Envelope convert(Positioned p) {
                if (!started) {
                    started = true;
                    if (FIRST_READ.putIfAbsent(storeId, System.nanoTime()) == null) {
                        FIRST_READ_CPU.put(storeId, processCpuNanos());
                    }
                }
                RawRecord r = p.record();
                ParseResult result = parser.parse(r.kind(), r.bytes());
                if (result.isAccepted()) {
                    return result.envelope();
                }
                return Envelope.of(DeadLetters.refused(r.kind(), "memory:" + storeId, null, p.index(), null,
                        r.bytes(), 0, r.bytes().length, result, keepBytes));
            }
        };
    }

    @Override
    public SplitEnumerator<Split, Collection<Split>> createEnumerator(SplitEnumeratorContext<Split> context) {
        List<Split> all = new ArrayList<>();
        for (int i = 0; i < splits; i++) {
            all.add(new Split(storeId, i, splits, i));
        }
        return new IteratorSourceEnumerator<>(context, all);
    }

    @Override
    public SplitEnumerator<Split, Collection<Split>> restoreEnumerator(SplitEnumeratorContext<Split> context,
            Collection<Split> checkpoint) {
        return new IteratorSourceEnumerator<>(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<Split> getSplitSerializer() {
        return new SplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Collection<Split>> getEnumeratorCheckpointSerializer() {
        return new CheckpointSerializer();
    }

    /** A record and its index in the store (reported as the dead letter's offset). */
    public record Positioned(RawRecord record, long index) {}

    /** Every {@code stride}-th record from {@code next} on. */
    public record Split(String storeId, int index, int stride, long next)
            implements IteratorSourceSplit<Positioned, Records> {

        @Override
        public String splitId() {
            return Integer.toString(index);
        }

        @Override
        public Records getIterator() {
            RawRecord[] records = STORE.get(storeId);
            if (records == null) {
                throw new IllegalStateException("no records registered as " + storeId + " in this JVM");
            }
            return new Records(records, next, stride);
        }

        @Override
        public IteratorSourceSplit<Positioned, Records> getUpdatedSplitForIterator(Records iterator) {
            return new Split(storeId, index, stride, iterator.next);
        }
    }

    /** Iterates a split's records. */
    public static final class Records implements Iterator<Positioned> {
        private final RawRecord[] records;
        private final int stride;
        private long next;

        Records(RawRecord[] records, long next, int stride) {
            this.records = records;
            this.next = next;
            this.stride = stride;
        }

        @Override
        public boolean hasNext() {
            return next < records.length;
        }

        @Override
        public Positioned next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Positioned p = new Positioned(records[(int) next], next);
            next += stride;
            return p;
        }
    }

    private static final class SplitSerializer implements SimpleVersionedSerializer<Split> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Split s) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(s.storeId());
                out.writeInt(s.index());
                out.writeInt(s.stride());
                out.writeLong(s.next());
            }
            return bytes.toByteArray();
        }

        @Override
        public Split deserialize(int version, byte[] serialized) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                return new Split(in.readUTF(), in.readInt(), in.readInt(), in.readLong());
            }
        }
    }

    private static final class CheckpointSerializer implements SimpleVersionedSerializer<Collection<Split>> {
        private final SplitSerializer splits = new SplitSerializer();

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Collection<Split> checkpoint) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(checkpoint.size());
                for (Split s : checkpoint) {
                    byte[] b = splits.serialize(s);
                    out.writeInt(b.length);
                    out.write(b);
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public Collection<Split> deserialize(int version, byte[] serialized) throws IOException {
            List<Split> out = new ArrayList<>();
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    byte[] b = new byte[in.readInt()];
                    in.readFully(b);
                    out.add(splits.deserialize(version, b));
                }
            }
            return out;
        }
    }
}
