package io.stampede.io.kafka;

import io.stampede.config.Secrets;
import io.stampede.config.StampedeConfig;
import io.stampede.topology.Environments;
import io.stampede.topology.ScratchFolder;
import io.stampede.topology.StampedeTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live job: Kafka in, the topology, Kafka out, exactly once. The same code runs on the embedded
 * mini cluster ({@code stampede run}) and on a Flink cluster (submitted jar, application mode,
 * the Kubernetes operator), where the cluster's execution environment is picked up.
 */
public final class ProductionJob {

    /** The job name dashboards and alert rules select on. */
    public static final String JOB_NAME = "stampede";

    private static final Logger LOG = LoggerFactory.getLogger(ProductionJob.class);

    private ProductionJob() {}

    /**
     * Builds the job on a new environment configured for it: parallelism, exactly-once checkpoints,
     * state backend and (on the embedded cluster only, where nobody else configures it) the restart
     * strategy.
     *
     * @param bounded read the input topics up to their current end and finish (tests)
     */
    public static StreamExecutionEnvironment build(StampedeConfig config, boolean bounded) {
        return build(config, bounded, new Configuration());
    }

    /** As {@link #build(StampedeConfig, boolean)}, with Flink settings of the caller's on top (e.g. a savepoint to restore). */
    public static StreamExecutionEnvironment build(StampedeConfig config, boolean bounded, Configuration flink) {
        Configuration backend = new Configuration();
        backend.setString("state.backend.type", config.job().stateBackend());
        StreamExecutionEnvironment env = Environments.create(config, Duration.ofMillis(200), backend);
        Configuration conf = new Configuration();
        StampedeConfig.Job job = config.job();
        conf.setString("execution.checkpointing.interval", job.checkpointInterval().toMillis() + " ms");
        conf.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
        conf.setString("state.backend.type", job.stateBackend());
        conf.setString("execution.checkpointing.incremental", Boolean.toString(job.incrementalCheckpoints()));
        // Snappy-compressed snapshots: smaller, and above all read in frames on restore. Uncompressed
        // heap state is read back from a checkpoint file a few bytes per system call, which made the
        // device stage's restore take seconds after a failure instead of tens of milliseconds.
        conf.set(ExecutionOptions.SNAPSHOT_COMPRESSION, true);
        if (!job.checkpointDir().isBlank()) {
            conf.setString("execution.checkpointing.dir", job.checkpointDir());
        } else if (env instanceof LocalStreamEnvironment) {
            // Without a directory Flink keeps checkpoints in the JobManager's memory, at most 5 MB: a
            // few tens of thousands of devices. Every larger checkpoint would fail and restart the job.
            conf.setString("execution.checkpointing.dir", localCheckpointDir().toUri().toString());
        } else {
            LOG.warn("job.checkpointDir is not set: the cluster's execution.checkpointing.dir applies; without "
                    + "one, checkpoints are held in the JobManager's memory and fail beyond 5 MB of state");
        }
        if (env instanceof LocalStreamEnvironment) {
            conf.setString("restart-strategy.type", "fixed-delay");
            conf.setString("restart-strategy.fixed-delay.attempts", Integer.toString(job.restartAttempts()));
            conf.setString("restart-strategy.fixed-delay.delay", job.restartDelay().toMillis() + " ms");
        }
        conf.addAll(flink);
        env.configure(conf, ProductionJob.class.getClassLoader());
        StampedeTopology.Outputs outputs = StampedeTopology.build(KafkaIo.inputs(env, config, bounded),
                KafkaIo.controls(env, config, bounded), config);
        KafkaIo.attach(outputs, config);
        LOG.info("Stampede job: reading {} and {} from {} (group {}, start {}) and the controls of {}, writing {}, "
                        + "{}, {}, {}; checkpoints every {}, state backend {}, Kafka client properties {}",
                config.kafka().topics().logins(), config.kafka().topics().telemetry(),
                config.kafka().bootstrapServers(), config.kafka().groupId(), config.kafka().startFrom(), config.kafka().topics().control(),
                config.kafka().topics().alerts(), config.kafka().topics().directives(),
                config.kafka().topics().signals(), config.kafka().topics().deadLetters(), job.checkpointInterval(),
                job.stateBackend(), redacted(config.kafka().properties()));
        return env;
    }

    /** The checkpoints of the in-process cluster when none is configured: in the process's scratch folder. */
    private static Path localCheckpointDir() {
        Path dir = ScratchFolder.get().resolve("checkpoints");
        LOG.info("Checkpoints of the in-process cluster go to {}, removed when this process ends (job.checkpointDir "
                + "keeps them elsewhere)", dir);
        return dir;
    }

    /** Kafka client properties as they may be logged: secrets masked. */
    static Map<String, String> redacted(Map<String, String> properties) {
        Map<String, String> out = new TreeMap<>();
        properties.forEach((k, v) -> out.put(k, Secrets.isSecret(k) ? "******" : v));
        return out;
    }
}
