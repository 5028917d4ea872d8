package io.stampede.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The input files of a command, checked before the run: a missing file, a folder, an unreadable
 * file or a {@code .gz} that is not gzip data is a usage error naming it; an empty file is a
 * warning and is left out.
 */
final class InputFiles {

    private InputFiles() {}

    /**
     * The files of {@code option} that hold something, in the order given.
     *
     * @param several whether the option takes several files (separated by commas)
     * @param warnings receives a line for each empty file left out
     */
    static List<Path> check(List<Path> files, String option, boolean several, List<String> warnings) {
        List<Path> usable = new ArrayList<>();
        for (Path file : files) {
            if (Files.isDirectory(file)) {
                throw new StampedeCli.UserException(file + " (" + option + ") is a folder, not a file" + (several
                        ? "; give the files in it, separated by commas (" + option + " " + file.resolve("a.jsonl")
                                + "," + file.resolve("b.jsonl") + ")"
                        : ""));
            }
            if (!Files.exists(file)) {
                throw new StampedeCli.UserException("input file " + file + " (" + option + ") does not exist");
            }
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new StampedeCli.UserException("cannot read input file " + file + " (" + option + "): "
                        + (Files.isRegularFile(file) ? "permission denied" : "not a regular file"));
            }
            long size;
            try {
                size = Files.size(file);
                if (size > 0 && isGzipName(file)) {
                    checkGzip(file, option);
                }
            } catch (IOException e) {
                throw new StampedeCli.UserException("cannot read input file " + file + " (" + option + "): " + e);
            }
            if (size == 0) {
                warnings.add("input file " + file + " (" + option + ") is empty; it is left out");
            } else {
                usable.add(file);
            }
        }
        return usable;
    }

    static boolean isGzipName(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    /** A {@code .gz} file must start with gzip's magic number, or Flink cannot even open it. */
    private static void checkGzip(Path file, String option) throws IOException {
        byte[] head = new byte[2];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 2);
        }
        if (n < 2 || (head[0] & 0xff) != 0x1f || (head[1] & 0xff) != 0x8b) {
            throw new StampedeCli.UserException("input file " + file + " (" + option + ") is named .gz but is not "
                    + "gzip-compressed; compress it with gzip, or give it a name that does not end in .gz");
        }
    }
}
