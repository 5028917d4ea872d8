package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.util.SerializedThrowable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A failure while running is one line that says what failed, and the stack trace only when asked for. */
class FailuresTest {

    private static Exception jobFailure() {
        EOFException root = new EOFException("Unexpected end of ZLIB input stream");
        RuntimeException task = new RuntimeException("One or more fetchers have encountered exception",
                new SerializedThrowable(root));
        return new JobExecutionException(new JobID(), "Job execution failed.",
                new org.apache.flink.runtime.JobException("Recovery is suppressed by NoRestartBackoffTimeStrategy",
                        task));
    }

    @Test
    void theMessageIsTheInnermostCauseNotFlinksWrappers() {
        assertThat(Failures.explain(jobFailure())).isEqualTo("Unexpected end of ZLIB input stream (EOFException)");
        assertThat(Failures.explain(new IllegalStateException(new NullPointerException())))
                .isEqualTo("NullPointerException");
        assertThat(Failures.explain(new IllegalStateException("writing alerts.jsonl", new NullPointerException())))
                .isEqualTo("writing alerts.jsonl (NullPointerException)");
        assertThat(Failures.explain(new RuntimeException(new StampedeCli.UserException("the real reason"))))
                .isEqualTo("the real reason");
    }

    @Test
    void aFailureIsTwoLinesAndExitOneAndVerboseAddsTheStackTrace() {
        String plain = report(false);
        assertThat(plain.lines()).hasSize(2);
        assertThat(plain).startsWith("stampede backtest failed: Unexpected end of ZLIB input stream (EOFException)")
                .doesNotContain("\tat ");

        String verbose = report(true);
        assertThat(verbose).startsWith("stampede backtest failed: Unexpected end of ZLIB input stream")
                .contains("\tat ").contains("JobExecutionException");
    }

    private static String report(boolean verbose) {
        CommandLine cli = StampedeCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        CommandLine.ParseResult parsed = verbose ? cli.parseArgs("backtest", "--out", "x", "--verbose")
                : cli.parseArgs("backtest", "--out", "x");
        CommandLine backtest = cli.getSubcommands().get("backtest");
        backtest.setErr(new PrintWriter(err, true));
        assertThat(Failures.report(jobFailure(), backtest, parsed)).isEqualTo(1);
        return err.toString();
    }
}
