package io.stampede;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints one line on the build's console for each test class that could not run here, and why, e.g.
 * {@code SKIPPED PrometheusMetricsITCase: needs 'prometheus' on PATH (Debian: apt-get install prometheus)}.
 * Surefire and failsafe only count skips on the console and keep the reasons in their XML reports.
 *
 * <p>Registered in META-INF/services, so both plugins' JUnit Platform launchers load it. It reports
 * tests skipped by a condition and tests or classes aborted by a failed assumption, once per class
 * and reason. It writes to the process's own standard error, past the runners' capture of
 * {@code System.out} and {@code System.err}, so the line reaches the console whatever the plugins do
 * with a test's output (with {@code redirectTestOutputToFile} it would go to a file).
 */
public final class SkipsOnConsole implements TestExecutionListener {

    private static final String ASSUMPTION_PREFIX = "Assumption failed: ";

    private final PrintStream console;
    private final Set<String> printed = ConcurrentHashMap.newKeySet();

    /** The listener the launchers load: writes to the process's standard error. */
    public SkipsOnConsole() {
        this(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
    }

    SkipsOnConsole(PrintStream console) {
        this.console = console;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        report(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            report(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    private void report(TestIdentifier test, String reason) {
        Optional<String> testClass = test.getSource().flatMap(SkipsOnConsole::className);
        if (testClass.isEmpty()) {
            return;
        }
        String why = reason == null ? "no reason given" : reason.startsWith(ASSUMPTION_PREFIX)
                ? reason.substring(ASSUMPTION_PREFIX.length()) : reason;
        String line = "SKIPPED " + testClass.get() + ": " + why;
        if (printed.add(line)) {
            console.println(line);
        }
    }

    /** The test class as a reader knows it: its simple name, nested classes after a dot. */
    private static Optional<String> className(TestSource source) {
        String name;
        if (source instanceof ClassSource c) {
            name = c.getClassName();
        } else if (source instanceof MethodSource m) {
            name = m.getClassName();
        } else {
            return Optional.empty();
        }
        return Optional.of(name.substring(name.lastIndexOf('.') + 1).replace('$', '.'));
    }
}
