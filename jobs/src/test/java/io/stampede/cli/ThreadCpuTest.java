package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void flinksTaskThreadNamesFallIntoTheirStage() {
        assertThat(ThreadCpu.Group.of("Source: memory -> accept memory (1/2)#0")).isEqualTo(ThreadCpu.Group.SOURCES);
        assertThat(ThreadCpu.Group.of("Source: memory -> Sink: Writer (2/2)#0")).isEqualTo(ThreadCpu.Group.SOURCES);
        assertThat(ThreadCpu.Group.of("devices -> protect late letters (1/2)#0")).isEqualTo(ThreadCpu.Group.DEVICES);
        assertThat(ThreadCpu.Group.of("segments -> (Sink: Writer, Sink: Writer) (2/2)#0"))
                .isEqualTo(ThreadCpu.Group.SEGMENTS);
        assertThat(ThreadCpu.Group.of("correlate alerts -> Sink: Writer (1/1)#0")).isEqualTo(ThreadCpu.Group.CORRELATOR);
        assertThat(ThreadCpu.Group.of("OutputFlusher for devices")).isEqualTo(ThreadCpu.Group.OTHER);
    }

    @Test
    void theGarbageCollectorsAndTheCompilersThreadsAreReadWhereLinuxShowsThem() {
        assumeThat(Files.isDirectory(Path.of("/proc/self/task"))).as("Linux's /proc").isTrue();
        Map<ThreadCpu.Group, Long> before = ThreadCpu.jvmThreads();
        Map<ThreadCpu.Group, Long> after = before;
        // /proc counts in ticks of 10 ms: collect until one is seen, or give up after 500 collections.
        for (int i = 0; i < 500 && after.get(ThreadCpu.Group.GC) <= before.get(ThreadCpu.Group.GC); i++) {
            System.gc();
            after = ThreadCpu.jvmThreads();
        }
        // The test JVM compiled its way here, and full collections run on the collector's threads.
        assertThat(after.get(ThreadCpu.Group.JIT)).isPositive();
        assertThat(after.get(ThreadCpu.Group.GC)).isGreaterThan(before.get(ThreadCpu.Group.GC));
    }

    @Test
    void aThreadsCpuTimeCountsForItsGroupAndWhatNoJavaThreadUsedForTheJvm() throws Exception {
        assumeThat(ThreadCpu.supported()).as("thread CPU time measurable on this JVM").isTrue();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        AtomicBoolean open = new AtomicBoolean();
        long spunNanos;
        try (ThreadCpu threads = new ThreadCpu(open::get)) {
            open.set(true);
            Thread.sleep(3 * ThreadCpu.POLL_MILLIS); // the window opens at a poll
            long[] used = new long[1];
            Thread device = new Thread(() -> {
                long from = mx.getCurrentThreadCpuTime();
                long x = 0;
                // 300 ms of this thread's CPU time, however long the machine takes to give it.
                while (mx.getCurrentThreadCpuTime() - from < 300_000_000L) {
                    x += Long.numberOfTrailingZeros(x + 1);
                }
                used[0] = mx.getCurrentThreadCpuTime() - from + (x == 42 ? 1 : 0);
            }, "devices -> protect late letters (1/2)#0");
            device.start();
            device.join();
            spunNanos = used[0];
            Map<ThreadCpu.Group, Long> split = threads.split(spunNanos + 1_000_000_000L);

            // Its last poll may miss up to one poll interval of it, which then falls to the JVM's share.
            assertThat(split.get(ThreadCpu.Group.DEVICES)).isBetween(spunNanos - 4L * ThreadCpu.POLL_MILLIS * 1_000_000L,
                    spunNanos + 1_000_000L);
            assertThat(split.get(ThreadCpu.Group.SOURCES)).isZero();
            assertThat(split.values().stream().mapToLong(Long::longValue).sum())
                    .as("the groups add up to the process's CPU time").isEqualTo(spunNanos + 1_000_000_000L);
            assertThat(split.get(ThreadCpu.Group.JVM) + split.get(ThreadCpu.Group.GC) + split.get(ThreadCpu.Group.JIT))
                    .as("what no Java thread used").isPositive();
        }
    }
}
