package io.stampede.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.stampede.Fixtures;
import io.stampede.RequiredTools;
import io.stampede.RequiredTools.Tool;
import io.stampede.alert.AlertStatus;
import io.stampede.alert.AlertType;
import io.stampede.config.StampedeConfig;
import io.stampede.event.Envelope;
import io.stampede.io.ConsoleSink;
import io.stampede.io.kafka.ProductionJob;
import io.stampede.sim.Scenario;
import io.stampede.sim.SimulatorRuns;
import io.stampede.sim.SimulatorSource;
import io.stampede.topology.Environments;
import io.stampede.topology.StampedeTopology;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stampede's metrics as Prometheus users see them. The topology runs on the embedded cluster with
 * the reporter turned on the way {@code stampede run} and the demo turn it on
 * ({@code metrics.prometheusPort}), fed by the simulator's update wave; a real Prometheus scrapes it
 * every second while the job is held running after the scenario, and its HTTP API is asked what a
 * dashboard, the KEDA ScaledObject, the prometheus-adapter rule and Stampede's health rules ask.
 * Every answer is checked against what the job emitted on its outputs meanwhile.
 */
class PrometheusMetricsITCase {

    private static final String OPERATOR = "flink_taskmanager_job_task_operator_";
    private static final String STAMPEDE = OPERATOR + "stampede_";
    private static final String REGION = STAMPEDE + "region_";
    private static final Path DEPLOY = Path.of("..", "deploy", "k8s").toAbsolutePath().normalize();
    private static final Path RULES = DEPLOY.resolve("prometheus/stampede.rules.yml");
    private static final List<String> REGIONS = List.of("us-east", "eu-west", "ap-south");
    private static final YAMLMapper YAML = new YAMLMapper();

    /** What the job emitted, as seen by sinks in this JVM (looked up by name, as sinks are serialized). */
    private static final Map<String, Queue<String>> EMITTED = new HashMap<>();

    @TempDir
    Path dir;

    private final String runId = "metrics-" + UUID.randomUUID();

    @AfterEach
    void forgetRun() {
        for (String output : EMITTED.keySet()) {
            ConsoleSink.unregister(output);
        }
        EMITTED.clear();
        SimulatorRuns.take(runId);
    }

