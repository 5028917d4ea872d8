package io.stampede.io.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks, before a command starts reading or writing, that the broker answers and the topics
 * exist, so that a wrong address or a missing topic is one clear message after a bounded wait
 * instead of a client that retries silently.
 */
public final class KafkaTopics {

    private KafkaTopics() {}

    /** The broker could not be reached, or a topic is missing or not accessible. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }

    /**
     * The partition count of each topic, in the order given.
     *
     * @param client client properties (bootstrap servers and security settings, see {@link KafkaIo#clientProperties})
     * @param timeout how long to wait for the broker
     * @throws Unavailable when the broker does not answer in time, or a topic is missing or not accessible
     */
    public static Map<String, Integer> partitions(Properties client, Collection<String> topics, Duration timeout) {
        String bootstrap = client.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        Properties p = new Properties();
        p.putAll(client);
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(millis));
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(millis));
        // Fewer "could not connect" warnings while an absent broker is waited for.
        p.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
        p.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "stampede-topic-check");
        Map<String, Integer> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        try (Admin admin = Admin.create(p)) {
            Map<String, KafkaFuture<TopicDescription>> futures =
                    admin.describeTopics(new LinkedHashSet<>(topics)).topicNameValues();
            for (Map.Entry<String, KafkaFuture<TopicDescription>> e : futures.entrySet()) {
                try {
                    out.put(e.getKey(), e.getValue().get(millis + 5_000L, TimeUnit.MILLISECONDS).partitions().size());
                } catch (ExecutionException failed) {
                    Throwable cause = failed.getCause();
                    if (cause instanceof UnknownTopicOrPartitionException) {
                        missing.add(e.getKey());
                    } else {
                        throw explain(cause, bootstrap, e.getKey(), timeout);
                    }
                } catch (java.util.concurrent.TimeoutException late) {
                    throw explain(new TimeoutException(late.getMessage()), bootstrap, e.getKey(), timeout);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while asking Kafka at " + bootstrap + " about its topics");
        }
        if (!missing.isEmpty()) {
            boolean one = missing.size() == 1;
            throw new Unavailable((one ? "topic '" + missing.get(0) + "' does not exist"
                    : "topics " + String.join(", ", missing.stream().map(t -> "'" + t + "'").toList())
                            + " do not exist") + " at " + bootstrap + "; create " + (one ? "it" : "them")
                    + " (deploy/local/stack.sh up creates the default topics) or set kafka.topics.* to the topics "
                    + "to use");
        }
        return out;
    }

    private static Unavailable explain(Throwable cause, String bootstrap, String topic, Duration timeout) {
        if (cause instanceof TimeoutException) {
            return new Unavailable("Kafka at " + bootstrap + " did not answer within " + timeout.toSeconds()
                    + " s; is the broker running and kafka.bootstrapServers right? Set it with --set "
                    + "kafka.bootstrapServers=HOST:PORT or in the configuration file. (Kafka: " + cause.getMessage()
                    + ")");
        }
        if (cause instanceof AuthenticationException) {
            return new Unavailable("Kafka at " + bootstrap + " refused the connection: " + cause.getMessage()
                    + " (check the security settings in kafka.properties)");
        }
        if (cause instanceof AuthorizationException) {
            return new Unavailable("not allowed to use topic '" + topic + "' at " + bootstrap + ": "
                    + cause.getMessage());
        }
        return new Unavailable("Kafka at " + bootstrap + " could not describe topic '" + topic + "': " + cause);
    }
}
