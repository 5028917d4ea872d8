package io.stampede.cli;

import io.stampede.io.MemorySource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The bench's CPU time of one measurement by group of threads: Flink names a task's thread after
 * the operators chained in it, so the source threads (parse and accept), the device stage, the
 * segments and the correlator can be told apart. What the JVM used beyond its Java threads is its
 * own work: the garbage collector's and the JIT compiler's, told apart where Linux shows the JVM's
 * threads ({@link #jvmThreads}), and the rest (the VM thread's safepoints, for one). A poller reads every Java thread's CPU
 * time every {@value #POLL_MILLIS} ms from the first record read, so a thread's last
 * {@value #POLL_MILLIS} ms before it ends can fall to the JVM's share instead.
 */
final class ThreadCpu implements AutoCloseable {

    static final int POLL_MILLIS = 25;
    /** Linux's USER_HZ, the unit of a task's times in /proc: 100 on every architecture Linux runs Java on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /** Groups of threads, by what a thread's name starts with (Flink's task names). */
    enum Group {
        SOURCES("sources", "source threads (parse, accept)"),
        DEVICES("devices", "device stage"),
        SEGMENTS("segments", "segments"),
        CORRELATOR("correlator", "correlator"),
        OTHER("otherJavaThreads", "other Java threads"),
        GC("garbageCollector", "garbage collector"),
        JIT("jitCompiler", "JIT compiler"),
        JVM("otherJvmThreads", "other JVM threads");

        final String key;
        final String label;

        Group(String key, String label) {
            this.key = key;
            this.label = label;
        }

        static Group of(String threadName) {
            if (threadName.startsWith("Source: ")) {
                return SOURCES;
            }
            if (threadName.startsWith("devices")) {
                return DEVICES;
            }
            if (threadName.startsWith("segments")) {
                return SEGMENTS;
            }
            if (threadName.startsWith("correlate")) {
                return CORRELATOR;
            }
            return OTHER;
        }
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final BooleanSupplier started;
    /** Per thread id: its group, its CPU time at the window's start (0 if it started after) and at the last poll. */
    private final Map<Long, long[]> cpu = new HashMap<>();
    private final Map<Long, Group> groups = new HashMap<>();
    private final Thread poller;
    private volatile boolean stop;
    private boolean baselined;
    private Map<Group, Long> jvmAtStart;

    /** Starts polling; the window opens at the first poll that finds {@code started} true. */
    ThreadCpu(BooleanSupplier started) {
        this.started = started;
        this.poller = new Thread(this::poll, "bench-thread-cpu");
        poller.setDaemon(true);
        poller.start();
    }

    /**
     * The CPU time of the JVM's own threads so far, garbage collector's and JIT compiler's, read
     * from Linux's {@code /proc/self/task} (they are not Java threads); zero elsewhere. A compiler
     * thread that ends meanwhile (the JVM starts and stops them with the load) takes its time out
     * of this count, which then falls to the JVM's other share.
     */
    static Map<Group, Long> jvmThreads() {
        Map<Group, Long> out = new EnumMap<>(Group.class);
        out.put(Group.GC, 0L);
        out.put(Group.JIT, 0L);
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return out;
        }
        long nanosPerTick = 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                Group g = name.startsWith("GC Thread") || name.startsWith("G1 ") ? Group.GC
                        : name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? Group.JIT : null;
                if (g != null) {
                    // Fields after the name: state is the 1st, utime the 12th and stime the 13th.
                    String[] f = stat.substring(close + 2).split(" ");
                    out.merge(g, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * nanosPerTick, Long::sum);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            out.put(Group.GC, 0L);
            out.put(Group.JIT, 0L);
        }
        return out;
    }

    /** Whether this JVM can measure threads' CPU time; without it the bench prints no split. */
    static boolean supported() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return mx.isThreadCpuTimeSupported() && mx.isThreadCpuTimeEnabled();
    }

    private void poll() {
        while (!stop) {
            if (baselined || started.getAsBoolean()) {
                read();
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void read() {
        for (long id : threads.getAllThreadIds()) {
            if (id == poller.getId()) {
                continue;
            }
            long t = threads.getThreadCpuTime(id);
            if (t < 0) {
                continue;
            }
            long[] c = cpu.get(id);
            if (c != null) {
                c[1] = t;
                continue;
            }
            ThreadInfo info = threads.getThreadInfo(id);
            if (info != null) {
                cpu.put(id, new long[] {baselined ? 0 : t, t});
                groups.put(id, Group.of(info.getThreadName()));
            }
        }
        if (!baselined) {
            jvmAtStart = jvmThreads();
        }
        baselined = true;
    }

    /**
     * Stops polling and splits {@code processCpuNanos}, the JVM's CPU time over the window, by
     * group: the JVM's share is what its Java threads do not account for.
     */
    synchronized Map<Group, Long> split(long processCpuNanos) {
        stop = true;
        poller.interrupt();
        Map<Group, Long> out = new EnumMap<>(Group.class);
        for (Group g : Group.values()) {
            out.put(g, 0L);
        }
        long java = 0;
        for (Map.Entry<Long, long[]> e : cpu.entrySet()) {
            long used = e.getValue()[1] - e.getValue()[0];
            out.merge(groups.get(e.getKey()), used, Long::sum);
            java += used;
        }
        if (jvmAtStart != null) {
            Map<Group, Long> now = jvmThreads();
            for (Group g : List.of(Group.GC, Group.JIT)) {
                long used = Math.max(0, now.get(g) - jvmAtStart.get(g));
                out.put(g, used);
                java += used;
            }
        }
        out.put(Group.JVM, Math.max(0, processCpuNanos - java));
        return out;
    }

    @Override
    public void close() {
        stop = true;
        poller.interrupt();
    }

    /** A poller whose window opens with the first record {@link MemorySource} {@code storeId} reads. */
    static ThreadCpu forStore(String storeId) {
        return new ThreadCpu(() -> MemorySource.firstRead(storeId) != null);
    }
}
