package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command that runs its own Flink cluster leaves nothing in the temp folder, however it ends:
 * failing inside the job, stopped with SIGTERM mid-run, or killed with SIGKILL (then the next run
 * removes what it left). Each command runs in a JVM of its own whose java.io.tmpdir is a folder of
 * this test's, so that only its files are seen.
 */
class TemporaryFilesITCase {

    /** Java's exit code for a process ended by SIGTERM (128 + 15). */
    private static final int SIGTERM_EXIT = 143;

    @TempDir
    Path dir;

    private Path tmp;

    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void makeTempFolder() throws IOException {
        tmp = Files.createDirectories(dir.resolve("tmp"));
    }

    /** No command outlives a failed test. */
    @AfterEach
    void stopCommands() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly().waitFor();
        }
    }

    private Cli start(String... args) throws IOException {
        Cli cli = Cli.start(dir, tmp, args);
        started.add(cli.process);
        return cli;
    }

    @Test
    void aBacktestFailingInsideTheJobLeavesNothingBehind() throws Exception {
        Path logins = Files.writeString(dir.resolve("logins.jsonl"),
                "{\"eventId\":\"l1\",\"eventTime\":1700000000000,\"deviceId\":\"dev-1\"}\n");
        Path out = dir.resolve("out");
        // The alerts file cannot be opened: the job's sink fails on the cluster, after it started.
        Files.createDirectories(out.resolve("alerts.jsonl"));

        Cli backtest = start("backtest", "--logins", logins.toString(), "--out", out.toString());

        assertThat(backtest.process.waitFor(2, TimeUnit.MINUTES)).as("backtest ended").isTrue();
        assertThat(backtest.process.exitValue()).as(backtest.log()).isNotZero();
        assertThat(backtest.log()).contains("Job execution failed").contains("Is a directory");
        assertThat(entries(tmp)).as("left in the temp folder").isEmpty();
    }

    @Test
    void aDemoStoppedWithSigtermMidRunLeavesNothingBehind() throws Exception {
        Cli demo = startLongDemo();

        demo.process.destroy();

        assertThat(demo.process.waitFor(1, TimeUnit.MINUTES)).as("demo ended after SIGTERM").isTrue();
        assertThat(demo.process.exitValue()).as("stopped by the signal, not finished: " + demo.log())
                .isEqualTo(SIGTERM_EXIT);
        assertThat(entries(tmp)).as("left in the temp folder").isEmpty();
    }

    @Test
    void whatADemoKilledWithSigkillLeavesIsRemovedByTheNextRun() throws Exception {
        Cli killed = startLongDemo();
        killed.process.destroyForcibly();
        assertThat(killed.process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(entries(tmp)).as("a killed process runs no shutdown hook").isNotEmpty();

        Cli next = start("demo", "--devices", "1000", "--duration", "5m", "--no-compare", "--quiet",
                "--out", dir.resolve("next").toString());

        assertThat(next.process.waitFor(2, TimeUnit.MINUTES)).as("the next demo ended").isTrue();
        assertThat(next.process.exitValue()).as(next.log()).isZero();
        assertThat(entries(tmp)).as("left in the temp folder").isEmpty();
    }

    /** A demo far longer than the test, once its cluster runs and writes its temporary files. */
    private Cli startLongDemo() throws IOException {
        Cli demo = start("demo", "--no-compare", "--quiet", "--out", dir.resolve("demo").toString());
        await("the demo's mini cluster runs").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> !demo.process.isAlive() || (demo.log().contains("Run 1:") && clusterFilesIn(tmp)));
        assertThat(demo.process.isAlive()).as("demo still running: " + demo.log()).isTrue();
        return demo;
    }

    /** Whether the mini cluster's working folder and the RPC system's jar are somewhere under {@code tmp}. */
    private static boolean clusterFilesIn(Path tmp) throws IOException {
        try (Stream<Path> files = Files.walk(tmp, 2)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            return names.stream().anyMatch(n -> n.startsWith("minicluster_"))
                    && names.stream().anyMatch(n -> n.startsWith("flink-rpc-") && n.endsWith(".jar"));
        }
    }

    private static List<String> entries(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** {@code stampede ARGS} in a JVM of its own, on the tests' class path, its temp folder {@code tmp}. */
    private record Cli(Process process, Path logFile) {

        static Cli start(Path dir, Path tmp, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g",
                    "-Djava.io.tmpdir=" + tmp,
                    "-cp", System.getProperty("java.class.path"),
                    StampedeCli.class.getName()));
            command.addAll(List.of(args));
            Path log = Files.createTempFile(dir, args[0], ".log");
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            return new Cli(process, log);
        }

        String log() {
            try {
                return Files.readString(logFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
