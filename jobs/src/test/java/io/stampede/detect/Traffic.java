package io.stampede.detect;

import io.stampede.Fixtures;
import io.stampede.admission.AttemptClass;
import io.stampede.event.Outcome;

/**
 * Hand-made closed buckets of one region, for the detector tests: a steady normal traffic the
 * baselines learn (a few user reboots, interactive logins, a healthy auth tier) and whatever a test
 * adds on top of it.
 */
public final class Traffic {

    public static final String REGION = "eu-west";
    public static final String UPDATE = "KB-TEST-1";

    /** Devices known in the region, all on one OS build. */
    public static final long DEVICES = 20_000;
    /** Auth nodes of the region, each sustaining this many logins per second. */
    public static final int NODES = 4;
    public static final double NODE_CAPACITY = 10;
    /** Normal boots and first login attempts per bucket, before the small deterministic wobble. */
    public static final int NORMAL_BOOTS = 5;
    public static final int NORMAL_LOGINS = 50;

    private final long bucketMs;

    public Traffic(long bucketMs) {
        this.bucketMs = bucketMs;
    }

    public long start(int bucket) {
        return Fixtures.T0 + 8 * Fixtures.HOUR + bucket * bucketMs;
    }

    /** Bucket {@code i} of the normal traffic (the census arrives with bucket 0). */
    public Builder normal(int i) {
        Builder b = new Builder(new BucketStats(REGION, start(i)));
        if (i == 0) {
            b.stats.devicesDelta = DEVICES;
            b.stats.censusDelta.put(Attributes.key(Attributes.OS_BUILD, "b1"), DEVICES);
        }
        int wobble = i % 3 - 1;
        return b.boots(NORMAL_BOOTS + wobble, "USER", null, false)
                .logins(AttemptClass.INTERACTIVE, Outcome.SUCCESS, NORMAL_LOGINS + 2 * wobble)
                .healthyNodes();
    }

    /** A bucket with nothing in it but the auth tier's health reports. */
    public Builder quiet(int i) {
        return new Builder(new BucketStats(REGION, start(i))).healthyNodes();
    }

    /** Adds to one bucket's counts. */
    public static final class Builder {
        final BucketStats stats;

        Builder(BucketStats stats) {
            this.stats = stats;
        }

        /** {@code n} devices booting for {@code reason}, with {@code updateId} installed (armed: not rebooted since). */
        public Builder boots(long n, String reason, String updateId, boolean armed) {
            stats.boots += n;
            if (armed) {
                stats.armedBoots += n;
                stats.armedDelta.merge(updateId, -n, Long::sum);
            }
            stats.bootAttributes.merge(Attributes.key(Attributes.REBOOT_REASON, reason), n, Long::sum);
            stats.bootAttributes.merge(Attributes.key(Attributes.OS_BUILD, "b1"), n, Long::sum);
            if (updateId != null) {
                stats.bootAttributes.merge(Attributes.key(Attributes.UPDATE_ID, updateId), n, Long::sum);
            }
            return this;
        }

        /** {@code n} devices installing {@code updateId}, which needs a reboot. */
        public Builder installs(long n, String updateId) {
            stats.armedDelta.merge(updateId, n, Long::sum);
            stats.censusDelta.merge(Attributes.key(Attributes.UPDATE_ID, updateId), n, Long::sum);
            return this;
        }

        /** {@code n} devices installing {@code updateId}, which forces its reboot from {@code rebootBy}. */
        public Builder installs(long n, String updateId, long rebootBy) {
            stats.rebootBy.merge(updateId, rebootBy, Math::max);
            return installs(n, updateId);
        }

        public Builder logins(AttemptClass cls, Outcome outcome, long n) {
            stats.logins[BucketStats.cell(cls, outcome)] += n;
            return this;
        }

        public Builder healthyNodes() {
            return nodes(120, 0.0, NODES);
        }

        /** Reports of every node: {@code healthy} of them healthy, all with this p99 latency and error rate. */
        public Builder nodes(double p99LatencyMs, double errorRate, int healthy) {
            stats.nodes.clear();
            for (int n = 0; n < NODES; n++) {
                stats.nodes.add(new NodeSample("node-" + n, stats.bucketStart, NODE_CAPACITY, 3, 0.4, p99LatencyMs,
                        errorRate, n < healthy));
            }
            return this;
        }

        public BucketStats build() {
            return stats;
        }
    }
}
