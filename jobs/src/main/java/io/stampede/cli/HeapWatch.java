package io.stampede.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Locale;

/**
 * Watches, during a run in this process, how full the heap stays after garbage collection: the
 * device state of the heap backend grows with the fleet. Past {@link #WARN_AT} it says once what to
 * do before the run fails with an OutOfMemoryError.
 */
final class HeapWatch implements AutoCloseable {

    static final double WARN_AT = 0.85;
    /** Heap per device of the device stage's state, as {@code ./stampede bench --state} measures it. */
    static final int BYTES_PER_DEVICE = 360;

    private final Thread thread;
    private volatile boolean closed;

    private HeapWatch(PrintWriter err, String command) {
        thread = new Thread(() -> watch(err, command), "stampede-heap-watch");
        thread.setDaemon(true);
    }

    /** Starts watching; close it when the run ends. */
    static HeapWatch start(PrintWriter err, String command) {
        HeapWatch w = new HeapWatch(err, command);
        w.thread.start();
        return w;
    }

    /** One line for the start of a run: how many devices' state the heap holds. */
    static String capacityLine() {
        long max = Runtime.getRuntime().maxMemory();
        return String.format(Locale.ROOT, "device state on a heap of %.1f GB: room for about %,d million devices "
                + "(more: STAMPEDE_JAVA_OPTS=-Xmx..., or --set job.stateBackend=rocksdb)", max / 1e9,
                Math.round(max * 0.6 / BYTES_PER_DEVICE / 1e6));
    }

    private void watch(PrintWriter err, String command) {
        long max = Runtime.getRuntime().maxMemory();
        while (!closed) {
            long live = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
                if (after != null) {
                    live += after.getUsed();
                }
            }
            if (live > WARN_AT * max) {
                err.printf(Locale.ROOT, "stampede %s: warning: the heap is %.0f %% full after garbage collection "
                        + "(%.1f of %.1f GB), mostly device state (about %d bytes per device): if the run fails with "
                        + "OutOfMemoryError, run it again with more heap (STAMPEDE_JAVA_OPTS=-Xmx%dg) or with "
                        + "--set job.stateBackend=rocksdb%n", command, 100.0 * live / max, live / 1e9, max / 1e9,
                        BYTES_PER_DEVICE, Math.max(2, Math.round(2 * max / 1e9)));
                err.flush();
                return;
            }
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
