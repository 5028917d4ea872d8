package io.stampede.io;

import io.stampede.event.ContractValidator;
import io.stampede.event.DeadLetters;
import io.stampede.event.Envelope;
import io.stampede.event.EventParser;
import io.stampede.event.InputKind;
import io.stampede.event.ParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a JSONL file of one input contract line by line and parses each line inside the file
 * source's reader, so watermarks are generated per file. Lines are read as bytes (no decoding
 * twice); a line longer than the record limit is skipped to its end and becomes one TOO_LARGE dead
 * letter that keeps its beginning. Flink's file source decompresses {@code .gz} files by their
 * extension before this format sees them.
 */
public final class JsonLinesFormat extends SimpleStreamFormat<Envelope> {

    private final InputKind kind;
    private final String sourceName;
    private final int maxRecordBytes;
    private final int keepBytes;

    /** @param sourceName how dead letters name the file they came from */
    public JsonLinesFormat(InputKind kind, String sourceName, int maxRecordBytes, int keepBytes) {
        this.kind = kind;
        this.sourceName = sourceName;
        this.maxRecordBytes = maxRecordBytes;
        this.keepBytes = keepBytes;
    }

    @Override
    public Reader<Envelope> createReader(Configuration config, FSDataInputStream stream) {
        return new LineReader(stream, kind, maxRecordBytes, keepBytes, sourceName);
    }

    @Override
    public TypeInformation<Envelope> getProducedType() {
        return TypeInformation.of(Envelope.class);
    }

    /** Splits a byte stream into lines and parses them. */
    static final class LineReader implements Reader<Envelope> {
        private final InputStream in;
        private final InputKind kind;
        private final int maxRecordBytes;
        private final int keepBytes;
        private final String source;
        private final EventParser parser;
        private final byte[] buffer = new byte[64 * 1024];
        private int pos;
        private int limit;
        private byte[] line = new byte[1024];
        private long lineNumber;
        private boolean eof;

        LineReader(InputStream in, InputKind kind, int maxRecordBytes, int keepBytes, String source) {
            this.in = in;
            this.kind = kind;
            this.maxRecordBytes = maxRecordBytes;
            this.keepBytes = keepBytes;
            this.source = source;
            this.parser = new EventParser(maxRecordBytes, ContractValidator.shared());
        }

        @Override
        public Envelope read() throws IOException {
            while (true) {
                int length = 0;
                long total = 0;
                boolean sawAny = false;
                while (true) {
                    if (pos == limit) {
                        if (eof || !fill()) {
                            break;
                        }
                    }
                    sawAny = true;
                    byte b = buffer[pos++];
                    if (b == '\n') {
                        break;
                    }
                    total++;
                    if (length < maxRecordBytes + 1) {
                        if (length == line.length) {
                            line = Arrays.copyOf(line, Math.min(maxRecordBytes + 1, line.length * 2));
                        }
                        line[length++] = b;
                    }
                }
                if (!sawAny) {
                    return null;
                }
                lineNumber++;
                if (length > 0 && line[length - 1] == '\r' && total == length) {
                    length--;
                    total--;
                }
                if (total == 0) {
                    continue;
                }
                if (total > maxRecordBytes) {
                    return Envelope.of(DeadLetters.refused(kind, source, null, null, lineNumber, line, 0,
                            Math.min(length, keepBytes), ParseResult.rejected(io.stampede.event.DeadLetterCategory.TOO_LARGE,
                                    "line of " + total + " bytes exceeds the limit of " + maxRecordBytes + " bytes"),
                            keepBytes).withOriginalSize((int) Math.min(Integer.MAX_VALUE, total)));
                }
                ParseResult r = parser.parse(kind, line, 0, length);
                if (r.isAccepted()) {
                    return r.envelope();
                }
                return Envelope.of(DeadLetters.refused(kind, source, null, null, lineNumber, line, 0, length, r,
                        keepBytes));
            }
        }

        private boolean fill() throws IOException {
            int n = in.read(buffer);
            if (n <= 0) {
                eof = true;
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