    @Test
    void prometheusScrapesRegionFiguresAlertsAndDeadLettersWithTheirLabels() throws Exception {
        Path program = RequiredTools.require(Tool.PROMETHEUS);
        int reporterPort = PrometheusServer.freePort();
        StampedeConfig config = Fixtures.config("metrics.prometheusPort=" + reporterPort);
        // The update wave with malformed records mixed in, so that there are dead letters to count.
        Scenario wave = Scenario.updateWave(30_000, 7);
        Scenario scenario = wave.withNoise(new Scenario.Noise(wave.noise().duplicateShare(), wave.noise().disorder(),
                0.001, wave.noise().trafficJitter()));

        try (PrometheusServer prometheus = PrometheusServer.start(program, prometheusConfig(reporterPort), dir)) {
            JobClient job = start(config, scenario);
            try {
                await("the scenario played").atMost(5, TimeUnit.MINUTES).pollInterval(Duration.ofSeconds(1))
                        .until(() -> SimulatorRuns.progress(runId) >= 1 || job.getJobStatus().get().isGloballyTerminalState());
                assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("job held running").isFalse();

                await("Prometheus agrees with the outputs").atMost(90, TimeUnit.SECONDS)
                        .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                        .untilAsserted(() -> {
                            regionGaugesHoldTheLatestBucketOfEachRegion(prometheus);
                            regionGaugesHoldTheLatestScalingSignal(prometheus);
                            alertsAreCountedByTypeAndStatus(prometheus);
                            deadLettersAreCountedByInputAndReason(prometheus);
                        });
                inputEventsAndDuplicatesAreCountedByInput(prometheus);
                autoscalersReadTheDesiredNodesOfTheirRegion(prometheus);
                await("health rules evaluated").atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> healthRulesEvaluateAndStayQuiet(prometheus));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n--- Stampede's metric names in Prometheus ---\n"
                        + stampedeNames(prometheus) + "\n--- Prometheus log ---\n" + prometheus.log(), e);
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The job of the simulator run, its input held open so that the job keeps running after the scenario. */
    private JobClient start(StampedeConfig config, Scenario scenario) throws Exception {
        StreamExecutionEnvironment env = Environments.create(config, Duration.ofMillis(50));
        DataStream<Envelope> simulated = env.fromSource(
                        new SimulatorSource(scenario, runId, null, config.throttle().controlLatency().toMillis(),
                                config.scaling().nodeStartup().toMillis(), config.input()),
                        StampedeTopology.watermarks(config), "simulator")
                .setParallelism(1).uid("simulator");
        DataStream<Envelope> held = env.fromSource(new HoldSource(), WatermarkStrategy.noWatermarks(), "hold")
                .setParallelism(1).uid("hold");
        // One input: a task whose inputs have all ended finishes, and its metrics go with it.
        StampedeTopology.Outputs outputs = StampedeTopology.build(
                List.of(new StampedeTopology.Input("simulator", simulated.union(held))), config);
        collect(outputs.alerts(), "alerts", a -> a.type() + " " + a.status() + " " + a.sequence());
        collect(outputs.signals(), "signals", s -> s.region() + " " + s.desiredNodes() + " "
                + s.desiredCapacityPerSec() + " " + s.currentNodes());
        collect(outputs.snapshots(), "snapshots", s -> s.segment() + " " + s.attemptsPerSec() + " " + s.bootsPerSec()
                + " " + s.healthyCapacityPerSec() + " " + s.safeCapacityPerSec() + " " + s.forecastPeakPerSec() + " "
                + s.admittedPerSec() + " " + s.admitPerSec());
        collect(outputs.deadLetters(), "dead-letters", d -> d.input() + " " + d.category());
        return env.executeAsync(ProductionJob.JOB_NAME);
    }

    private <T> void collect(DataStream<T> stream, String output, MapFunction<T, String> format) {
        String name = runId + "/" + output;
        Queue<String> lines = new ConcurrentLinkedQueue<>();
        EMITTED.put(name, lines);
        ConsoleSink.register(name, lines::add);
        stream.sinkTo(new ConsoleSink<>(name, format)).setParallelism(1).uid("collect-" + output).name(output);
    }

    private List<String[]> emitted(String output) {
        List<String[]> rows = new ArrayList<>();
        for (String line : EMITTED.get(runId + "/" + output)) {
            rows.add(line.split(" "));
        }
        return rows;
    }

    /** The latest emitted row whose first field is {@code key}. */
    private String[] latest(String output, String key) {
        String[] found = null;
        for (String[] row : emitted(output)) {
            if (row[0].equals(key)) {
                found = row;
            }
        }
        assertThat(found).as("a %s row for %s", output, key).isNotNull();
        return found;
    }

    private Path prometheusConfig(int reporterPort) throws IOException {
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "  evaluation_interval: 1s",
                "rule_files:",
                "  - " + RULES,
                "scrape_configs:",
                "  - job_name: stampede-embedded",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + reporterPort + "']",
                ""));
        return file;
    }

    // ------------------------------------------------------------------ checks

    private void regionGaugesHoldTheLatestBucketOfEachRegion(PrometheusServer prometheus) throws IOException {
        for (String region : REGIONS) {
            String[] s = latest("snapshots", region);
            String sel = "{job_name=\"stampede\",region=\"" + region + "\"}";
            assertThat(value(prometheus, REGION + "login_rate_per_sec" + sel)).as(region).isCloseTo(d(s[1]), within(1e-6));
            assertThat(value(prometheus, REGION + "boot_rate_per_sec" + sel)).as(region).isCloseTo(d(s[2]), within(1e-6));
            assertThat(value(prometheus, REGION + "healthy_capacity_per_sec" + sel)).as(region)
                    .isCloseTo(d(s[3]), within(1e-6)).isPositive();
            assertThat(value(prometheus, REGION + "safe_capacity_per_sec" + sel)).as(region)
                    .isCloseTo(d(s[4]), within(1e-6)).isPositive();
            assertThat(value(prometheus, REGION + "forecast_demand_per_sec" + sel)).as(region)
                    .isCloseTo(d(s[5]), within(1e-6));
            assertThat(value(prometheus, REGION + "admitted_rate_per_sec" + sel)).as(region)
                    .isCloseTo(d(s[6]), within(1e-6));
            double limit = value(prometheus, REGION + "admit_limit_per_sec" + sel);
            if (d(s[7]) < 0) {
                assertThat(limit).as("%s: no directive in force, no limit", region).isEqualTo(Double.POSITIVE_INFINITY);
            } else {
                assertThat(limit).as(region).isCloseTo(d(s[7]), within(1e-6));
            }
        }
        // The fleet is the sum of the regions, not one of them.
        assertThat(prometheus.query(REGION + "login_rate_per_sec{region=\"fleet\"}")).isEmpty();
    }

    private void regionGaugesHoldTheLatestScalingSignal(PrometheusServer prometheus) throws IOException {
        for (String region : REGIONS) {
            String[] signal = latest("signals", region);
            String sel = "{job_name=\"stampede\",region=\"" + region + "\"}";
            assertThat(value(prometheus, REGION + "desired_nodes" + sel)).as(region).isEqualTo(d(signal[1])).isPositive();
            assertThat(value(prometheus, REGION + "desired_capacity_per_sec" + sel)).as(region)
                    .isCloseTo(d(signal[2]), within(1e-6));
            assertThat(value(prometheus, REGION + "healthy_nodes" + sel)).as(region).isEqualTo(d(signal[3]));
        }
        // During the wave Stampede asked for more eu-west nodes than it had.
        assertThat(emitted("signals")).filteredOn(s -> s[0].equals("eu-west"))
                .anyMatch(s -> Integer.parseInt(s[1]) > Integer.parseInt(s[3]));

        // One series per region, from the parallel instance of the segment stage that holds it,
        // with Flink's labels beside Stampede's.
        JsonNode series = prometheus.query(REGION + "desired_nodes{region=\"eu-west\"}");
        assertThat(series).hasSize(1);
        JsonNode labels = series.get(0).path("metric");
        assertThat(labels.path("job_name").asText()).isEqualTo(ProductionJob.JOB_NAME);
        assertThat(labels.path("operator_name").asText()).isEqualTo("segments");
        assertThat(labels.path("subtask_index").asText()).isIn("0", "1");
        assertThat(labels.path("region").asText()).isEqualTo("eu-west");
    }

    private void alertsAreCountedByTypeAndStatus(PrometheusServer prometheus) throws IOException {
        Map<String, Double> counted = byLabels(prometheus.query(
                "sum by (type, status) (" + STAMPEDE + "type_status_alerts_total{job_name=\"stampede\"})"), "type", "status");
        Map<String, Double> expected = new HashMap<>();
        for (AlertType type : AlertType.values()) {
            for (AlertStatus status : AlertStatus.values()) {
                expected.put(type + " " + status, 0.0);
            }
        }
        for (String[] a : emitted("alerts")) {
            if (a[1].equals("RESOLVED") || a[2].equals("1")) {
                expected.merge(a[0] + " " + a[1], 1.0, Double::sum);
            }
        }
        assertThat(counted).isEqualTo(expected);
        assertThat(counted.get("REBOOT_WAVE FIRING")).isGreaterThanOrEqualTo(1.0);
    }

    private void deadLettersAreCountedByInputAndReason(PrometheusServer prometheus) throws IOException {
        Map<String, Double> counted = byLabels(prometheus.query(
                "sum by (input, reason) (" + STAMPEDE + "input_reason_dead_letters_total{job_name=\"stampede\"}) > 0"),
                "input", "reason");
        Map<String, Double> expected = new HashMap<>();
        for (String[] d : emitted("dead-letters")) {
            expected.merge(d[0] + " " + d[1], 1.0, Double::sum);
        }
        assertThat(counted).isEqualTo(expected);
        assertThat(counted.keySet()).anyMatch(k -> k.startsWith("login-events "))
                .anyMatch(k -> k.startsWith("telemetry-events "));
    }

    private void inputEventsAndDuplicatesAreCountedByInput(PrometheusServer prometheus) throws IOException {
        Map<String, Double> events = byLabels(prometheus.query(
                "sum by (input) (" + STAMPEDE + "input_events_total{job_name=\"stampede\"})"), "input");
        assertThat(events.keySet()).containsExactlyInAnyOrder("login-events", "telemetry-events");
        assertThat(events.values()).allSatisfy(v -> assertThat(v).isGreaterThan(10_000));
        Map<String, Double> perSecond = byLabels(prometheus.query(
                "sum by (input) (rate(" + STAMPEDE + "input_events_total{job_name=\"stampede\"}[1m]))"), "input");
        assertThat(perSecond.keySet()).as("rate() per input").containsExactlyInAnyOrder("login-events", "telemetry-events");
        assertThat(value(prometheus, "sum(" + STAMPEDE + "input_duplicates_total{job_name=\"stampede\"})"))
                .as("duplicates (the scenario duplicates 0.2% of events)").isPositive();
    }

    /** The queries of deploy/k8s/autoscaling, as KEDA and prometheus-adapter send them. */
    private void autoscalersReadTheDesiredNodesOfTheirRegion(PrometheusServer prometheus) throws IOException {
        double desired = d(latest("signals", "eu-west")[1]);
        JsonNode scaledObject = document(DEPLOY.resolve("autoscaling/keda-scaledobject.yaml"), "ScaledObject");
        String kedaQuery = scaledObject.at("/spec/triggers/0/metadata/query").asText();
        assertThat(value(prometheus, kedaQuery)).as(kedaQuery).isEqualTo(desired);

        JsonNode adapter = YAML.readTree(document(DEPLOY.resolve("autoscaling/hpa-prometheus-adapter.yaml"), "ConfigMap")
                .at("/data/values.yaml").asText()).at("/rules/external/0");
        String seriesQuery = adapter.path("seriesQuery").asText();
        assertThat(prometheus.api("/api/v1/series?match[]=" + URLEncoder.encode(seriesQuery, StandardCharsets.UTF_8))
                .path("data")).as(seriesQuery).hasSize(REGIONS.size());
        String series = seriesQuery.substring(0, seriesQuery.indexOf('{'));
        String adapterQuery = adapter.path("metricsQuery").asText().replace("<<.Series>>", series)
                .replace("<<.LabelMatchers>>", "region=\"eu-west\"");
        JsonNode answer = prometheus.query(adapterQuery);
        assertThat(answer).as(adapterQuery).hasSize(1);
        assertThat(answer.get(0).at("/metric/region").asText()).isEqualTo("eu-west");
        assertThat(d(answer.get(0).at("/value/1").asText())).isEqualTo(desired);
    }

    /** deploy/k8s/prometheus/stampede.rules.yml, loaded by this Prometheus: every rule evaluates, none fires. */
    private void healthRulesEvaluateAndStayQuiet(PrometheusServer prometheus) throws IOException {
        // Every Stampede metric the rules and the autoscalers name is one the job exports.
        Matcher names = Pattern.compile("flink_taskmanager_job_task_operator_stampede_[A-Za-z0-9_]+").matcher(
                Files.readString(RULES) + Files.readString(DEPLOY.resolve("autoscaling/keda-scaledobject.yaml"))
                        + Files.readString(DEPLOY.resolve("autoscaling/hpa-prometheus-adapter.yaml")));
        Set<String> named = new TreeSet<>();
        while (names.find()) {
            named.add(names.group());
        }
        assertThat(named).isNotEmpty().allSatisfy(name -> assertThat(prometheus.query("count(" + name + ")"))
                .as(name).isNotEmpty());

        List<JsonNode> rules = new ArrayList<>();
        prometheus.api("/api/v1/rules").at("/data/groups").forEach(g -> g.path("rules").forEach(rules::add));
        assertThat(rules).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.path("health").asText()).as(rule.path("name").asText() + ": " + rule.path("lastError"))
                    .isEqualTo("ok");
            assertThat(rule.path("lastEvaluation").asText()).doesNotStartWith("0001");
        });
        assertThat(rules).filteredOn(r -> r.path("name").asText().equals("StampedeRegionMetricsMissing")
                        || r.path("name").asText().equals("StampedeJobNotRunning"))
                .hasSize(2).allSatisfy(r -> assertThat(r.path("state").asText()).isEqualTo("inactive"));
        assertThat(value(prometheus, "max(flink_jobmanager_job_uptime{job_name=\"stampede\"})")).isPositive();
    }

    // ------------------------------------------------------------------ helpers

    private static String stampedeNames(PrometheusServer prometheus) {
        try {
            List<String> names = new ArrayList<>();
            prometheus.api("/api/v1/label/__name__/values").path("data").forEach(n -> names.add(n.asText()));
            names.removeIf(n -> !n.contains("stampede"));
            return String.join("\n", names);
        } catch (IOException | RuntimeException e) {
            return "(unavailable: " + e + ")";
        }
    }

    /** The value of a query that must answer exactly one sample. */
    private static double value(PrometheusServer prometheus, String promql) throws IOException {
        JsonNode result = prometheus.query(promql);
        assertThat(result).as(promql).hasSize(1);
        return d(result.get(0).at("/value/1").asText());
    }

    private static Map<String, Double> byLabels(JsonNode result, String... labels) {
        Map<String, Double> out = new HashMap<>();
        for (JsonNode sample : result) {
            List<String> key = new ArrayList<>();
            for (String label : labels) {
                key.add(sample.at("/metric/" + label).asText());
            }
            out.put(String.join(" ", key), d(sample.at("/value/1").asText()));
        }
        return out;
    }

    private static double d(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static JsonNode document(Path file, String kind) throws IOException {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (kind.equals(doc.path("kind").asText())) {
                    return doc;
                }
            }
        }
        throw new AssertionError("no " + kind + " in " + file);
    }
}
