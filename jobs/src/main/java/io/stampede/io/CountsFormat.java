package io.stampede.io;

import io.stampede.detect.BucketStats;
import java.io.IOException;
import java.util.Iterator;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a counts file ({@link CountsCsv}) inside the file source and emits the buckets it stands
 * for ({@link CountsBuckets}) in time order, for a backtest from counts. The file is read whole
 * when the reader opens (a segment's rows must be in time order, but segments may come one after
 * the other); the command has read it once before to check it, so nothing fails here that it did
 * not report. Flink's file source decompresses {@code .gz} files by their extension.
 */
public final class CountsFormat extends SimpleStreamFormat<BucketStats> {

    private final String file;
    private final boolean fleetSegment;

    /**
     * @param file how messages name the file
     * @param fleetSegment whether the fleet segment is evaluated ({@code detection.fleetSegment})
     */
    public CountsFormat(String file, boolean fleetSegment) {
        this.file = file;
        this.fleetSegment = fleetSegment;
    }

    @Override
    public Reader<BucketStats> createReader(Configuration config, FSDataInputStream stream) throws IOException {
        Iterator<BucketStats> buckets;
        try {
            buckets = new CountsBuckets(CountsCsv.read(stream, file), fleetSegment);
        } finally {
            stream.close();
        }
        return new Reader<>() {
            @Override
            public BucketStats read() {
                return buckets.hasNext() ? buckets.next() : null;
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public TypeInformation<BucketStats> getProducedType() {
        return TypeInformation.of(BucketStats.class);
    }
}
