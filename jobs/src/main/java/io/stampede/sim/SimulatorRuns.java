package io.stampede.sim;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Progress and results of simulator runs in this JVM, so the demo can show a progress bar while the
 * job plays the scenario and read the ground truth when it is over.
 */
public final class SimulatorRuns {

    private static final Map<String, FleetSimulator> RUNNING = new ConcurrentHashMap<>();
    private static final Map<String, SimResult> FINISHED = new ConcurrentHashMap<>();

    private SimulatorRuns() {}

    static void started(String runId, FleetSimulator sim) {
        RUNNING.put(runId, sim);
    }

    static void finished(String runId, FleetSimulator sim) {
        RUNNING.remove(runId);
        FINISHED.put(runId, sim.result());
    }

    /** Share of the scenario played so far (0..1), or -1 if the run has not started. */
    public static double progress(String runId) {
        FleetSimulator sim = RUNNING.get(runId);
        if (sim == null) {
            return FINISHED.containsKey(runId) ? 1 : -1;
        }
        return sim.secondsPlayed() / (double) sim.totalSeconds();
    }

    /** Event time of the second being played, or -1. */
    public static long simulatedTime(String runId) {
        FleetSimulator sim = RUNNING.get(runId);
        return sim == null ? -1 : sim.nextSecondMillis();
    }

    /** The ground truth of a finished run (removed from the registry), or null. */
    public static SimResult take(String runId) {
        return FINISHED.remove(runId);
    }
}
