package io.stampede.detect;

/** The latest health report of one auth node. Absent measurements are -1. */
public record NodeSample(
        String node,
        long time,
        double capacityPerSec,
        long inflight,
        double cpu,
        double p99LatencyMs,
        double errorRate,
        boolean healthy) {}
