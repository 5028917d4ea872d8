package io.stampede.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code stampede} command line. */
@Command(name = "stampede",
        mixinStandardHelpOptions = true,
        versionProvider = StampedeCli.Version.class,
        description = {
            "Stampede: a real-time guard for authentication tiers. It reads login and telemetry events, recognises "
                    + "correlated reboot waves and login surges while they start, and emits alerts with their cause, "
                    + "throttle directives for the admission layer and scaling signals for autoscalers.",
            ""},
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            ReplayCommand.class,
            TailCommand.class,
            ControlCommand.class,
            BacktestCommand.class,
            BenchCommand.class,
            ScorecardCommand.class,
            SimulateCommand.class,
            DeliverCommand.class,
            ConfigCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"", "Run 'stampede <command> --help' for the options of a command.",
            "In a source checkout, './stampede local --help' shows how to run a Kafka broker and a Flink cluster "
                    + "on this machine and submit the job to them."})
public final class StampedeCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "When the command fails, print the whole stack trace too.")
    boolean verbose;

    public static void main(String[] args) {
        // Before anything logs: Flink's and Kafka's warnings go to this file, created only when
        // something is written to it (see log4j2.properties); a failure names it.
        if (System.getProperty(Failures.LOG_FILE_PROPERTY) == null) {
            System.setProperty(Failures.LOG_FILE_PROPERTY, defaultLogFile().toString());
        }
        System.exit(execute(args));
    }

    private static Path defaultLogFile() {
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        // In the temp folder itself: the appender would make a folder for it even when it writes nothing.
        return Path.of(System.getProperty("java.io.tmpdir"),
                "stampede-log-" + time + "-" + ProcessHandle.current().pid() + ".log");
    }

    /** Runs the command line and returns its exit code (2 for usage and configuration errors). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The command line as {@link #execute} runs it: usage and configuration errors become one
     * message and exit code 2, failures while running one message and exit code 1, never a stack
     * trace unless asked for ({@link Failures}). Tests set its output streams to read them.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new StampedeCli());
        cli.setUsageHelpAutoWidth(true);
        cli.setUsageHelpWidth(100);
        cli.setExecutionExceptionHandler(Failures::report);
        cli.setParameterExceptionHandler(StampedeCli::usageError);
        return cli;
    }

    /** A mistake on the command line: what was wrong and where to look, not the whole usage text. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        java.io.PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage());
        if (command.getCommand() instanceof SimulateCommand && mentionsConfiguration(args)) {
            err.println("'simulate' reads no configuration: the scenario options alone decide what it writes.");
        } else {
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        }
        err.println("Run '" + name + " --help' for its options.");
        err.flush();
        return 2;
    }

    private static boolean mentionsConfiguration(String[] args) {
        for (String a : args) {
            if (a.equals("-c") || a.equals("-s") || a.startsWith("--config") || a.startsWith("--set")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = StampedeCli.class.getPackage().getImplementationVersion();
            return new String[] {"stampede " + (v == null ? "development" : v)};
        }
    }

    /** A problem with what the user asked for, reported without a stack trace. */
    static final class UserException extends RuntimeException {
        UserException(String message) {
            super(message);
        }
    }
}
