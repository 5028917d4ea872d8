package io.stampede.deliver;

import io.stampede.io.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The failed-deliveries file ({@code delivery.failedDeliveries}): one {@link FailedDelivery} a line,
 * appended, and on disk before {@link #append} returns, so a record outlives a crash of the
 * deliverer that follows it. Thread-safe: every receiver's sender writes here.
 */
final class FailedDeliveryFile implements AutoCloseable {

    private final Path path;
    private final FileChannel file;

    private FailedDeliveryFile(Path path, FileChannel file) {
        this.path = path;
        this.file = file;
    }

    /** Opens {@code path} for appending, creating it and its folder if need be. */
    static FailedDeliveryFile open(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new FailedDeliveryFile(path, FileChannel.open(path, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND));
    }

    Path path() {
        return path;
    }

    /** Appends {@code failure} as one line and forces it to disk. */
    synchronized void append(FailedDelivery failure) throws IOException {
        byte[] json = Json.bytes(failure);
        ByteBuffer line = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        while (line.hasRemaining()) {
            file.write(line);
        }
        file.force(false);
    }

    @Override
    public synchronized void close() throws IOException {
        file.close();
    }
}
