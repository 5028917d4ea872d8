package io.stampede;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The programs some tests run (promtool, amtool, Alertmanager, Prometheus): where to find them, and
 * what to do when one is missing.
 */
public final class RequiredTools {

    private RequiredTools() {}

    /** The first of {@code names} found on PATH or in /usr/bin (where Debian's packages put them). */
    public static Optional<Path> find(String... names) {
        Stream<String> dirs = Stream.concat(
                Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)), Stream.of("/usr/bin"));
        return dirs.filter(dir -> !dir.isEmpty())
                .flatMap(dir -> Arrays.stream(names).map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Skips the calling test when {@code present} is false, saying why; fails it instead when run
     * with {@code -Dstampede.requireTools=true} (CI installs the tools, so a skip there would hide a
     * check that did not run).
     */
    public static void requirePresent(boolean present, Supplier<String> why) {
        if (Boolean.getBoolean("stampede.requireTools")) {
            Assertions.assertTrue(present, why);
        } else {
            Assumptions.assumeTrue(present, why);
        }
    }
}
