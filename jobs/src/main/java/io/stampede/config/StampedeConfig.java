package io.stampede.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every setting of Stampede, typed. Loaded by {@link ConfigLoader} from the bundled defaults
 * ({@code stampede-defaults.yaml}, which documents each one), a configuration file and
 * {@code --set key=value} overrides, and validated before anything starts: the annotations on the
 * components ({@link Positive}, {@link Range}, ...) are each setting's constraints, checked by
 * {@link ConfigCheck}; the rules between settings are in {@link ConfigLoader}.
 */
public record StampedeConfig(
        Input input,
        Detection detection,
        Capacity capacity,
        Forecast forecast,
        Throttle throttle,
        Scaling scaling,
        Alerts alerts,
        Job job,
        Kafka kafka,
        Delivery delivery,
        Metrics metrics,
        Map<String, Map<String, Object>> regions) implements Serializable {

    public record Input(
            @Positive int maxRecordBytes,
            @Positive @Range(max = 512 * 1024, why = "a dead letter must fit in one Kafka record (max.message.bytes is "
                    + "1 MB by default, and bytes kept in base64 grow by a third), or the broker refuses it")
            int deadLetterKeepBytes,
            @NonNegative Duration outOfOrderness,
            @NonNegative Duration allowedLateness,
            @Positive Duration idleness,
            @Positive Duration dedupWindow,
            @Positive Duration deviceStateTtl,
            PersonalData personalData) implements Serializable {}

    /**
     * Fields of input records that are personal data, and the key their values are hashed with
     * where a record is kept (dead letters); without a key they are redacted.
     */
    public record PersonalData(List<String> fields, String key) implements Serializable {

        /** Masks the key: it is a secret, and records print their fields. */
        @Override
        public String toString() {
            return "PersonalData[fields=" + fields + ", key=" + (key.isEmpty() ? "" : "******") + "]";
        }
    }

    /**
     * The detection settings. The warm-up and the time constants scale with the bucket where the
     * configuration leaves them out: 60, 60 and 180 buckets (10, 10 and 30 minutes at 10 s).
     */
    public record Detection(
            @DurationRange(min = "1s", max = "1h", wholeSeconds = true) Duration bucket,
            @MayBeAbsent @NonNegative Duration warmup,
            @MayBeAbsent @Positive Duration levelTimeConstant,
            @MayBeAbsent @Positive Duration trendTimeConstant,
            @Positive Duration seasonSlot,
            @Range(min = 0, max = 1) double noiseFloor,
            @NonNegative Duration adoptShiftAfter,
            boolean fleetSegment,
            Duration incidentLinkWindow,
            Duration updateInterval,
            RateRule rebootWave,
            RateRule loginSurge,
            RetryStorm retryStorm,
            AuthDegraded authDegraded) implements Serializable {

        static final int WARMUP_BUCKETS = 60;
        static final int LEVEL_BUCKETS = 60;
        static final int TREND_BUCKETS = 180;

        public Duration warmupTime() {
            return warmup != null ? warmup : bucket.multipliedBy(WARMUP_BUCKETS);
        }

        public Duration levelTime() {
            return levelTimeConstant != null ? levelTimeConstant : bucket.multipliedBy(LEVEL_BUCKETS);
        }

        public Duration trendTime() {
            return trendTimeConstant != null ? trendTimeConstant : bucket.multipliedBy(TREND_BUCKETS);
        }
    }

    /**
     * Firing and clearing rule of a detector that compares a rate with its baseline. The
     * attribution settings are the reboot wave's (null for the surge).
     *
     * @param fireEvidence decades of improbability, summed over consecutive buckets, that fire
     * @param allowance decades each bucket must exceed to add to the evidence
     */
    public record RateRule(
            @Positive double fireEvidence,
            @NonNegative double allowance,
            @Range(min = 1, minExclusive = true) double fireRatio,
            @NonNegative double minPerSec,
            double clearRatio,
            @NonNegative Duration clearAfter,
            double criticalRatio,
            @MayBeAbsent @Range(min = 0, max = 1) Double attributionMinShare,
            @MayBeAbsent Double attributionMinLift) implements Serializable {}

    public record RetryStorm(
            double minAttemptsPerSec,
            @Range(min = 0, max = 1) double fireFailureShare,
            @Range(min = 0, max = 1) double fireRetryShareRise,
            Duration clearAfter,
            @Range(min = 0, max = 1) double criticalFailureShare) implements Serializable {}

    public record AuthDegraded(
            @Positive double p99LatencyMs,
            @Range(min = 0, max = 1) double errorRate,
            @Range(min = 0, max = 1) double minHealthyCapacityShare,
            Duration fireAfter,
            Duration clearAfter,
            @Range(min = 0, max = 1) double criticalErrorRate,
            @Range(min = 0, max = 1) double criticalHealthyCapacityShare) implements Serializable {}

    /**
     * @param staticCapacity logins per second the region's auth tier handles when its nodes send no
     *     NODE_HEALTH (0: unknown, and the region gets no capacity risk, directives or signals)
     * @param staticNodes how many nodes make up {@code staticCapacity} (0: not known, no scaling signals)
     */
    public record Capacity(
            @Range(min = 0, minExclusive = true, max = 1) double safeUtilization,
            @Positive Duration nodeStaleAfter,
            @NonNegative double staticCapacity,
            @NonNegative int staticNodes) implements Serializable {}

    public record Forecast(
            Duration horizon,
            Duration maxBootToLogin,
            @Positive int pairingSample,
            @Range(min = 0, max = 1) double defaultAutoLoginShare,
            Duration defaultBootToLogin,
            Duration clearAfter,
            @Range(min = 0, max = 1) double clearBelow,
            @NonNegative Duration urgentWithin,
            @NonNegative Duration criticalWithin,
            @Range(min = 0, max = 1) double criticalDemandShare,
            @Positive Duration armedBootLevelTimeConstant,
            @Positive Duration armedBootTrendTimeConstant,
            ArmedPool armedPool) implements Serializable {}

    /**
     * The latent risk of an armed pool whose update forces its reboot ({@code rebootBy}): the
     * demand it would bring if it rebooted as forced waves do, forecast before the first reboot.
     */
    public record ArmedPool(
            boolean enabled,
            @Positive Duration rebootWindow,
            @Range(min = 0, minExclusive = true, max = 1) double rebootPeakAt,
            @Positive Duration lookahead) implements Serializable {}

    public record Throttle(
            boolean enabled,
            Duration ttl,
            Duration renewEvery,
            Duration controlLatency,
            @Range(min = 0, minExclusive = true, max = 1) double releaseStep,
            Duration releaseInterval,
            Duration minRetryAfter,
            Duration maxRetryAfter,
            @NonNegative Duration startWithin) implements Serializable {}

    public record Scaling(boolean enabled, Duration nodeStartup, Duration scaleDownAfter, @Positive Duration emitEvery)
            implements Serializable {}

    public record Alerts(
            String runbookBaseUrl,
            @DurationRange(min = "0s", max = "30m", why = "a fleet alert waits this long before it is raised")
            Duration fleetGrace) implements Serializable {}

    public record Job(
            @Range(min = 1, max = 1024) int parallelism,
            @Positive Duration checkpointInterval,
            String checkpointDir,
            @OneOf({"hashmap", "rocksdb"}) String stateBackend,
            boolean incrementalCheckpoints,
            int restartAttempts,
            Duration restartDelay) implements Serializable {}

    public record Kafka(
            String bootstrapServers,
            String groupId,
            @OneOf({"committed", "earliest", "latest", "timestamp"}) String startFrom,
            String startTimestamp,
            Topics topics,
            String transactionalIdPrefix,
            @DurationRange(max = "15m", why = "the broker's transaction.max.timeout.ms is 15m by default, and the "
                    + "broker refuses a longer transaction timeout") Duration transactionTimeout,
            OutputTimestamps outputTimestamps,
            Map<String, String> properties) implements Serializable {}

    public record Topics(
            String logins,
            String telemetry,
            String alerts,
            String directives,
            String signals,
            String deadLetters,
            String control) implements Serializable {}

    /** {@code stampede deliver}: where alerts go besides the alerts topic, and how hard to try. */
    public record Delivery(
            Alertmanager alertmanager,
            PagerDuty pagerduty,
            @HttpUrl(example = "https://grafana.example.com/d/stampede?var-incident={incident}", emptyMeansOff = true,
                    placeholders = {"dedupKey", "incident", "region", "type"}) String generatorUrl,
            Retry retry,
            @Positive Duration requestTimeout,
            @Range(min = 1, max = 1_000_000) int queueCapacity,
            @NotBlank String groupId,
            @NonNegative Duration lookback,
            @FilePath(why = "what could not be delivered is written there") String failedDeliveries)
            implements Serializable {}

    /** Alertmanager API v2; an empty url turns it off. */
    public record Alertmanager(
            @HttpUrl(example = "http://alertmanager:9093", emptyMeansOff = true) String url,
            @Positive Duration resendInterval) implements Serializable {

        public boolean enabled() {
            return !url.isBlank();
        }
    }

    /** PagerDuty Events API v2; an empty routing key turns it off. */
    public record PagerDuty(@HttpUrl(example = "https://events.pagerduty.com") String url, String routingKey)
            implements Serializable {

        public boolean enabled() {
            return !routingKey.isBlank();
        }

        /** Masks the routing key: it is a secret, and records print their fields. */
        @Override
        public String toString() {
            return "PagerDuty[url=" + url + ", routingKey=" + (routingKey.isEmpty() ? "" : "******") + "]";
        }
    }

    /** Retries of one request: exponential backoff with jitter between attempts. */
    public record Retry(
            @Positive Duration initialBackoff,
            Duration maxBackoff,
            @Range(min = 1, max = 100) int maxAttempts) implements Serializable {}

    /**
     * Metrics of the embedded cluster: Flink's Prometheus reporter on a port or a port range
     * ({@code 9249}, {@code 9249-9260}); empty turns it off. A Flink cluster configures its own.
     */
    public record Metrics(@PortRange String prometheusPort) implements Serializable {

        public boolean prometheusEnabled() {
            return !prometheusPort.isBlank();
        }
    }
}
