package io.stampede.detect;

import io.stampede.alert.AlertBook;
import io.stampede.plan.ScalingState;
import io.stampede.plan.ThrottleState;
import java.util.TreeMap;

/**
 * Everything the detectors and planners of one segment remember between buckets. Kept in Flink
 * keyed state (one per segment) and serialized as JSON, so fields can be added without breaking
 * savepoints.
 */
public final class SegmentState {

    /** How many past buckets of excess boots are kept for the logins still to come from them. */
    static final int RECENT_BUCKETS = 32;

    String segment;
    long lastBucket = Long.MIN_VALUE;
    long lastData = Long.MIN_VALUE;

    RateBaseline boots = new RateBaseline();
    RateBaseline firstAttempts = new RateBaseline();
    Hysteresis wave = new Hysteresis();
    Hysteresis surge = new Hysteresis();
    Hysteresis retryStorm = new Hysteresis();
    Hysteresis degraded = new Hysteresis();
    Hysteresis capacityRisk = new Hysteresis();

    double normalRetryShare = Double.NaN;
    double[] classRates = new double[4];
    double amplification = 1;

    FastTrend armedBootRate = new FastTrend();
    double unexplainedBootRate;
    double[] recentExcessBoots = new double[RECENT_BUCKETS];

    WaveAttribution attribution = new WaveAttribution();
    long waveBoots;
    long waveArmedBoots;
    double wavePeakRatio;
    Census census = new Census();
    TreeMap<String, Long> armed = new TreeMap<>();
    BootLoginModel bootLogin = new BootLoginModel();
    NodeHealthBook nodes = new NodeHealthBook();

    ThrottleState throttle = new ThrottleState();
    ScalingState scaling = new ScalingState();
    double admitPerSec = -1;
    AlertBook alerts;

    SegmentState() {}

    public SegmentState(String segment) {
        this.segment = segment;
        this.alerts = new AlertBook(segment);
    }

    public String segment() {
        return segment;
    }

    public long lastBucket() {
        return lastBucket;
    }

    /** Start of the last bucket that had data, or MIN. */
    public long lastData() {
        return lastData;
    }

    public void noteData(long bucketStart) {
        lastData = Math.max(lastData, bucketStart);
    }

    public long armedTotal() {
        long n = 0;
        for (long v : armed.values()) {
            n += v;
        }
        return n;
    }
}
