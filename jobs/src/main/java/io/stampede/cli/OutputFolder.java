package io.stampede.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The folder a command writes to, checked before any work starts: a folder that cannot be made or
 * written is one usage error naming it, not a stack trace at the end of a long run.
 */
final class OutputFolder {

    private OutputFolder() {}

    /** Creates {@code dir} if missing and checks a file can be written in it. */
    static Path prepare(Path dir, String option) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StampedeCli.UserException("cannot create folder " + dir + " (" + option + "): " + why(e)
                    + "; choose a folder you can write with " + option + " DIR");
        }
        try {
            Path probe = Files.createTempFile(dir, ".stampede-write-check", "");
            Files.delete(probe);
            return dir;
        } catch (IOException e) {
            throw new StampedeCli.UserException("cannot write to " + dir + " (" + option + "): " + why(e)
                    + "; choose a folder you can write with " + option + " DIR");
        }
    }

    /**
     * Creates the parent folder of {@code file} if missing and checks the file can be written.
     *
     * @param option the option ({@code --out}) or setting that named the file
     */
    static Path prepareFile(Path file, String option) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            if (Files.isDirectory(file)) {
                throw new FileAlreadyExistsException(file.toString(), null, "is a folder, not a file");
            }
            if (Files.exists(file) ? !Files.isWritable(file) : !Files.isWritable(parent)) {
                throw new AccessDeniedException(file.toString());
            }
            return file;
        } catch (IOException e) {
            throw new StampedeCli.UserException("cannot write " + file + " (" + option + "): " + why(e)
                    + (option.startsWith("-") ? "; choose a file you can write with " + option + " FILE"
                            : "; set " + option + " to a file you can write"));
        }
    }

    /** The reason in words; the JDK's exceptions mostly carry only the path. */
    private static String why(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return (f.getFile() == null ? "" : f.getFile() + " ")
                    + (f.getReason() == null ? "exists and is not a folder" : f.getReason());
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
