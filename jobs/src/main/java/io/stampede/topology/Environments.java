package io.stampede.topology;

import io.stampede.config.StampedeConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Execution environments configured the way Stampede's jobs need them. */
public final class Environments {

    /** Flink's Prometheus reporter, as the embedded cluster and the deployments name it. */
    public static final String PROMETHEUS_REPORTER = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

    private static final Logger LOG = LoggerFactory.getLogger(Environments.class);
    /** Native memory the embedded cluster gives RocksDB (block cache and write buffers of all its slots). */
    static final String EMBEDDED_ROCKSDB_MEMORY = "1g";

    private Environments() {}

    /**
     * An environment for the embedded mini cluster (or, when run by a Flink client, the cluster's).
     * Generic types are disabled so that a type falling back to Kryo fails the build of the job
     * instead of slowing it down.
     *
     * @param watermarkInterval how often sources emit watermarks (the demo's closed loop wants it short)
     */
    public static StreamExecutionEnvironment create(StampedeConfig config, Duration watermarkInterval) {
        return create(config, watermarkInterval, new Configuration());
    }

    /** As {@link #create(StampedeConfig, Duration)}, with more Flink settings (a state backend, a savepoint to restore). */
    public static StreamExecutionEnvironment create(StampedeConfig config, Duration watermarkInterval,
            Configuration extra) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, watermarkInterval);
        conf.setString("execution.buffer-timeout.interval", "5 ms");
        if (config.metrics().prometheusEnabled()) {
            conf.addAll(prometheusReporter(config.metrics().prometheusPort()));
        }
        if (StreamExecutionEnvironment.areExplicitEnvironmentsAllowed()) {
            // No Flink client or test cluster supplies the environment: this process runs the
            // cluster itself, and its temporary files go where the process removes them at exit.
            conf.addAll(temporaryFilesIn(ScratchFolder.get()));
        }
        conf.addAll(extra);
        if (StreamExecutionEnvironment.areExplicitEnvironmentsAllowed()
                && "rocksdb".equals(conf.getString("state.backend.type", "hashmap"))
                && !conf.containsKey("taskmanager.memory.managed.size")) {
            // The embedded cluster's default managed memory (128 MB) starves RocksDB's block cache and
            // write buffers: at a million devices the device stage ran 8 times slower and a savepoint
            // took minutes (./stampede bench --state).
            conf.setString("taskmanager.memory.managed.size", EMBEDDED_ROCKSDB_MEMORY);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (config.metrics().prometheusEnabled()) {
            if (env instanceof LocalStreamEnvironment) {
                LOG.info("Prometheus metrics of the embedded cluster at http://<host>:{}/metrics (first free port)",
                        config.metrics().prometheusPort());
            } else {
                LOG.warn("metrics.prometheusPort applies to the embedded cluster only; this job runs on a Flink "
                        + "cluster, whose own configuration sets up its metric reporters");
            }
        }
        // Applied again explicitly: an environment supplied by the context (a Flink client, a test
        // cluster) does not necessarily take the configuration it was created with.
        env.configure(conf, Environments.class.getClassLoader());
        env.setParallelism(config.job().parallelism());
        return env;
    }

    /** The settings that send the embedded cluster's temporary files to {@code dir}, none to java.io.tmpdir. */
    static Configuration temporaryFilesIn(Path dir) {
        Configuration conf = new Configuration();
        // The RPC system's extracted jar, the working folders, blobs and RocksDB's local files.
        conf.set(CoreOptions.TMP_DIRS, dir.toString());
        conf.set(WebOptions.TMP_DIR, dir.toString());
        return conf;
    }

    /**
     * The settings of Flink's Prometheus reporter on {@code ports} (a port or a range; each JVM
     * takes the first free one). Label values are left as they are (region="eu-west", not the
     * reporter's default "eu_west"), as the deployments' reporters are configured too.
     */
    public static Configuration prometheusReporter(String ports) {
        Configuration conf = new Configuration();
        conf.setString("metrics.reporter.prom.factory.class", PROMETHEUS_REPORTER);
        conf.setString("metrics.reporter.prom.port", ports.trim());
        conf.setString("metrics.reporter.prom.filterLabelValueCharacters", "false");
        return conf;
    }
}
