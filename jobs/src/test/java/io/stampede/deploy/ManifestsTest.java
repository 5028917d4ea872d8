package io.stampede.deploy;

import static io.stampede.deploy.Manifests.deploy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.RequiredTools;
import io.stampede.RequiredTools.Tool;
import io.stampede.config.ConfigLoader;
import io.stampede.config.Durations;
import io.stampede.config.StampedeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deployment files under deploy/ (Kubernetes manifests, image, docker compose, monitoring)
 * parse, validate against the Flink Kubernetes Operator's CRD, and agree with each other and with
 * Stampede's own configuration. The facts they share are stated once, in {@link DeployFacts}.
 */
class ManifestsTest {

    private static final Path FLINK_DEPLOYMENT = deploy("k8s/flinkdeployment.yaml");
    private static final Path CONFIG_SECRET = deploy("k8s/stampede-config.yaml");
    private static final Path CONFIG_MAP_VARIANT = deploy("k8s/variants/stampede-config-configmap.yaml");
    private static final Path RBAC = deploy("k8s/rbac.yaml");
    private static final Path KAFKA_TOPICS = deploy("k8s/topics/kafkatopics.yaml");
    private static final Path CREATE_TOPICS = deploy("k8s/topics/create-topics.sh");
    private static final Path KEDA = deploy("k8s/autoscaling/keda-scaledobject.yaml");
    private static final Path HPA = deploy("k8s/autoscaling/hpa-prometheus-adapter.yaml");
    private static final Path PROMETHEUS_RULE = deploy("k8s/prometheus/stampede-rules.yaml");
    private static final Path PLAIN_RULES = deploy("k8s/prometheus/stampede.rules.yml");
    private static final Path RULE_TESTS = deploy("k8s/prometheus/stampede.rules.test.yml");
    private static final Path POD_MONITOR = deploy("k8s/prometheus/podmonitor.yaml");
    private static final Path ALERTMANAGER = deploy("k8s/alertmanager/alertmanager.yaml");
    private static final Path DOCKERFILE = deploy("docker/Dockerfile");
    private static final Path COMPOSE = deploy("docker/docker-compose.yml");
    private static final Path COMPOSE_CONFIG = deploy("docker/stampede.yaml");
    private static final Path COMPOSE_PROMETHEUS = deploy("docker/prometheus.yml");
    private static final Path COMPOSE_ALERTMANAGER = deploy("docker/alertmanager.yml");

    /** Flink 1.x keys removed from (or deprecated in) Flink 2.x that old examples still use. */
    private static final List<String> FLINK_1_KEYS = List.of(
            "state.checkpoints.dir", "state.savepoints.dir", "state.backend", "state.backend.incremental",
            "state.checkpoints.num-retained", "restart-strategy", "high-availability");

    static JsonNode flinkDeployment() {
        return Manifests.onlyOfKind(FLINK_DEPLOYMENT, "FlinkDeployment");
    }

    static Map<String, String> flinkConfiguration() {
        return Manifests.settings(flinkDeployment().at("/spec/flinkConfiguration"));
    }

