package io.stampede.detect;

import com.fasterxml.jackson.annotation.JsonSetter;
import io.stampede.alert.AlertBook;
import io.stampede.alert.AlertType;
import io.stampede.plan.ScalingState;
import io.stampede.plan.ThrottleState;
import java.util.List;
import java.util.TreeMap;

/**
 * Everything the detectors and planners of one segment remember between buckets. Kept in Flink
 * keyed state (one per segment) and serialized as JSON, so fields can be added without breaking
 * savepoints; a state written before the detectors had their own (flat fields) still reads.
 */
public final class SegmentState {

    /** How many past buckets of excess boots are kept for the logins still to come from them. */
    static final int RECENT_BUCKETS = 32;

    String segment;
    long lastBucket = Long.MIN_VALUE;
    long lastData = Long.MIN_VALUE;

    // The shared models, learned from every bucket. The two baselines learn only while their
    // detector (reboot wave, login surge) finds the segment undisturbed.
    RateBaseline boots = new RateBaseline();
    RateBaseline firstAttempts = new RateBaseline();
    /** Boots of armed devices (an update waiting for their reboot): where a forced wave shows first. */
    RateBaseline armedBoots = new RateBaseline();
    double[] classRates = new double[4];
    double amplification = 1;
    FastTrend armedBootRate = new FastTrend();
    double unexplainedBootRate;
    double[] recentExcessBoots = new double[RECENT_BUCKETS];
    Census census = new Census();
    TreeMap<String, Long> armed = new TreeMap<>();
    /** Per update still armed: when it forces the reboot (epoch ms), as its latest installs said. */
    TreeMap<String, Long> rebootBy = new TreeMap<>();
    /** The forced wave being watched to learn how long such waves take: its update, start and pool. */
    String forcedUpdate;
    long forcedStart = Long.MIN_VALUE;
    long forcedPool;
    /** How long the region's forced waves took (the window of the assumed shape), or 0 before one was seen. */
    long learnedRebootWindowMs;
    BootLoginModel bootLogin = new BootLoginModel();
    NodeHealthBook nodes = new NodeHealthBook();

    // The episode of each detector (see episode()), then what detectors keep of their own.
    Hysteresis wave = new Hysteresis();
    Hysteresis surge = new Hysteresis();
    Hysteresis retryStorm = new Hysteresis();
    Hysteresis degraded = new Hysteresis();
    Hysteresis capacityRisk = new Hysteresis();
    RebootWaveDetector.State rebootWave = new RebootWaveDetector.State();
    RetryStormDetector.State retries = new RetryStormDetector.State();
    RateCheck.Episode surgeEpisode = new RateCheck.Episode();

    ThrottleState throttle = new ThrottleState();
    ScalingState scaling = new ScalingState();
    double admitPerSec = -1;
    AlertBook alerts;
    /** The ids of the controls in force at the last bucket, to log and count when they change. */
    List<String> controlsInForce = List.of();

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

    public List<String> controlsInForce() {
        return controlsInForce;
    }

    public void controlsInForce(List<String> ids) {
        controlsInForce = List.copyOf(ids);
    }

    public long armedTotal() {
        long n = 0;
        for (long v : armed.values()) {
            n += v;
        }
        return n;
    }

    /** The hysteresis of a detector's alert: hot, firing, calm. */
    Hysteresis episode(AlertType type) {
        return switch (type) {
            case REBOOT_WAVE -> wave;
            case LOGIN_SURGE -> surge;
            case RETRY_STORM -> retryStorm;
            case AUTH_DEGRADED -> degraded;
            case CAPACITY_RISK -> capacityRisk;
        };
    }

    // Fields of the state before the detectors kept their own, read from older savepoints.

    @JsonSetter("attribution")
    private void readAttribution(WaveAttribution v) {
        rebootWave.attribution = v;
    }

    @JsonSetter("waveBoots")
    private void readWaveBoots(long v) {
        rebootWave.boots = v;
    }

    @JsonSetter("waveArmedBoots")
    private void readWaveArmedBoots(long v) {
        rebootWave.armedBoots = v;
    }

    @JsonSetter("wavePeakRatio")
    private void readWavePeakRatio(double v) {
        rebootWave.episode.peakRatio = v;
    }

    @JsonSetter("normalRetryShare")
    private void readNormalRetryShare(double v) {
        retries.normalShare = v;
    }
}
