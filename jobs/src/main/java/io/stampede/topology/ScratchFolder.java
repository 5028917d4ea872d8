package io.stampede.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one temporary folder of a process that runs its own Flink cluster (demo, backtest, run,
 * bench): {@code <java.io.tmpdir>/stampede-<pid>-<random>}. Flink's temporary files go there (the
 * 21 MB jar its RPC system extracts, the mini cluster's working folder, web uploads, RocksDB's
 * files), and so do the checkpoints when {@code job.checkpointDir} is not set.
 *
 * <p>The folder is removed when the process ends, whether it exits normally, fails, or is stopped
 * with SIGINT or SIGTERM (a shutdown hook). A process killed with SIGKILL runs no hook: its folder
 * is removed by the next process that makes one, which sweeps away the folders of processes no
 * longer alive.
 */
public final class ScratchFolder {

    private static final String PREFIX = "stampede-";

    /** A scratch folder's name: the owner's process id, then the random part Files.createTempDirectory adds. */
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-\\d+");

    /** Deletion passes at exit: the cluster's threads may still be writing while the hook runs. */
    private static final int DELETE_ATTEMPTS = 5;

    /** How much later than its folder a process may seem to have started and still be taken for its owner. */
    private static final Duration START_TIME_SLACK = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(ScratchFolder.class);

    private static Path folder;

    private ScratchFolder() {}

    /** This process's folder, made (after sweeping away those of dead processes) on first use. */
    public static synchronized Path get() {
        if (folder == null) {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            sweep(tmp);
            try {
                Files.createDirectories(tmp);
                folder = Files.createTempDirectory(tmp, PREFIX + ProcessHandle.current().pid() + "-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a temporary folder in " + tmp, e);
            }
            Path made = folder;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteAtExit(made), "stampede-scratch-cleanup"));
        }
        return folder;
    }

    /** Removes the scratch folders in {@code tmp} whose process has ended; returns how many. */
    static int sweep(Path tmp) {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path entry : entries) {
                Optional<Long> owner = owner(entry);
                if (owner.isPresent() && Files.isDirectory(entry) && !alive(owner.get(), entry)) {
                    try {
                        delete(entry);
                        removed++;
                        LOG.debug("Removed {}, left by process {} which is no longer running", entry, owner.get());
                    } catch (IOException e) {
                        LOG.debug("Could not remove {} (left by process {}): {}", entry, owner.get(), e.toString());
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("Could not look for leftover scratch folders in {}: {}", tmp, e.toString());
        }
        return removed;
    }

    /** The process id in a scratch folder's name; empty for any other name. */
    static Optional<Long> owner(Path entry) {
        Matcher m = NAME.matcher(entry.getFileName().toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(m.group(1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the folder's process still runs. A live process with that id that started well after
     * the folder was made has only been given a recycled id: the folder's own process is gone. "Well
     * after": the start time the OS reports is coarse, and a live owner's folder must never go.
     */
    private static boolean alive(long pid, Path entry) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return false;
        }
        Optional<Instant> started = process.get().info().startInstant();
        try {
            Instant made = Files.readAttributes(entry, BasicFileAttributes.class).creationTime().toInstant();
            return started.map(s -> !s.isAfter(made.plus(START_TIME_SLACK))).orElse(true);
        } catch (IOException e) {
            return true;
        }
    }

    private static void deleteAtExit(Path dir) {
        for (int attempt = 1; attempt <= DELETE_ATTEMPTS && Files.exists(dir); attempt++) {
            try {
                delete(dir);
            } catch (IOException e) {
                // A file written meanwhile by a thread still running: try again.
                try {
                    Thread.sleep(20L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Deletes a folder and everything in it; entries that vanish meanwhile are fine. */
    static void delete(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
