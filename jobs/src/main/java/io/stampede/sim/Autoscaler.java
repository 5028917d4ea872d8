package io.stampede.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The auth tiers' autoscaler in the run that follows Stampede, as KEDA or an HPA follows
 * {@code desiredNodes}: an UP request raises a region's node count to the desired count, the new
 * nodes serving {@code nodeStartup} after the request was issued; a DOWN request removes nodes as
 * soon as it arrives, the newest first (those still starting too); HOLD changes nothing. A region
 * never has fewer nodes than its scenario gives it, nor more than {@link #MAX_FACTOR} times as
 * many. Requests reach the autoscaler as directives reach the front door: {@code deliveryMs}
 * after they were issued. Without requests (the run that ignores Stampede) the count stays fixed.
 */
public final class Autoscaler {

    /** A real autoscaler has a maximum replica count; here it is this many times the scenario's nodes. */
    public static final int MAX_FACTOR = 4;

    /** The scaling requests Stampede published, as far as they have reached the autoscaler. */
    public interface RequestFeed {
        /** Requests issued at or before {@code upToMillis} that were not returned before. */
        List<ScalingRequest> poll(long upToMillis);
    }

    private final List<String> regions = new ArrayList<>();
    private final int[] scenarioNodes;
    private final RequestFeed feed;
    private final long deliveryMs;
    private final long startupMs;
    /** Per region: when each node beyond the scenario's starts serving, in the order they were added. */
    private final List<List<Long>> added = new ArrayList<>();
    private long appliedUpTo = Long.MIN_VALUE;

    /**
     * @param feed Stampede's scaling requests, or null for a tier that keeps its nodes
     * @param deliveryMs how long a request takes to reach the autoscaler
     * @param startupMs how long a new node takes to serve
     */
    public Autoscaler(Scenario scenario, RequestFeed feed, long deliveryMs, long startupMs) {
        this.scenarioNodes = new int[scenario.regions().size()];
        for (int r = 0; r < scenarioNodes.length; r++) {
            regions.add(scenario.regions().get(r).name());
            scenarioNodes[r] = scenario.regions().get(r).nodes();
            added.add(new ArrayList<>());
        }
        this.feed = feed;
        this.deliveryMs = deliveryMs;
        this.startupMs = startupMs;
    }

    /** The autoscaler of a tier that keeps the scenario's nodes. */
    public static Autoscaler fixed(Scenario scenario) {
        return new Autoscaler(scenario, null, 0, 0);
    }

    /** The most nodes a region of the scenario can have. */
    public static int maxNodes(Scenario.Region region) {
        return MAX_FACTOR * region.nodes();
    }

    /** Nodes of region {@code r} serving at event time {@code t}; {@code t} never goes back. */
    public int nodes(int r, long t) {
        if (feed != null && t > appliedUpTo) {
            for (ScalingRequest q : feed.poll(t - deliveryMs)) {
                apply(q, t);
            }
            appliedUpTo = t;
        }
        int serving = scenarioNodes[r];
        for (long from : added.get(r)) {
            if (from <= t) {
                serving++;
            }
        }
        return serving;
    }

    private void apply(ScalingRequest q, long now) {
        int r = regions.indexOf(q.region());
        if (r < 0) {
            return; // the whole fleet's signal: no tier of its own to scale
        }
        List<Long> nodes = added.get(r);
        int target = Math.max(scenarioNodes[r], Math.min(MAX_FACTOR * scenarioNodes[r], q.desiredNodes()));
        switch (q.direction()) {
            case UP -> {
                long servingFrom = Math.max(now, q.issuedAt() + startupMs);
                while (scenarioNodes[r] + nodes.size() < target) {
                    nodes.add(servingFrom);
                }
            }
            case DOWN -> {
                while (scenarioNodes[r] + nodes.size() > target) {
                    nodes.remove(nodes.size() - 1);
                }
            }
            case HOLD -> { }
        }
    }
}
