package io.stampede.detect;

import io.stampede.admission.AttemptClass;
import io.stampede.event.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything counted for one segment in one event-time bucket: the unit that travels from the
 * per-device stage to the per-segment detectors. Partial counts from several parallel instances
 * of the device stage are {@link #merge merged} before the bucket is evaluated.
 *
 * <p>A Flink POJO (public fields, no-arg constructor) because it crosses the network.
 */
public class BucketStats {

    /** Outcomes per attempt class (values() makes a new array each call: counted once, here). */
    private static final int OUTCOMES = Outcome.values().length;
    /** Login attempt counts are kept per class (4) and outcome (5). */
    public static final int LOGIN_CELLS = AttemptClass.values().length * OUTCOMES;

    public String segment;
    public long bucketStart;
    /** Distinct devices that booted in the bucket. */
    public long boots;
    /** ...of which had installed an update that needed a reboot and had not rebooted since. */
    public long armedBoots;
    /**
     * ...of which were of devices in the boot-pairing sample ({@link PairingSample}): the boots
     * whose automatic logins are paired, the denominator of the share that log in by themselves.
     */
    public long sampledBoots;
    /** Booting devices per attribute value, keyed {@code attribute=value}. */
    public Map<String, Long> bootAttributes = new HashMap<>();
    public long[] logins = new long[LOGIN_CELLS];
    public long latencySumMs;
    public long latencyCount;
    /** First automatic logins paired with the same device's boot shortly before. */
    public long autoLoginsAfterBoot;
    public long bootToLoginSumMs;
    /** Boot-to-login delays of those pairs, in bins of {@link BootLoginModel#BIN_MS}. */
    public long[] bootToLoginBins = new long[BootLoginModel.BINS];
    /** Change of the armed pool per update id. */
    public Map<String, Long> armedDelta = new HashMap<>();
    /** The latest forced-reboot time (epoch ms) installs of each update announced in the bucket. */
    public Map<String, Long> rebootBy = new HashMap<>();
    /** Change of the device census per attribute value, keyed {@code attribute=value}. */
    public Map<String, Long> censusDelta = new HashMap<>();
    /** Devices joined (+) or left (-) the census, where a count is given as a number (a counts file). */
    public long devicesDelta;
    /** The distinct devices heard from in the bucket, a serialized {@link DeviceSketch}; null if none. */
    public byte[] deviceSketch;
    public List<NodeSample> nodes = new ArrayList<>();
    public long duplicates;

    public BucketStats() {}

    public BucketStats(String segment, long bucketStart) {
        this.segment = segment;
        this.bucketStart = bucketStart;
    }

    public static int cell(AttemptClass cls, Outcome outcome) {
        return cls.ordinal() * OUTCOMES + outcome.ordinal();
    }

    public long logins(AttemptClass cls) {
        long n = 0;
        int base = cls.ordinal() * OUTCOMES;
        for (int i = 0; i < OUTCOMES; i++) {
            n += logins[base + i];
        }
        return n;
    }

    public long logins(Outcome outcome) {
        long n = 0;
        for (AttemptClass c : AttemptClass.values()) {
            n += logins[cell(c, outcome)];
        }
        return n;
    }

    public long totalLogins() {
        long n = 0;
        for (long v : logins) {
            n += v;
        }
        return n;
    }

    public long failedLogins() {
        return logins(Outcome.FAILURE) + logins(Outcome.REJECTED) + logins(Outcome.TIMEOUT);
    }

    public long throttledLogins() {
        return logins(Outcome.THROTTLED);
    }

    /** First attempts of every trigger (what clients newly ask for, before retries). */
    public long firstAttempts() {
        return logins(AttemptClass.INTERACTIVE) + logins(AttemptClass.TOKEN_REFRESH) + logins(AttemptClass.AUTO);
    }

    /** Adds {@code other}'s counts to this one. */
    public void merge(BucketStats other) {
        boots += other.boots;
        armedBoots += other.armedBoots;
        sampledBoots += other.sampledBoots;
        add(bootAttributes, other.bootAttributes);
        for (int i = 0; i < LOGIN_CELLS; i++) {
            logins[i] += other.logins[i];
        }
        latencySumMs += other.latencySumMs;
        latencyCount += other.latencyCount;
        autoLoginsAfterBoot += other.autoLoginsAfterBoot;
        bootToLoginSumMs += other.bootToLoginSumMs;
        for (int i = 0; i < BootLoginModel.BINS; i++) {
            bootToLoginBins[i] += other.bootToLoginBins[i];
        }
        add(armedDelta, other.armedDelta);
        for (Map.Entry<String, Long> e : other.rebootBy.entrySet()) {
            rebootBy.merge(e.getKey(), e.getValue(), Math::max);
        }
        add(censusDelta, other.censusDelta);
        devicesDelta += other.devicesDelta;
        deviceSketch = DeviceSketch.union(deviceSketch, other.deviceSketch);
        nodes.addAll(other.nodes);
        duplicates += other.duplicates;
    }

    static void add(Map<String, Long> into, Map<String, Long> from) {
        for (Map.Entry<String, Long> e : from.entrySet()) {
            into.merge(e.getKey(), e.getValue(), Long::sum);
        }
    }

    @Override
    public String toString() {
        return "BucketStats[" + segment + " @" + bucketStart + " boots=" + boots + " logins=" + totalLogins()
                + " nodes=" + nodes.size() + "]";
    }
}
