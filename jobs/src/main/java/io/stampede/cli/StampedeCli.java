package io.stampede.cli;

import io.stampede.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
            BacktestCommand.class,
            BenchCommand.class,
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

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (2 for usage and configuration errors). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The command line as {@link #execute} runs it: usage and configuration errors become one
     * message and exit code 2, not a stack trace. Tests set its output streams to read them.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new StampedeCli());
        cli.setUsageHelpAutoWidth(true);
        cli.setUsageHelpWidth(100);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println("stampede: configuration error: " + e.getMessage());
                return 2;
            }
            if (e instanceof UserException) {
                commandLine.getErr().println("stampede: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
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
