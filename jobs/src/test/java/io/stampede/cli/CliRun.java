package io.stampede.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** A command line run as {@code stampede} runs it, with its exit code, stdout and stderr captured. */
public record CliRun(int code, String out, String err) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = StampedeCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString().replace("\r", ""), err.toString());
    }

    /** The lines of stdout. */
    public List<String> lines() {
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }
}
