import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The Kafka side of deploy/local/stack.sh: waits for the broker, creates the topics, describes them.
 * One JVM for all of it, where kafka-topics would need one JVM (about 2 s) per topic.
 *
 * <pre>
 *   KafkaAdmin wait     BOOTSTRAP TIMEOUT_S
 *   KafkaAdmin ensure   BOOTSTRAP TIMEOUT_S NAME:PARTITIONS[:compact] ...
 *   KafkaAdmin describe BOOTSTRAP TIMEOUT_S
 * </pre>
 *
 * <p>{@code ensure} is idempotent: it creates missing topics (replication factor 1) and sets
 * {@code cleanup.policy=compact} on existing ones that ask for it; it never deletes anything and
 * only warns when an existing topic has another partition count. Exit status: 0 done, 1 the broker
 * did not answer within the timeout, 2 bad usage, 3 a Kafka error.
 */
public final class KafkaAdmin {

    private KafkaAdmin() {}

    /** A requested topic: {@code name:partitions[:compact]}. */
    record TopicSpec(String name, int partitions, boolean compact) {
        static TopicSpec parse(String spec) {
            String[] parts = spec.split(":");
            if (parts.length < 2 || parts.length > 3 || parts[0].isBlank()
                    || (parts.length == 3 && !parts[2].equals("compact"))) {
                throw new IllegalArgumentException(
                        "bad topic spec '" + spec + "', expected NAME:PARTITIONS[:compact]");
            }
            return new TopicSpec(parts[0], Integer.parseInt(parts[1]), parts.length == 3);
        }
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            usage();
        }
        String command = args[0];
        String bootstrap = args[1];
        long timeoutMs = TimeUnit.SECONDS.toMillis(Long.parseLong(args[2]));
        try (Admin admin = Admin.create(adminProperties(bootstrap))) {
            if (!awaitBroker(admin, timeoutMs)) {
                System.err.printf("Kafka at %s did not answer within %d s%n", bootstrap, timeoutMs / 1000);
                System.exit(1);
            }
            switch (command) {
                case "wait" -> System.out.println("Kafka at " + bootstrap + " answers");
                case "ensure" -> {
                    List<TopicSpec> specs = new ArrayList<>();
                    for (int i = 3; i < args.length; i++) {
                        specs.add(TopicSpec.parse(args[i]));
                    }
                    ensureTopics(admin, specs);
                    describe(admin, specs.stream().map(TopicSpec::name).collect(Collectors.toCollection(TreeSet::new)));
                }
                case "describe" -> describe(admin, admin.listTopics().names().get());
                default -> usage();
            }
        } catch (ExecutionException e) {
            System.err.println("Kafka error: " + e.getCause());
            System.exit(3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(3);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    private static void usage() {
        System.err.println("usage: KafkaAdmin wait|ensure|describe BOOTSTRAP TIMEOUT_SECONDS [NAME:PARTITIONS[:compact] ...]");
        System.exit(2);
    }

    private static Properties adminProperties(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "stampede-local-stack");
        // Short timeouts: each attempt fails fast while the broker is still starting, and we retry.
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        return props;
    }

    /** Polls until the broker answers a metadata request, or the deadline passes. */
    private static boolean awaitBroker(Admin admin, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            try {
                admin.listTopics().names().get(3, TimeUnit.SECONDS);
                return true;
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                if (System.currentTimeMillis() >= deadline) {
                    return false;
                }
                Thread.sleep(250);
            }
        }
    }

    private static void ensureTopics(Admin admin, List<TopicSpec> specs)
            throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = new ArrayList<>();
        for (TopicSpec spec : specs) {
            if (!existing.contains(spec.name())) {
                NewTopic topic = new NewTopic(spec.name(), spec.partitions(), (short) 1);
                if (spec.compact()) {
                    topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                }
                missing.add(topic);
            }
        }
        for (Map.Entry<String, ? extends org.apache.kafka.common.KafkaFuture<Void>> created :
                admin.createTopics(missing).values().entrySet()) {
            try {
                created.getValue().get();
                System.out.println("created topic " + created.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }

        Map<String, TopicDescription> descriptions =
                admin.describeTopics(specs.stream().map(TopicSpec::name).toList()).allTopicNames().get();
        Map<ConfigResource, Config> configs = topicConfigs(admin, descriptions.keySet());
        for (TopicSpec spec : specs) {
            int partitions = descriptions.get(spec.name()).partitions().size();
            if (partitions != spec.partitions()) {
                System.err.printf("warning: topic %s has %d partitions, %d wanted (delete it or run 'stack.sh clean' to recreate)%n",
                        spec.name(), partitions, spec.partitions());
            }
            String policy = cleanupPolicy(configs, spec.name());
            if (spec.compact() && !TopicConfig.CLEANUP_POLICY_COMPACT.equals(policy)) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
                AlterConfigOp setCompact = new AlterConfigOp(
                        new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
                        AlterConfigOp.OpType.SET);
                admin.incrementalAlterConfigs(Map.of(resource, List.of(setCompact))).all().get();
                System.out.println("set cleanup.policy=compact on topic " + spec.name());
            }
        }
    }

    /** Prints one line per topic: name, partitions, replication factor, cleanup policy. */
    private static void describe(Admin admin, Collection<String> names)
            throws ExecutionException, InterruptedException {
        Set<String> sorted = new TreeSet<>(names);
        if (sorted.isEmpty()) {
            System.out.println("  (no topics)");
            return;
        }
        Map<String, TopicDescription> descriptions = admin.describeTopics(sorted).allTopicNames().get();
        Map<ConfigResource, Config> configs = topicConfigs(admin, sorted);
        int width = sorted.stream().mapToInt(String::length).max().orElse(10);
        for (String name : sorted) {
            TopicDescription description = descriptions.get(name);
            System.out.printf("  %-" + width + "s  partitions=%d  replication=%d  cleanup.policy=%s%n",
                    name,
                    description.partitions().size(),
                    description.partitions().get(0).replicas().size(),
                    cleanupPolicy(configs, name));
        }
    }

    private static Map<ConfigResource, Config> topicConfigs(Admin admin, Collection<String> names)
            throws ExecutionException, InterruptedException {
        return admin.describeConfigs(names.stream()
                        .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                        .toList())
                .all().get();
    }

    private static String cleanupPolicy(Map<ConfigResource, Config> configs, String topic) {
        ConfigEntry entry = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic))
                .get(TopicConfig.CLEANUP_POLICY_CONFIG);
        return entry == null ? "?" : entry.value();
    }
}
