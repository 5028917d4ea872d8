package io.stampede;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The programs some tests run (bash, promtool, amtool, Alertmanager, Prometheus): where to find them,
 * and what to do when one is missing.
 */
public final class RequiredTools {

    /** A program a test runs, under the names its Debian package installs it as. */
    public enum Tool {
        BASH("bash", List.of("bash")),
        PROMTOOL("prometheus", List.of("promtool")),
        AMTOOL("prometheus-alertmanager", List.of("amtool")),
        PROMETHEUS("prometheus", List.of("prometheus")),
        ALERTMANAGER("prometheus-alertmanager", List.of("prometheus-alertmanager", "alertmanager"));

        private final String debianPackage;
        private final List<String> names;

        Tool(String debianPackage, List<String> names) {
            this.debianPackage = debianPackage;
            this.names = names;
        }

        /** Why a test of this tool cannot run, and how to install it: the line the build prints for a skip. */
        public String missingMessage() {
            return "needs '" + names.get(0) + "' on PATH (Debian: apt-get install " + debianPackage + ")";
        }
    }

    private RequiredTools() {}

    /** The tool, found on PATH or in /usr/bin (where Debian's packages put it). */
    public static Optional<Path> find(Tool tool) {
        Stream<String> dirs = Stream.concat(
                Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)), Stream.of("/usr/bin"));
        return dirs.filter(dir -> !dir.isEmpty())
                .flatMap(dir -> tool.names.stream().map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * The tool; when it is missing, skips the calling test (or class, from {@code @BeforeAll}) saying
     * what to install, or fails it when run with {@code -Dstampede.requireTools=true} (CI installs the
     * tools, so a skip there would hide a check that did not run).
     */
    public static Path require(Tool tool) {
        Optional<Path> found = find(tool);
        if (Boolean.getBoolean("stampede.requireTools")) {
            Assertions.assertTrue(found.isPresent(), tool::missingMessage);
        } else {
            Assumptions.assumeTrue(found.isPresent(), tool::missingMessage);
        }
        return found.orElseThrow();
    }
}