    static JsonNode mainContainer(JsonNode deployment) {
        return StreamSupport.stream(deployment.at("/spec/podTemplate/spec/containers").spliterator(), false)
                .filter(c -> "flink-main-container".equals(c.path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the pod template has no flink-main-container"));
    }

    /** FLINK_PROPERTIES of a docker compose service, as settings. */
    static Map<String, String> composeFlinkProperties(String service) {
        JsonNode properties = Manifests.single(COMPOSE).at("/services/" + service + "/environment/FLINK_PROPERTIES");
        assertThat(properties.isTextual()).as("FLINK_PROPERTIES of " + service).isTrue();
        return Manifests.settings(Manifests.parse(properties.asText()));
    }

    /** Stampede's topic names, as stampede-defaults.yaml states them (kafka.topics.*). */
    static Set<String> defaultTopicNames() {
        JsonNode topics = Manifests.parse(ConfigLoader.defaultsText()).at("/kafka/topics");
        Set<String> names = new TreeSet<>();
        topics.forEach(t -> names.add(t.asText()));
        assertThat(names).hasSize(7);
        return names;
    }

    @Nested
    class Parsing {

        static List<Path> yamlFiles() {
            return Manifests.yamlFilesUnderDeploy();
        }

        static Stream<String> yamlFilesUnderDeploy() {
            Path deploy = Manifests.repoRoot().resolve("deploy");
            return yamlFiles().stream().map(p -> deploy.relativize(p).toString());
        }

        @ParameterizedTest(name = "deploy/{0}")
        @MethodSource("yamlFilesUnderDeploy")
        void everyYamlFileUnderDeployParses(String name) {
            Path file = deploy(name);
            List<JsonNode> docs = Manifests.documents(file);
            assertThat(docs).as(file + " has documents").isNotEmpty();
            assertThat(docs).as(file + ": every document is a mapping").allMatch(JsonNode::isObject);
        }

        @Test
        void findsTheFilesThisTestIsAbout() {
            assertThat(yamlFiles()).contains(FLINK_DEPLOYMENT, CONFIG_SECRET, KAFKA_TOPICS, KEDA, PROMETHEUS_RULE,
                    ALERTMANAGER, COMPOSE);
            assertThat(Manifests.documents(KAFKA_TOPICS)).hasSize(7);
        }
    }

    @Nested
    class AgainstTheOperatorCrd {

        private static OperatorCrdSchema loaded;

        /** The schema of the operator's CRD (the copy vendored with the tests, or -Dstampede.crd=PATH). */
        private static synchronized OperatorCrdSchema crd() {
            if (loaded == null) {
                Path location = OperatorCrdSchema.location();
                assertThat(location).as("the FlinkDeployment CRD (-D" + DeployFacts.CRD_PROPERTY + ")").isRegularFile();
                loaded = OperatorCrdSchema.load(location, "v1beta1");
            }
            return loaded;
        }

        @Test
        void flinkDeploymentValidatesAgainstOperatorCrd() {
            assertThat(crd().validate(flinkDeployment())).isEmpty();
        }

        @Test
        void rejectsDeploymentWithUnknownUpgradeMode() {
            ObjectNode broken = flinkDeployment().deepCopy();
            ((ObjectNode) broken.at("/spec/job")).put("upgradeMode", "last_state");

            assertThat(crd().validate(broken))
                    .singleElement(InstanceOfAssertFactories.STRING).contains("upgradeMode").contains("enumeration");
        }

        static Stream<Arguments> brokenDeployments() {
            return Stream.of(
                    broken("parallelism written as text", "parallelism",
                            d -> job(d).put("parallelism", "two")),
                    broken("a misspelled field (strict field validation)", "upgradMode",
                            d -> job(d).put("upgradMode", "last-state")),
                    broken("job state not in the enum", "state",
                            d -> job(d).put("state", "started")),
                    broken("the Flink version as a number instead of the enum", "flinkVersion",
                            d -> ((ObjectNode) d.get("spec")).put("flinkVersion", "2.2")),
                    broken("cpu as a Kubernetes quantity (the CRD wants a number)", "cpu",
                            d -> ((ObjectNode) d.at("/spec/jobManager/resource")).put("cpu", "500m")),
                    broken("a container port written as its name", "containerPort",
                            d -> ((ObjectNode) mainContainer(d).at("/ports/0")).put("containerPort", "metrics")),
                    broken("args as one string instead of a list", "args",
                            d -> job(d).put("args", "--config " + DeployFacts.CONFIG_PATH)),
                    broken("a resource of another API version", "apiVersion",
                            d -> d.put("apiVersion", "flink.apache.org/v1")));
        }

        private static Arguments broken(String what, String field, Consumer<ObjectNode> mutation) {
            return Arguments.of(what, field, mutation);
        }

        private static ObjectNode job(ObjectNode deployment) {
            return (ObjectNode) deployment.at("/spec/job");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("brokenDeployments")
        void rejectsBrokenDeployment(String what, String field, Consumer<ObjectNode> mutation) {
            ObjectNode broken = flinkDeployment().deepCopy();
            mutation.accept(broken);

            assertThat(crd().validate(broken)).as(what).isNotEmpty().allMatch(m -> m.contains(field));
        }
    }

    @Nested
    class FlinkDeployment {

        @Test
        void runsTheStampedeJarInApplicationMode() {
            JsonNode job = flinkDeployment().at("/spec/job");

            assertThat(job.path("jarURI").asText()).isEqualTo(DeployFacts.JAR_URI);
            assertThat(job.path("entryClass").asText()).isEqualTo(DeployFacts.ENTRY_CLASS);
            assertThat(job.path("args")).extracting(JsonNode::asText).containsExactly(DeployFacts.PROGRAM_ARGS);
            assertThat(job.path("upgradeMode").asText()).isEqualTo("last-state");
            assertThat(job.path("state").asText()).isEqualTo("running");
        }

        @Test
        void usesFlink2ConfigurationKeysOnly() {
            Map<String, String> conf = flinkConfiguration();

            assertThat(conf).containsKeys("execution.checkpointing.dir", "state.backend.type",
                    "execution.checkpointing.savepoint-dir", "execution.checkpointing.interval");
            assertThat(conf).doesNotContainKeys(FLINK_1_KEYS.toArray(String[]::new));
            assertThat(new FlinkConfigKeys().problems(conf)).isEmpty();
        }

        @Test
        void writesEveryFlinkSettingAsText() {
            flinkDeployment().at("/spec/flinkConfiguration").properties().forEach(e ->
                    assertThat(e.getValue().isTextual()).as(e.getKey() + " is quoted text").isTrue());
        }

        @Test
        void checkpointsExactlyOnceWithWhatLastStateUpgradesNeed() {
            Map<String, String> conf = flinkConfiguration();

            assertThat(conf).containsEntry("execution.checkpointing.mode", "EXACTLY_ONCE")
                    .containsEntry("state.backend.type", "rocksdb")
                    .containsEntry("execution.checkpointing.incremental", "true")
                    .containsEntry("high-availability.type", "kubernetes")
                    .containsKey("high-availability.storageDir");
            assertThat(conf.get("execution.checkpointing.dir")).isNotBlank();
        }

        @Test
        void exposesTheReporterPortOnEveryPod() {
            JsonNode deployment = flinkDeployment();
            Map<String, String> conf = flinkConfiguration();
            JsonNode port = mainContainer(deployment).at("/ports/0");
            JsonNode annotations = deployment.at("/spec/podTemplate/metadata/annotations");

            assertThat(conf).containsEntry("metrics.reporter.prom.factory.class", DeployFacts.REPORTER_FACTORY)
                    .containsEntry("metrics.reporter.prom.port", String.valueOf(DeployFacts.METRICS_PORT))
                    .containsEntry(DeployFacts.LABEL_FILTER_KEY, DeployFacts.LABEL_FILTER);
            assertThat(port.path("name").asText()).isEqualTo("metrics");
            assertThat(port.path("containerPort").asInt()).isEqualTo(DeployFacts.METRICS_PORT);
            assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
            assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(String.valueOf(DeployFacts.METRICS_PORT));
            assertThat(deployment.at("/spec/jobManager/podTemplate").isMissingNode())
                    .as("one pod template for both JobManager and TaskManager").isTrue();
            assertThat(deployment.at("/spec/taskManager/podTemplate").isMissingNode()).isTrue();
        }

        @Test
        void mountsTheConfigSecretWhereTheArgumentsPointIt() {
            JsonNode deployment = flinkDeployment();
            JsonNode mount = mainContainer(deployment).at("/volumeMounts/0");
            JsonNode volume = deployment.at("/spec/podTemplate/spec/volumes/0");
            JsonNode secret = Manifests.onlyOfKind(CONFIG_SECRET, "Secret");

            assertThat(volume.path("name").asText()).isEqualTo(mount.path("name").asText());
            assertThat(mount.path("mountPath").asText() + "/" + volume.at("/secret/items/0/path").asText())
                    .isEqualTo(DeployFacts.CONFIG_PATH);
            assertThat(volume.at("/secret/items/0/key").asText()).isEqualTo(DeployFacts.CONFIG_KEY);
            assertThat(volume.at("/secret/secretName").asText()).isEqualTo(secret.at("/metadata/name").asText());
            assertThat(secret.at("/metadata/namespace").asText()).isEqualTo(deployment.at("/metadata/namespace").asText());
        }

        @Test
        void runsUnderTheServiceAccountThatRbacGrants() {
            JsonNode deployment = flinkDeployment();
            String account = deployment.at("/spec/serviceAccount").asText();
            String namespace = deployment.at("/metadata/namespace").asText();

            assertThat(Manifests.onlyOfKind(RBAC, "ServiceAccount").at("/metadata/name").asText()).isEqualTo(account);
            JsonNode binding = Manifests.onlyOfKind(RBAC, "RoleBinding");
            assertThat(binding.at("/subjects/0/name").asText()).isEqualTo(account);
            assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(namespace);
            assertThat(Manifests.onlyOfKind(RBAC, "Role").at("/rules/0/resources"))
                    .extracting(JsonNode::asText).contains("pods", "configmaps");
        }
    }

    @Nested
    class StampedeConfiguration {

        static Stream<Arguments> configFiles() {
            return Stream.of(
                    Arguments.of("k8s Secret", Manifests.entry(Manifests.onlyOfKind(CONFIG_SECRET, "Secret"),
                            DeployFacts.CONFIG_KEY)),
                    Arguments.of("k8s ConfigMap variant", Manifests.entry(
                            Manifests.onlyOfKind(CONFIG_MAP_VARIANT, "ConfigMap"), DeployFacts.CONFIG_KEY)),
                    Arguments.of("docker compose", Manifests.read(COMPOSE_CONFIG)));
        }

        static StampedeConfig load(String yaml, Path dir) {
            return ConfigLoader.load(Manifests.write(dir.resolve("stampede.yaml"), yaml), List.of());
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("configFiles")
        void loadsWithStampedeConfigLoader(String where, String yaml, @TempDir Path dir) {
            StampedeConfig config = load(yaml, dir);

            StampedeConfig.Topics topics = config.kafka().topics();
            assertThat(new TreeSet<>(List.of(topics.logins(), topics.telemetry(), topics.alerts(), topics.directives(),
                    topics.signals(), topics.deadLetters(), topics.control()))).as(where).isEqualTo(defaultTopicNames());
        }

        @Test
        void kubernetesConfigAgreesWithTheFlinkDeployment(@TempDir Path dir) {
            StampedeConfig config = load(Manifests.entry(Manifests.onlyOfKind(CONFIG_SECRET, "Secret"),
                    DeployFacts.CONFIG_KEY), dir);

            assertJobSettingsAgree(config, flinkConfiguration(), flinkDeployment().at("/spec/job/parallelism").asInt());
            assertThat(config.kafka().properties()).containsKeys("security.protocol", "sasl.jaas.config");
        }

        @Test
        void configMapVariantDiffersOnlyInKafkaAuthentication(@TempDir Path dir) {
            StampedeConfig secret = load(Manifests.entry(Manifests.onlyOfKind(CONFIG_SECRET, "Secret"),
                    DeployFacts.CONFIG_KEY), dir);
            StampedeConfig plain = load(Manifests.entry(Manifests.onlyOfKind(CONFIG_MAP_VARIANT, "ConfigMap"),
                    DeployFacts.CONFIG_KEY), dir);

            assertThat(plain.job()).isEqualTo(secret.job());
            assertThat(plain.alerts()).isEqualTo(secret.alerts());
            assertThat(plain.kafka().properties()).isEmpty();
            assertThat(Manifests.onlyOfKind(CONFIG_MAP_VARIANT, "ConfigMap").at("/metadata/name").asText())
                    .isEqualTo(Manifests.onlyOfKind(CONFIG_SECRET, "Secret").at("/metadata/name").asText());
        }

        @Test
        void composeConfigAgreesWithComposeFlinkProperties(@TempDir Path dir) {
            StampedeConfig config = load(Manifests.read(COMPOSE_CONFIG), dir);
            Map<String, String> flink = composeFlinkProperties("jobmanager");

            assertJobSettingsAgree(config, flink, Integer.parseInt(flink.get("parallelism.default")));
        }

        /**
         * Stampede's job.* settings and the cluster's Flink settings say the same: the job sets its
         * parallelism from its own config, and its Kafka transactions must outlive a checkpoint.
         */
        private static void assertJobSettingsAgree(StampedeConfig config, Map<String, String> flink, int parallelism) {
            StampedeConfig.Job job = config.job();
            assertThat(job.parallelism()).as("job.parallelism").isEqualTo(parallelism);
            assertThat(job.checkpointDir()).as("job.checkpointDir").isEqualTo(flink.get("execution.checkpointing.dir"));
            assertThat(job.stateBackend()).as("job.stateBackend").isEqualTo(flink.get("state.backend.type"));
            assertThat(String.valueOf(job.incrementalCheckpoints())).as("job.incrementalCheckpoints")
                    .isEqualTo(flink.get("execution.checkpointing.incremental"));
            Duration interval = Durations.parse(flink.get("execution.checkpointing.interval"));
            assertThat(job.checkpointInterval()).as("job.checkpointInterval").isEqualTo(interval);
            Duration checkpointTimeout = Durations.parse(flink.get("execution.checkpointing.timeout"));
            assertThat(config.kafka().transactionTimeout()).as("kafka.transactionTimeout")
                    .isGreaterThan(interval.plus(checkpointTimeout));
        }
    }

    @Nested
    class Image {

        private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(\\S+)\\s+(\\S+)\\s*$");
        private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+flink:(\\d+\\.\\d+\\.\\d+)-java17\\s*$");

        @Test
        void dockerfileCopiesTheJarWhereTheDeploymentsRunIt() {
            Matcher copy = COPY.matcher(Manifests.read(DOCKERFILE));

            assertThat(copy.find()).as("a COPY line in the Dockerfile").isTrue();
            assertThat(copy.group(1)).isEqualTo("jobs/target/stampede.jar");
            assertThat(copy.group(2)).isEqualTo(DeployFacts.JAR_PATH);
            assertThat(DeployFacts.JAR_URI).isEqualTo(flinkDeployment().at("/spec/job/jarURI").asText());
            assertThat(Manifests.read(Manifests.repoRoot().resolve("jobs/pom.xml")))
                    .as("the shaded jar is jobs/target/stampede.jar").contains("<finalName>stampede</finalName>");
        }

        @Test
        void flinkVersionAgreesAcrossPomDockerfileAndDeployment() {
            Matcher pom = Pattern.compile("<flink\\.version>([^<]+)</flink\\.version>")
                    .matcher(Manifests.read(Manifests.repoRoot().resolve("pom.xml")));
            Matcher from = FROM.matcher(Manifests.read(DOCKERFILE));

            assertThat(pom.find()).isTrue();
            assertThat(from.find()).as("FROM flink:<version>-java17").isTrue();
            assertThat(from.group(1)).isEqualTo(pom.group(1));
            String[] version = pom.group(1).split("\\.");
            assertThat(flinkDeployment().at("/spec/flinkVersion").asText()).isEqualTo("v" + version[0] + "_" + version[1]);
        }
    }

    @Nested
    class Compose {

        private final JsonNode compose = Manifests.single(COMPOSE);

        private List<String> jobManagerCommand() {
            List<String> command = new ArrayList<>();
            compose.at("/services/jobmanager/command").forEach(c -> command.add(c.asText()));
            return command;
        }

        @Test
        void runsTheSameJobAsTheFlinkDeployment() {
            List<String> command = jobManagerCommand();

            assertThat(command).startsWith("standalone-job", "--job-classname", DeployFacts.ENTRY_CLASS);
            assertThat(command.subList(command.indexOf("--") + 1, command.size()))
                    .containsExactly(DeployFacts.PROGRAM_ARGS);
            assertThat(compose.at("/services/jobmanager/volumes")).extracting(JsonNode::asText)
                    .contains("./stampede.yaml:" + DeployFacts.CONFIG_PATH + ":ro");
        }

        /**
         * Flink's entrypoint parses its options with partial matching, so a bare --config would be
         * taken for its own --configDir and the job would get no arguments: "--" must come first.
         */
        @Test
        void programArgumentsFollowADoubleDash() {
            List<String> command = jobManagerCommand();

            assertThat(command).contains("--");
            assertThat(command.indexOf("--")).isLessThan(command.indexOf(DeployFacts.PROGRAM_ARGS[0]));
        }

        @Test
        void buildsTheImageFromTheRepositoryRoot() {
            for (String service : List.of("jobmanager", "taskmanager")) {
                JsonNode build = compose.at("/services/" + service + "/build");
                Path context = COMPOSE.getParent().resolve(build.path("context").asText()).normalize();
                assertThat(context).as(service + " build context").isEqualTo(Manifests.repoRoot());
                assertThat(context.resolve(build.path("dockerfile").asText())).isEqualTo(DOCKERFILE);
            }
        }

        @Test
        void flinkPropertiesUseFlink2KeysAndTheReporterPort() {
            for (String service : List.of("jobmanager", "taskmanager")) {
                Map<String, String> properties = composeFlinkProperties(service);
                assertThat(properties).as(service).doesNotContainKeys(FLINK_1_KEYS.toArray(String[]::new))
                        .containsEntry("metrics.reporter.prom.factory.class", DeployFacts.REPORTER_FACTORY)
                        .containsEntry("metrics.reporter.prom.port", String.valueOf(DeployFacts.METRICS_PORT))
                        .containsEntry(DeployFacts.LABEL_FILTER_KEY, DeployFacts.LABEL_FILTER);
                assertThat(new FlinkConfigKeys().problems(properties)).as(service).isEmpty();
            }
        }

        @Test
        void prometheusScrapesTheReporterAndLoadsTheSharedRules() {
            JsonNode prometheus = Manifests.single(COMPOSE_PROMETHEUS);
            JsonNode sd = prometheus.at("/scrape_configs/0/dns_sd_configs/0");

            assertThat(sd.path("port").asInt()).isEqualTo(DeployFacts.METRICS_PORT);
            assertThat(sd.path("names")).extracting(JsonNode::asText).containsExactlyInAnyOrder("jobmanager", "taskmanager");
            assertThat(mountedSources("prometheus")).contains(PLAIN_RULES, COMPOSE_PROMETHEUS);
            assertThat(mountedSources("alertmanager")).contains(COMPOSE_ALERTMANAGER);
        }

        @Test
        void createsTopicsWithTheSharedScriptOnOneReplica() {
            JsonNode init = compose.at("/services/kafka-init");

            assertThat(mountedSources("kafka-init")).contains(CREATE_TOPICS);
            assertThat(init.at("/environment/REPLICATION_FACTOR").asText()).isEqualTo("1");
            assertThat(init.at("/environment/MIN_INSYNC_REPLICAS").asText()).isEqualTo("1");
        }

        /** The host paths a service mounts, resolved against the compose file's folder. */
        private List<Path> mountedSources(String service) {
            List<Path> sources = new ArrayList<>();
            compose.at("/services/" + service + "/volumes").forEach(v -> {
                String source = v.asText().split(":")[0];
                if (source.startsWith(".")) {
                    Path path = COMPOSE.getParent().resolve(source).normalize();
                    assertThat(path).as(service + " mounts " + source).exists();
                    sources.add(path);
                }
            });
            return sources;
        }
    }

    @Nested
    class Topics {

        record TopicSpec(int partitions, int replicas, Map<String, String> config) {}

        static Map<String, TopicSpec> kafkaTopicResources() {
            Map<String, TopicSpec> topics = new TreeMap<>();
            for (JsonNode topic : Manifests.ofKind(KAFKA_TOPICS, "KafkaTopic")) {
                assertThat(topic.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
                String name = topic.at("/spec/topicName").asText(topic.at("/metadata/name").asText());
                topics.put(name, new TopicSpec(topic.at("/spec/partitions").asInt(), topic.at("/spec/replicas").asInt(),
                        new TreeMap<>(Manifests.settings(topic.at("/spec/config")))));
            }
            return topics;
        }

        /** Runs create-topics.sh with a kafka-topics.sh stand-in that records its arguments. */
        static Map<String, TopicSpec> createTopicsScript(Path dir, Map<String, String> env, String... args) {
            RequiredTools.require(Tool.BASH);
            Path log = dir.resolve("kafka-topics.log");
            Path fake = Manifests.write(dir.resolve("kafka-topics.sh"),
                    "#!/bin/sh\nprintf '%s\\t' \"$@\" >> \"$FAKE_LOG\"\nprintf '\\n' >> \"$FAKE_LOG\"\n");
            assertThat(fake.toFile().setExecutable(true)).isTrue();
            Map<String, String> environment = new LinkedHashMap<>(env);
            environment.put("KAFKA_TOPICS", fake.toString());
            environment.put("FAKE_LOG", log.toString());
            List<String> command = new ArrayList<>(List.of("bash", CREATE_TOPICS.toString()));
            command.addAll(List.of(args));

            Commands.Result result = Commands.run(dir, environment, command);

            assertThat(result.exitCode()).as(result.output()).isZero();
            Map<String, TopicSpec> topics = new TreeMap<>();
            for (String line : Manifests.read(log).split("\n")) {
                List<String> call = List.of(line.split("\t"));
                assertThat(call).as("each call creates one topic, idempotently").contains("--create", "--if-not-exists");
                Map<String, String> config = new TreeMap<>();
                for (int i = 0; i < call.size(); i++) {
                    if (call.get(i).equals("--config")) {
                        String[] kv = call.get(i + 1).split("=", 2);
                        config.put(kv[0], kv[1]);
                    }
                }
                topics.put(after(call, "--topic"), new TopicSpec(Integer.parseInt(after(call, "--partitions")),
                        Integer.parseInt(after(call, "--replication-factor")), config));
                assertThat(after(call, "--bootstrap-server")).isEqualTo("broker:9092");
            }
            return topics;
        }

        private static String after(List<String> call, String option) {
            int at = call.indexOf(option);
            assertThat(at).as(option + " in " + call).isNotNegative();
            return call.get(at + 1);
        }

        @Test
        void kafkaTopicsAreStampedesTopics() {
            Map<String, TopicSpec> topics = kafkaTopicResources();

            assertThat(topics.keySet()).isEqualTo(defaultTopicNames());
            assertThat(topics.values()).allSatisfy(t -> {
                assertThat(t.replicas()).isEqualTo(DeployFacts.TOPIC_REPLICAS);
                assertThat(t.config()).containsEntry("min.insync.replicas",
                        String.valueOf(DeployFacts.TOPIC_MIN_INSYNC_REPLICAS));
            });
        }

        @Test
        void throttleDirectivesTopicIsCompacted(@TempDir Path dir) {
            String directives = ConfigLoader.defaults().kafka().topics().directives();

            assertThat(kafkaTopicResources().get(directives).config()).containsEntry("cleanup.policy", "compact");
            assertThat(createTopicsScript(dir, Map.of(), "--bootstrap-server", "broker:9092").get(directives).config())
                    .containsEntry("cleanup.policy", "compact");
        }

        @Test
        void createTopicsScriptCreatesWhatTheKafkaTopicResourcesDeclare(@TempDir Path dir) {
            assertThat(createTopicsScript(dir, Map.of(), "--bootstrap-server", "broker:9092"))
                    .isEqualTo(kafkaTopicResources());
        }

        @Test
        void createTopicsScriptTakesItsConnectionAndReplicationFromEnvironment(@TempDir Path dir) {
            Map<String, TopicSpec> topics = createTopicsScript(dir, Map.of("BOOTSTRAP_SERVER", "broker:9092",
                    "REPLICATION_FACTOR", "1", "MIN_INSYNC_REPLICAS", "1", "COMMAND_CONFIG", "/etc/kafka/client.properties"));

            assertThat(topics.keySet()).isEqualTo(defaultTopicNames());
            assertThat(topics.values()).allSatisfy(t -> {
                assertThat(t.replicas()).isEqualTo(1);
                assertThat(t.config()).containsEntry("min.insync.replicas", "1");
            });
            assertThat(Manifests.read(dir.resolve("kafka-topics.log")))
                    .contains("--command-config\t/etc/kafka/client.properties\t");
        }
    }

    @Nested
    class Monitoring {

        private static final Pattern METRIC = Pattern.compile("\\b(flink_[A-Za-z0-9_]+)(\\{[^}]*})?");

        static List<JsonNode> rules(JsonNode groups) {
            List<JsonNode> rules = new ArrayList<>();
            groups.forEach(g -> g.path("rules").forEach(rules::add));
            return rules;
        }

        static List<JsonNode> stampedeRules() {
            return rules(Manifests.onlyOfKind(PROMETHEUS_RULE, "PrometheusRule").at("/spec/groups"));
        }

        @Test
        void kedaScalesTheAuthTierToTheDesiredNodesOfOneRegion() {
            JsonNode scaledObject = Manifests.onlyOfKind(KEDA, "ScaledObject");
            JsonNode trigger = scaledObject.at("/spec/triggers/0");
            int min = scaledObject.at("/spec/minReplicaCount").asInt();
            int max = scaledObject.at("/spec/maxReplicaCount").asInt();

            assertThat(scaledObject.path("apiVersion").asText()).isEqualTo("keda.sh/v1alpha1");
            assertThat(trigger.path("type").asText()).isEqualTo("prometheus");
            assertThat(trigger.path("metricType").asText()).isEqualTo("AverageValue");
            assertThat(trigger.at("/metadata/query").asText())
                    .isEqualTo("max(" + DeployFacts.DESIRED_NODES_METRIC + "{region=\"" + DeployFacts.EXAMPLE_REGION + "\"})");
            assertThat(trigger.at("/metadata/threshold").asText()).as("replicas = desired nodes").isEqualTo("1");
            assertThat(min).isPositive().isLessThan(max);
            assertThat(scaledObject.at("/spec/fallback/replicas").asInt()).isBetween(min, max);
        }

        @Test
        void hpaExampleFollowsTheSameMetric() {
            JsonNode adapter = Manifests.parse(Manifests.entry(Manifests.onlyOfKind(HPA, "ConfigMap"), "values.yaml"));
            JsonNode rule = adapter.at("/rules/external/0");
            JsonNode metric = Manifests.onlyOfKind(HPA, "HorizontalPodAutoscaler").at("/spec/metrics/0/external");
            String served = DeployFacts.DESIRED_NODES_METRIC.replaceFirst(rule.at("/name/matches").asText(),
                    rule.at("/name/as").asText());

            assertThat(rule.path("seriesQuery").asText()).contains(DeployFacts.DESIRED_NODES_METRIC);
            assertThat(metric.at("/metric/name").asText()).isEqualTo(served);
            assertThat(metric.at("/metric/selector/matchLabels/region").asText()).isEqualTo(DeployFacts.EXAMPLE_REGION);
            assertThat(metric.at("/target/averageValue").asText()).isEqualTo("1");
        }

        @Test
        void prometheusRulesUseOnlyKnownMetricNames() {
            Set<String> used = new TreeSet<>();
            for (JsonNode rule : stampedeRules()) {
                Matcher m = METRIC.matcher(rule.path("expr").asText());
                while (m.find()) {
                    used.add(m.group(1));
                    if (!m.group(1).contains("_stampede_region_")) {
                        assertThat(m.group(2)).as(rule.path("alert").asText() + ": " + m.group(1) + " selects Stampede's job")
                                .contains("job_name=\"" + DeployFacts.FLINK_JOB_NAME + "\"");
                    }
                }
            }

            assertThat(DeployFacts.KNOWN_METRICS).containsAll(used);
            assertThat(used).contains(DeployFacts.DESIRED_NODES_METRIC, "flink_jobmanager_job_uptime",
                    "flink_jobmanager_job_numberOfFailedCheckpoints", "flink_taskmanager_job_task_operator_pendingRecords",
                    DeployFacts.DEAD_LETTERS_METRIC, "flink_jobmanager_job_numRestarts");
        }

        @Test
        void everyHealthRuleIsRoutableAndReadable() {
            assertThat(stampedeRules()).hasSizeGreaterThanOrEqualTo(5).allSatisfy(rule -> {
                assertThat(rule.path("alert").asText()).matches("Stampede[A-Z][A-Za-z]+");
                assertThat(rule.at("/labels/severity").asText()).isIn("critical", "warning", "info");
                assertThat(rule.at("/annotations/summary").asText()).isNotBlank();
            });
        }

        @Test
        void plainRulesFileHoldsTheSameGroupsAsThePrometheusRule() {
            assertThat(Manifests.single(PLAIN_RULES).path("groups"))
                    .isEqualTo(Manifests.onlyOfKind(PROMETHEUS_RULE, "PrometheusRule").at("/spec/groups"));
        }

        @Test
        void podMonitorScrapesTheMetricsPortOfStampedesPods() {
            JsonNode endpoint = Manifests.onlyOfKind(POD_MONITOR, "PodMonitor").at("/spec/podMetricsEndpoints/0");
            JsonNode selector = Manifests.onlyOfKind(POD_MONITOR, "PodMonitor").at("/spec/selector/matchLabels");

            assertThat(endpoint.path("port").asText()).isEqualTo(mainContainer(flinkDeployment()).at("/ports/0/name").asText());
            assertThat(selector.path("app").asText()).isEqualTo(flinkDeployment().at("/metadata/name").asText());
        }

        @Test
        void alertmanagerGroupsDetectionsByIncidentAndPagesCriticalOnes() {
            JsonNode config = Manifests.single(ALERTMANAGER);
            JsonNode detections = route(config.at("/route"), "source=\"stampede\"");
            JsonNode critical = route(detections, "severity=\"critical\"");
            Set<String> receivers = StreamSupport.stream(config.path("receivers").spliterator(), false)
                    .map(r -> r.path("name").asText()).collect(Collectors.toSet());
            JsonNode onCall = StreamSupport.stream(config.path("receivers").spliterator(), false)
                    .filter(r -> r.path("name").asText().equals(critical.path("receiver").asText()))
                    .findFirst().orElseThrow();

            assertThat(detections.path("group_by")).extracting(JsonNode::asText).containsExactly("incident");
            assertThat(receivers).contains(detections.path("receiver").asText(), critical.path("receiver").asText());
            assertThat(onCall.at("/pagerduty_configs/0/routing_key_file").asText()).as("key from a file").isNotBlank();
            assertThat(onCall.at("/pagerduty_configs/0/routing_key").isMissingNode()).as("no key inline").isTrue();
            assertThat(route(config.at("/route"), "alertname=~\"Stampede.+\"").path("receiver").asText()).isIn(receivers);
        }

        @Test
        void alertmanagerCriticalInhibitsWarningsOfTheSameIncident() {
            JsonNode inhibit = StreamSupport.stream(Manifests.single(ALERTMANAGER).path("inhibit_rules").spliterator(), false)
                    .filter(r -> texts(r.path("source_matchers")).contains("severity=\"critical\""))
                    .findFirst().orElseThrow();

            assertThat(texts(inhibit.path("source_matchers"))).contains("source=\"stampede\"");
            assertThat(texts(inhibit.path("target_matchers"))).contains("source=\"stampede\"")
                    .anyMatch(m -> m.startsWith("severity") && m.contains("warning"));
            assertThat(texts(inhibit.path("equal"))).containsExactly("incident");
        }

        private static JsonNode route(JsonNode parent, String matcher) {
            return StreamSupport.stream(parent.path("routes").spliterator(), false)
                    .filter(r -> texts(r.path("matchers")).contains(matcher))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no route matching " + matcher));
        }

        private static List<String> texts(JsonNode array) {
            List<String> out = new ArrayList<>();
            array.forEach(n -> out.add(n.asText()));
            return out;
        }
    }

    /** Checks by Prometheus' and Alertmanager's own tools, where they are installed. */
    @Nested
    class WithPrometheusTools {

        private Commands.Result tool(Tool tool, Path dir, String... args) {
            List<String> command = new ArrayList<>(List.of(RequiredTools.require(tool).toString()));
            command.addAll(List.of(args));
            return Commands.run(dir, Map.of(), command);
        }

        @Test
        void healthRulesPassPromtoolUnitTests() {
            Path dir = RULE_TESTS.getParent();
            Commands.Result check = tool(Tool.PROMTOOL, dir, "check", "rules", PLAIN_RULES.getFileName().toString());
            Commands.Result unitTests = tool(Tool.PROMTOOL, dir, "test", "rules", RULE_TESTS.getFileName().toString());

            assertThat(check.exitCode()).as(check.output()).isZero();
            assertThat(unitTests.exitCode()).as(unitTests.output()).isZero();
        }

        @Test
        void composePrometheusConfigPassesPromtool() {
            Commands.Result check = tool(Tool.PROMTOOL, COMPOSE_PROMETHEUS.getParent(), "check", "config",
                    COMPOSE_PROMETHEUS.getFileName().toString());

            assertThat(check.exitCode()).as(check.output()).isZero();
        }

        @Test
        void alertmanagerConfigsPassAmtool() {
            for (Path config : List.of(ALERTMANAGER, COMPOSE_ALERTMANAGER)) {
                Commands.Result check = tool(Tool.AMTOOL, config.getParent(), "check-config", config.toString());
                assertThat(check.exitCode()).as(config + ": " + check.output()).isZero();
            }
        }

        static Stream<Arguments> alerts() {
            return Stream.of(
                    Arguments.of("a critical detection pages", "stampede-oncall",
                            List.of("alertname=StampedeRebootWave", "source=stampede", "severity=critical",
                                    "incident=eu-west-1", "region=eu-west", "stampede_type=REBOOT_WAVE")),
                    Arguments.of("a warning detection goes to the webhook", "stampede-webhook",
                            List.of("alertname=StampedeLoginSurge", "source=stampede", "severity=warning",
                                    "incident=eu-west-1", "region=eu-west", "stampede_type=LOGIN_SURGE")),
                    Arguments.of("an announced wave does not page", "stampede-expected",
                            List.of("alertname=StampedeRebootWave", "source=stampede", "severity=info", "expected=true",
                                    "incident=eu-west-1", "region=eu-west", "stampede_type=REBOOT_WAVE")),
                    Arguments.of("a capacity risk inside a maintenance window still pages", "stampede-oncall",
                            List.of("alertname=StampedeCapacityRisk", "source=stampede", "severity=critical",
                                    "expected=false", "incident=eu-west-1", "region=eu-west",
                                    "stampede_type=CAPACITY_RISK")),
                    Arguments.of("a critical health alert pages", "stampede-oncall",
                            List.of("alertname=StampedeJobNotRunning", "severity=critical", "component=stampede")),
                    Arguments.of("a health warning goes to the webhook", "stampede-webhook",
                            List.of("alertname=StampedeDeadLettersHigh", "severity=warning", "component=stampede")),
                    Arguments.of("other alerts are left to the default route", "default",
                            List.of("alertname=NodeDiskFull", "severity=critical")));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("alerts")
        void alertmanagerRoutesStampedeAlerts(String what, String receiver, List<String> labels) {
            List<String> args = new ArrayList<>(List.of("config", "routes", "test", "--config.file=" + ALERTMANAGER));
            args.addAll(labels);

            Commands.Result routed = tool(Tool.AMTOOL, ALERTMANAGER.getParent(), args.toArray(String[]::new));

            assertThat(routed.exitCode()).as(routed.output()).isZero();
            assertThat(routed.output().lines().filter(l -> !l.startsWith("Warning:")).map(String::trim))
                    .as(what).containsExactly(receiver);
        }
    }
}
