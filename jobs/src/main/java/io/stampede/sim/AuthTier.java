package io.stampede.sim;

import io.stampede.event.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One region's auth tier: its nodes serve up to their capacity per second; beyond that up to
 * {@link #QUEUE_SECONDS} of capacity waits for the next second (queued attempts that wait longer
 * than {@link #QUEUE_TIMEOUT_MS} time out), and the rest fail at once. Sustained overload costs
 * capacity (congestion collapse). Failed clients retry with exponential backoff. Every 10 s each
 * node reports its health from what the tier went through. How many nodes serve is the
 * {@link Autoscaler}'s to say.
 */
final class AuthTier {

    /** How much the tier queues when it is busy, in seconds of its capacity. */
    static final double QUEUE_SECONDS = 2;
    /** Queued attempts waiting longer than this time out. */
    static final long QUEUE_TIMEOUT_MS = 5_000;

    private final int r;
    private final Scenario.Region region;
    private final Scenario.Clients clients;
    private final SplittableRandom random;
    private final SimResult result;
    private final EventRecords records;
    private final Calendar calendar;
    private final Autoscaler autoscaler;

    private final List<Attempt> waiting = new ArrayList<>();
    private final List<Integer> windowLatency = new ArrayList<>();
    private double load;
    private long windowAdmitted;
    private long windowFailed;
    /** Nodes serving in the second last served. */
    private int nodes;

    AuthTier(Scenario scenario, int r, SplittableRandom random, SimResult result, EventRecords records,
            Calendar calendar, Autoscaler autoscaler) {
        this.r = r;
        this.region = scenario.regions().get(r);
        this.clients = scenario.clients();
        this.random = random;
        this.result = result;
        this.records = records;
        this.calendar = calendar;
        this.autoscaler = autoscaler;
        this.nodes = region.nodes();
    }

    /** Serves the attempts the front door admitted in second {@code second} (starting at {@code t}). */
    void serve(FleetSimulator.Sink sink, long t, int second, List<Attempt> admitted) {
        SimResult.RegionSeries series = result.regions.get(region.name());
        nodes = autoscaler.nodes(r, t);
        double capacity = nodes * region.nodeCapacityPerSec();
        series.nodes[second] = nodes;
        series.admitted[second] = admitted.size();
        series.capacity[second] = capacity;
        windowAdmitted += admitted.size();
        for (int i = admitted.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Attempt tmp = admitted.get(i);
            admitted.set(i, admitted.get(j));
            admitted.set(j, tmp);
        }
        List<Attempt> candidates = new ArrayList<>(waiting.size() + admitted.size());
        candidates.addAll(waiting);
        admitted.sort(Comparator.comparingInt(Attempt::ms));
        candidates.addAll(admitted);
        waiting.clear();
        // Congestion collapse follows sustained overload (about 20 s), not a one-second burst.
        load = 0.95 * load + 0.05 * candidates.size() / capacity;
        double effective = load <= 1 ? capacity : capacity * Math.max(0.5, 1 - 0.4 * (load - 1));
        // A fluid queue: the tier works through attempts in arrival order at its effective rate.
        double serviceMs = 1000.0 / effective;
        double busyUntil = 0;
        int queueCap = (int) (QUEUE_SECONDS * capacity);
        for (Attempt a : candidates) {
            boolean carried = a.arrived() < t;
            double arrival = carried ? 0 : a.ms();
            double start = Math.max(arrival, busyUntil);
            long waitedBefore = t - a.arrived();
            if (start + serviceMs <= 1000) {
                busyUntil = start + serviceMs;
                int latency = (int) (40 + 40 * random.nextDouble() + (start - arrival)
                        + (carried ? waitedBefore - a.ms() : 0));
                records.login(sink, a, t + (long) start, Outcome.SUCCESS, latency);
                series.served[second]++;
                windowLatency.add(latency);
                if (a.deferred()) {
                    result.deferredLoginsServed++;
                    result.deferralSecondsSum += (t + start - a.sessionStart()) / 1000.0;
                }
            } else if (waiting.size() < queueCap && waitedBefore + 1000 <= QUEUE_TIMEOUT_MS) {
                waiting.add(a);
            } else {
                int latency = (int) Math.max(waitedBefore, QUEUE_TIMEOUT_MS);
                records.login(sink, a, t + a.ms(), random.nextInt(10) < 7 ? Outcome.TIMEOUT : Outcome.FAILURE, latency);
                windowLatency.add(latency);
                series.failed[second]++;
                windowFailed++;
                if (a.attempt() >= clients.maxAttempts()) {
                    result.abandonedLogins++;
                } else {
                    long backoff = Math.min(clients.retryBackoffMax().toMillis(),
                            clients.retryBackoffBase().toMillis() << Math.min(20, a.attempt() - 1));
                    long wait = (long) (backoff * (0.5 + random.nextDouble()));
                    calendar.plan(second + (int) Math.max(1, wait / 1000),
                            Calendar.Action.attempt(a.device(), a.trigger(), a.attempt() + 1, a.sessionStart(),
                                    a.deferred()));
                }
            }
        }
    }

    /** The health report of each node serving at {@code t}, from the last 10 s; starts the next window. */
    void reportHealth(FleetSimulator.Sink sink, long t) {
        double capacity = nodes * region.nodeCapacityPerSec();
        double utilization = windowAdmitted / 10.0 / capacity;
        double errorRate = windowAdmitted == 0 ? 0 : windowFailed / (double) windowAdmitted;
        windowLatency.sort(null);
        double p99 = windowLatency.isEmpty() ? 80
                : Math.max(80, windowLatency.get((int) Math.floor(0.99 * (windowLatency.size() - 1))));
        for (int n = 0; n < nodes; n++) {
            double share = utilization * (0.9 + 0.2 * random.nextDouble());
            // Each node sees its own share of the failures; it fails its health check at half.
            double nodeErrors = Math.min(1, errorRate * (0.6 + 0.8 * random.nextDouble()));
            records.nodeHealth(sink, r, n, t, (long) (windowAdmitted / 10.0 / nodes * p99 / 1000.0),
                    round(Math.min(1, share)), (long) p99, round(nodeErrors), nodeErrors < 0.5);
        }
        windowAdmitted = 0;
        windowFailed = 0;
        windowLatency.clear();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
