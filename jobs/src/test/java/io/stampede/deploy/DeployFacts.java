package io.stampede.deploy;

import java.util.Set;

/**
 * The facts the deployment files must agree on, each stated once. When one of them changes, change
 * it here and let {@link ManifestsTest} point at every file that still says otherwise.
 */
final class DeployFacts {

    /** The Flink entry point of the job in application mode. */
    static final String ENTRY_CLASS = "io.stampede.StampedeJob";

    /** Where the image keeps the job jar (Flink's usrlib: application mode runs what it finds there). */
    static final String JAR_PATH = "/opt/flink/usrlib/stampede.jar";

    static final String JAR_URI = "local://" + JAR_PATH;

    /** Where the Stampede configuration file is mounted, and the program arguments that name it. */
    static final String CONFIG_DIR = "/opt/stampede/conf";

    static final String CONFIG_PATH = CONFIG_DIR + "/stampede.yaml";

    static final String[] PROGRAM_ARGS = {"--config", CONFIG_PATH};

    /** The key of the Secret/ConfigMap entry holding stampede.yaml. */
    static final String CONFIG_KEY = "stampede.yaml";

    /** Flink's Prometheus reporter. */
    static final String REPORTER_FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

    static final int METRICS_PORT = 9249;

    /**
     * The reporter must keep label values as they are: its default rewrites region="eu-west" to
     * "eu_west", and the autoscalers' queries would find nothing.
     */
    static final String LABEL_FILTER_KEY = "metrics.reporter.prom.filterLabelValueCharacters";

    static final String LABEL_FILTER = "false";

    /** The Flink job name Stampede is submitted under; Prometheus rules select job metrics by it. */
    static final String FLINK_JOB_NAME = "stampede";

    /**
     * The desired auth nodes per region: what the autoscalers follow. As Flink's Prometheus reporter
     * exports it (checked against a live reporter and Prometheus by PrometheusMetricsITCase).
     */
    static final String DESIRED_NODES_METRIC = "flink_taskmanager_job_task_operator_stampede_region_desired_nodes";

    static final String DEAD_LETTERS_METRIC = "flink_taskmanager_job_task_operator_stampede_input_reason_dead_letters_total";

    /** Every metric name the Prometheus rules and autoscalers may use (Stampede's: see StampedeMetrics). */
    static final Set<String> KNOWN_METRICS = Set.of(
            DESIRED_NODES_METRIC,
            "flink_taskmanager_job_task_operator_stampede_region_desired_capacity_per_sec",
            "flink_taskmanager_job_task_operator_stampede_region_healthy_nodes",
            "flink_taskmanager_job_task_operator_stampede_region_forecast_demand_per_sec",
            "flink_taskmanager_job_task_operator_stampede_region_healthy_capacity_per_sec",
            "flink_taskmanager_job_task_operator_stampede_region_safe_capacity_per_sec",
            "flink_taskmanager_job_task_operator_stampede_region_login_rate_per_sec",
            "flink_taskmanager_job_task_operator_stampede_region_boot_rate_per_sec",
            "flink_taskmanager_job_task_operator_stampede_region_admitted_rate_per_sec",
            "flink_taskmanager_job_task_operator_stampede_region_admit_limit_per_sec",
            "flink_taskmanager_job_task_operator_stampede_input_events_total",
            DEAD_LETTERS_METRIC,
            "flink_taskmanager_job_task_operator_stampede_input_duplicates_total",
            "flink_taskmanager_job_task_operator_stampede_type_status_alerts_total",
            // FLIP-33 source metric of the Kafka source
            "flink_taskmanager_job_task_operator_pendingRecords",
            "flink_jobmanager_job_uptime",
            "flink_jobmanager_job_numRestarts",
            "flink_jobmanager_job_numberOfFailedCheckpoints",
            "flink_jobmanager_job_numberOfCompletedCheckpoints",
            "flink_jobmanager_job_lastCheckpointDuration");

    /** The region the example autoscalers follow. */
    static final String EXAMPLE_REGION = "eu-west";

    /** Topic replication in a production cluster, and the in-sync replicas a write needs. */
    static final int TOPIC_REPLICAS = 3;

    static final int TOPIC_MIN_INSYNC_REPLICAS = 2;

    /** The operator release whose CRD the FlinkDeployment is validated against. */
    static final String OPERATOR_VERSION = "1.15.0";

    /**
     * That release's FlinkDeployment CRD, on the test classpath (vendored under src/test/resources:
     * Maven Central does not publish it); override with -Dstampede.crd=PATH.
     */
    static final String CRD_RESOURCE = "/flink-kubernetes-operator/flinkdeployments.flink.apache.org-v1.yml";

    static final String CRD_PROPERTY = "stampede.crd";

    private DeployFacts() {}
}
