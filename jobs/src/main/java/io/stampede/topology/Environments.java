package io.stampede.topology;

import io.stampede.config.StampedeConfig;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Execution environments configured the way Stampede's jobs need them. */
public final class Environments {

    private Environments() {}

    /**
     * An environment for the embedded mini cluster (or, when run by a Flink client, the cluster's).
     * Generic types are disabled so that a type falling back to Kryo fails the build of the job
     * instead of slowing it down.
     *
     * @param watermarkInterval how often sources emit watermarks (the demo's closed loop wants it short)
     */
    public static StreamExecutionEnvironment create(StampedeConfig config, Duration watermarkInterval) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, watermarkInterval);
        conf.setString("execution.buffer-timeout.interval", "5 ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        // Applied again explicitly: an environment supplied by the context (a Flink client, a test
        // cluster) does not necessarily take the configuration it was created with.
        env.configure(conf, Environments.class.getClassLoader());
        env.setParallelism(config.job().parallelism());
        return env;
    }
}
