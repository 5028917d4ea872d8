package io.stampede.detect;

import java.util.Map;
import java.util.TreeMap;

/**
 * The latest health report of each auth node of a region, and what they add up to: healthy
 * capacity (nodes that report healthy and were heard from recently), the capacity of every node
 * known, the capacity-weighted p99 latency and error rate.
 */
public final class NodeHealthBook {

    /** Nodes silent for this many stale-periods are forgotten altogether. */
    private static final int FORGET_AFTER_STALE_PERIODS = 20;

    private TreeMap<String, NodeSample> nodes = new TreeMap<>();

    public void report(NodeSample sample) {
        NodeSample known = nodes.get(sample.node());
        if (known == null || known.time() <= sample.time()) {
            nodes.put(sample.node(), sample);
        }
    }

    /** Health of the region at {@code now}, counting only nodes heard from within {@code staleAfterMs}. */
    public Health health(long now, long staleAfterMs) {
        nodes.values().removeIf(n -> now - n.time() > staleAfterMs * FORGET_AFTER_STALE_PERIODS);
        double healthy = 0;
        double known = 0;
        int healthyNodes = 0;
        int freshNodes = 0;
        double latencyWeighted = 0;
        double errorWeighted = 0;
        double weight = 0;
        double maxNodeCapacity = 0;
        for (Map.Entry<String, NodeSample> e : nodes.entrySet()) {
            NodeSample n = e.getValue();
            known += Math.max(0, n.capacityPerSec());
            maxNodeCapacity = Math.max(maxNodeCapacity, n.capacityPerSec());
            if (now - n.time() > staleAfterMs) {
                continue;
            }
            freshNodes++;
            if (n.healthy()) {
                healthy += n.capacityPerSec();
                healthyNodes++;
            }
            double w = Math.max(1, n.capacityPerSec());
            if (n.p99LatencyMs() >= 0) {
                latencyWeighted += w * n.p99LatencyMs();
            }
            if (n.errorRate() >= 0) {
                errorWeighted += w * n.errorRate();
            }
            weight += w;
        }
        double perNode = healthyNodes > 0 ? healthy / healthyNodes : maxNodeCapacity;
        return new Health(healthy, known, healthyNodes, freshNodes, nodes.size(),
                weight > 0 ? latencyWeighted / weight : -1, weight > 0 ? errorWeighted / weight : -1, perNode);
    }

    /**
     * Forgets the nodes not heard from within {@code staleAfterMs}: nodes that left on purpose (a
     * scale-down), which would otherwise count as capacity lost until they are forgotten by age.
     */
    public void forgetSilent(long now, long staleAfterMs) {
        nodes.values().removeIf(n -> now - n.time() > staleAfterMs);
    }

    public boolean isEmpty() {
        return nodes.isEmpty();
    }

    /** The region's auth tier at one moment. Latency and error rate are -1 when nobody reported them. */
    public record Health(
            double healthyCapacity,
            double knownCapacity,
            int healthyNodes,
            int freshNodes,
            int knownNodes,
            double p99LatencyMs,
            double errorRate,
            double perNodeCapacity) {

        public boolean hasNodes() {
            return knownNodes > 0;
        }
    }
}
