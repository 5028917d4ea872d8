package io.stampede.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes records as lines of text to one local file, for bounded runs (demo, backtest) on the
 * embedded cluster: a header line if there is one, then one line per record. Attach it with
 * parallelism 1; it is not transactional (the Kafka sinks of {@code run} are).
 */
public class LineFileSink<T> implements Sink<T> {

    /** How a record becomes its line; serializable, because the sink travels with the job. */
    @FunctionalInterface
    public interface LineFormat<T> extends Serializable {
        String line(T record);
    }

    private final String path;
    private final String header;
    private final LineFormat<T> format;

    /** @param header the first line of the file, or null for none */
    public LineFileSink(Path path, String header, LineFormat<T> format) {
        this.path = path.toAbsolutePath().toString();
        this.header = header;
        this.format = format;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        Path file = Paths.get(path);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        if (header != null) {
            out.write(header);
            out.write('\n');
        }
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) throws IOException {
                out.write(format.line(element));
                out.write('\n');
            }

            @Override
            public void flush(boolean endOfInput) throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }
}
