package io.stampede;

import io.stampede.cli.RunCommand;
import picocli.CommandLine;

/**
 * The entry point for Flink clusters: {@code flink run -c io.stampede.StampedeJob stampede.jar
 * --config FILE [--set key=value ...]}, or the entry class of application mode and of the
 * Kubernetes operator's FlinkDeployment. It runs {@code stampede run} with these arguments and,
 * unlike the command line, never calls {@code System.exit} (that would stop the JobManager):
 * failures are thrown.
 */
public final class StampedeJob {

    private StampedeJob() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException(
                    "StampedeJob needs its configuration: --config /path/to/stampede.yaml [--set key=value ...]");
        }
        CommandLine cli = new CommandLine(new RunCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            throw e;
        });
        int code = cli.execute(args);
        if (code != 0) {
            throw new IllegalArgumentException("Stampede could not start (exit code " + code + "); see the log above");
        }
    }
}
