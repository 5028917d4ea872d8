package io.stampede.deliver;

import io.stampede.io.Json;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The failed-deliveries file ({@code delivery.failedDeliveries}): one {@link FailedDelivery} a line,
 * appended, and on disk before {@link #append} returns, so a record outlives a crash of the
 * deliverer that follows it. Thread-safe: every receiver's sender writes here.
 */
final class FailedDeliveryFile implements AutoCloseable {

    private final Path path;
    /** A stream, not a FileChannel: an interrupted sender (one stopping) would close a channel for every sender. */
    private final FileOutputStream file;

    private FailedDeliveryFile(Path path, FileOutputStream file) {
        this.path = path;
        this.file = file;
    }

    /** Opens {@code path} for appending, creating it and its folder if need be. */
    static FailedDeliveryFile open(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new FailedDeliveryFile(path, new FileOutputStream(path.toFile(), true));
    }

    Path path() {
        return path;
    }

    /** Appends {@code failure} as one line and forces it to disk. */
    synchronized void append(FailedDelivery failure) throws IOException {
        byte[] json = Json.bytes(failure);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        file.write(line);
        file.getFD().sync();
    }

    @Override
    public synchronized void close() throws IOException {
        file.close();
    }
}
