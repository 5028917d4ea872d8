package io.stampede.cli;

import io.stampede.config.ConfigException;
import io.stampede.io.kafka.KafkaTopics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The one way a command's failure reaches the user: one or two lines that name what went wrong,
 * and an exit code (2 for a usage or configuration mistake, 1 for a failure while running). The
 * stack trace goes to the log file the message names, and to the console only with
 * {@code --verbose}.
 */
final class Failures {

    /** The system property the launcher sets to the log file of this run (see log4j2.properties). */
    static final String LOG_FILE_PROPERTY = "stampede.logFile";

    /** Logged to the log file only: the whole failure, for whoever reads it later. */
    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    /** Wrappers that only say "the job failed"; the message a user can act on is in their cause. */
    private static final Set<String> WRAPPERS = Set.of(
            "org.apache.flink.runtime.client.JobExecutionException",
            "org.apache.flink.runtime.JobException",
            "org.apache.flink.util.FlinkRuntimeException",
            "org.apache.flink.util.FlinkException",
            "org.apache.flink.util.SerializedThrowable",
            "java.util.concurrent.CompletionException",
            "java.util.concurrent.ExecutionException",
            "java.lang.reflect.InvocationTargetException",
            "java.io.UncheckedIOException");

    private Failures() {}

    /** Reports {@code e} on the command's error stream and returns the exit code. */
    static int report(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        if (e instanceof ConfigException) {
            err.println("stampede: configuration error: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (e instanceof StampedeCli.UserException) {
            err.println("stampede: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (e instanceof KafkaTopics.Unavailable) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return 1;
        }
        LOG.error("{} failed", name, e);
        err.println(name + " failed: " + explain(e));
        if (verbose(parsed)) {
            e.printStackTrace(err);
        } else {
            String log = System.getProperty(LOG_FILE_PROPERTY);
            err.println(log != null && Files.isRegularFile(Path.of(log))
                    ? "The stack trace is in " + log + " (or run again with --verbose to see it here)."
                    : "Run again with --verbose to see the stack trace.");
        }
        err.flush();
        return 1;
    }

    /**
     * What went wrong, from the innermost cause that says something: the wrappers Flink and the
     * JDK put around a failure only say that something failed.
     */
    static String explain(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        Throwable root = chain.get(chain.size() - 1);
        for (Throwable t : chain) {
            if (t instanceof StampedeCli.UserException || t instanceof ConfigException) {
                return t.getMessage();
            }
        }
        String type = root instanceof org.apache.flink.util.SerializedThrowable s
                ? s.getOriginalErrorClassName() : root.getClass().getName();
        String simple = type.substring(type.lastIndexOf('.') + 1);
        String message = root.getMessage();
        if (message != null && message.startsWith(type + ": ")) {
            message = message.substring(type.length() + 2); // a SerializedThrowable's message is toString()
        }
        if (message == null || message.isBlank() || message.equals(type)) {
            // The innermost wrapper with a message of its own usually says what was being done.
            for (int i = chain.size() - 2; i >= 0; i--) {
                Throwable t = chain.get(i);
                String own = t.getMessage();
                if (!WRAPPERS.contains(t.getClass().getName()) && own != null
                        && !own.equals(String.valueOf(t.getCause()))) {
                    return own + " (" + simple + ")";
                }
            }
            return simple;
        }
        return message + " (" + simple + ")";
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
