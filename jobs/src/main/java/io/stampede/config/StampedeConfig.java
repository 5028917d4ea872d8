package io.stampede.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every setting of Stampede, typed. Loaded by {@link ConfigLoader} from the bundled defaults
 * ({@code stampede-defaults.yaml}, which documents each one), a configuration file and
 * {@code --set key=value} overrides, and validated before anything starts.
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
        Metrics metrics) implements Serializable {

    public record Input(
            int maxRecordBytes,
            int deadLetterKeepBytes,
            Duration outOfOrderness,
            Duration allowedLateness,
            Duration idleness,
            Duration dedupWindow,
            Duration deviceStateTtl,
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

    public record Detection(
            Duration bucket,
            Duration warmup,
            Duration levelTimeConstant,
            Duration trendTimeConstant,
            boolean fleetSegment,
            Duration incidentLinkWindow,
            Duration updateInterval,
            RateRule rebootWave,
            RateRule loginSurge,
            RetryStorm retryStorm,
            AuthDegraded authDegraded) implements Serializable {}

    /**
     * Firing and clearing rule of a detector that compares a rate with its baseline. The
     * attribution settings and {@code criticalRatio} are the reboot wave's (null for the surge).
     */
    public record RateRule(
            double fireScore,
            double fireRatio,
            double minPerSec,
            double clearRatio,
            Duration clearAfter,
            @MayBeAbsent Double attributionMinShare,
            @MayBeAbsent Double attributionMinLift,
            @MayBeAbsent Double criticalRatio) implements Serializable {}

    public record RetryStorm(
            double minAttemptsPerSec,
            double fireFailureShare,
            double fireRetryShareRise,
            Duration clearAfter,
            double criticalFailureShare) implements Serializable {}

    public record AuthDegraded(
            double p99LatencyMs,
            double errorRate,
            double minHealthyCapacityShare,
            Duration fireAfter,
            Duration clearAfter,
            double criticalErrorRate,
            double criticalHealthyCapacityShare) implements Serializable {}

    public record Capacity(double safeUtilization, Duration nodeStaleAfter) implements Serializable {}

    public record Forecast(
            Duration horizon,
            Duration maxBootToLogin,
            double defaultAutoLoginShare,
            Duration defaultBootToLogin,
            Duration clearAfter,
            double clearBelow,
            Duration urgentWithin,
            Duration criticalWithin,
            double criticalDemandShare,
            Duration armedBootLevelTimeConstant,
            Duration armedBootTrendTimeConstant) implements Serializable {}

    public record Throttle(
            boolean enabled,
            Duration ttl,
            Duration renewEvery,
            Duration controlLatency,
            double releaseStep,
            Duration releaseInterval,
            Duration minRetryAfter,
            Duration maxRetryAfter) implements Serializable {}

    public record Scaling(boolean enabled, Duration nodeStartup, Duration scaleDownAfter, Duration emitEvery)
            implements Serializable {}

    public record Alerts(String runbookBaseUrl) implements Serializable {}

    public record Job(
            int parallelism,
            Duration checkpointInterval,
            String checkpointDir,
            String stateBackend,
            boolean incrementalCheckpoints,
            int restartAttempts,
            Duration restartDelay) implements Serializable {}

    public record Kafka(
            String bootstrapServers,
            String groupId,
            String startFrom,
            String startTimestamp,
            Topics topics,
            String transactionalIdPrefix,
            Duration transactionTimeout,
            OutputTimestamps outputTimestamps,
            Map<String, String> properties) implements Serializable {}

    public record Topics(
            String logins,
            String telemetry,
            String alerts,
            String directives,
            String signals,
            String deadLetters) implements Serializable {}

    /** {@code stampede deliver}: where alerts go besides the alerts topic, and how hard to try. */
    public record Delivery(
            Alertmanager alertmanager,
            PagerDuty pagerduty,
            String generatorUrl,
            Retry retry,
            Duration requestTimeout,
            int queueCapacity,
            String groupId,
            Duration lookback,
            String failedDeliveries) implements Serializable {}

    /** Alertmanager API v2; an empty url turns it off. */
    public record Alertmanager(String url, Duration resendInterval) implements Serializable {

        public boolean enabled() {
            return !url.isBlank();
        }
    }

    /** PagerDuty Events API v2; an empty routing key turns it off. */
    public record PagerDuty(String url, String routingKey) implements Serializable {

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
    public record Retry(Duration initialBackoff, Duration maxBackoff, int maxAttempts) implements Serializable {}

    /**
     * Metrics of the embedded cluster: Flink's Prometheus reporter on a port or a port range
     * ({@code 9249}, {@code 9249-9260}); empty turns it off. A Flink cluster configures its own.
     */
    public record Metrics(String prometheusPort) implements Serializable {

        public boolean prometheusEnabled() {
            return !prometheusPort.isBlank();
        }
    }
}
