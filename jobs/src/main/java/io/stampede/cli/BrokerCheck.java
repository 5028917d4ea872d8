package io.stampede.cli;

import io.stampede.config.Durations;
import io.stampede.config.StampedeConfig;
import io.stampede.io.kafka.KafkaIo;
import io.stampede.io.kafka.KafkaTopics;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --broker-timeout}: every command that talks to Kafka first checks that the broker answers
 * and its topics exist, and reports a wrong address or a missing topic in one message after a
 * bounded wait, instead of a client that retries and warns forever.
 */
public final class BrokerCheck {

    @Option(names = "--broker-timeout", defaultValue = "30s", paramLabel = "DURATION",
            description = "How long to wait at start for the Kafka broker to answer and its topics to be found "
                    + "before giving up with a message (default: ${DEFAULT-VALUE}).")
    String brokerTimeout;

    /** The wait, checked: a usage error unless it is a duration of at least a second. */
    Duration timeout() {
        Duration d;
        try {
            d = Durations.parse(brokerTimeout);
        } catch (RuntimeException e) {
            throw new StampedeCli.UserException("--broker-timeout: " + e.getMessage());
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new StampedeCli.UserException("--broker-timeout must be at least 1s, got " + brokerTimeout);
        }
        return d;
    }

    /**
     * The partition count of each topic.
     *
     * @throws KafkaTopics.Unavailable when the broker did not answer in time or a topic is missing
     */
    Map<String, Integer> partitions(StampedeConfig.Kafka kafka, Collection<String> topics) {
        return KafkaTopics.partitions(KafkaIo.clientProperties(kafka), topics, timeout());
    }
}
