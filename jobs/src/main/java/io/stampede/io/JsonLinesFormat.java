package io.stampede.io;

import io.stampede.event.ContractValidator;
import io.stampede.event.DeadLetterCategory;
import io.stampede.event.DeadLetters;
import io.stampede.event.Envelope;
import io.stampede.event.EventParser;
import io.stampede.event.InputKind;
import io.stampede.event.ParseResult;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a JSONL file of one input contract line by line and parses each line inside the file
 * source's reader, so watermarks are generated per file. Lines are read as bytes (no decoding
 * twice); a line longer than the record limit is skipped to its end and becomes one TOO_LARGE dead
 * letter that keeps its beginning. Flink's file source decompresses {@code .gz} files by their
 * extension before this format sees them; a file that stops being readable part-way (a truncated
 * or corrupt {@code .gz}) ends with one UNREADABLE dead letter for the rest.
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
        private final ByteLines lines;
        private final InputKind kind;
        private final int maxRecordBytes;
        private final int keepBytes;
        private final String source;
        private final EventParser parser;
        private long lineNumber;
        private boolean broken;

        LineReader(InputStream in, InputKind kind, int maxRecordBytes, int keepBytes, String source) {
            this.in = in;
            this.lines = new ByteLines(in, maxRecordBytes + 1);
            this.kind = kind;
            this.maxRecordBytes = maxRecordBytes;
            this.keepBytes = keepBytes;
            this.source = source;
            this.parser = new EventParser(maxRecordBytes, ContractValidator.shared());
        }

        @Override
        public Envelope read() throws IOException {
            if (broken) {
                return null;
            }
            try {
                return next();
            } catch (IOException e) {
                // A truncated or corrupt compressed file (EOFException, ZipException): what was read
                // stays accepted, the rest becomes one dead letter naming the file and line, and
                // the run goes on with the other inputs.
                broken = true;
                long from = lineNumber + 1;
                return Envelope.of(DeadLetters.unreadable(kind, source, from,
                        ByteLines.unreadable(source, from, e) + ", its lines before are accepted"));
            }
        }

        private Envelope next() throws IOException {
            while (lines.next()) {
                lineNumber++;
                long total = lines.total();
                if (total == 0) {
                    continue;
                }
                byte[] line = lines.bytes();
                int length = lines.length();
                if (total > maxRecordBytes) {
                    return Envelope.of(DeadLetters.refused(kind, source, null, null, lineNumber, line, 0,
                            Math.min(length, keepBytes), ParseResult.rejected(DeadLetterCategory.TOO_LARGE,
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
            return null;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
