package io.stampede.io.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.config.ConfigLoader;
import io.stampede.config.StampedeConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** How the live job sets up checkpoints: building it needs no broker (nothing connects before execute). */
class ProductionJobTest {

    @Test
    void checkpointsAreCompressedSoThatARestoreReadsThemInFrames() throws Exception {
        StreamExecutionEnvironment env = ProductionJob.build(config(), false);
        deleteCheckpointFolder(env.getConfiguration());
        assertThat(env.getConfig().isUseSnapshotCompression()).isTrue();
    }

    @Test
    void onTheEmbeddedClusterCheckpointsGoToAFolderWhenNoneIsConfigured() throws Exception {
        ReadableConfig conf = ProductionJob.build(config(), false).getConfiguration();
        String dir = conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
        assertThat(dir).as("not the JobManager's memory, which fails beyond 5 MB of state").isNotBlank();
        assertThat(Files.isDirectory(Path.of(URI.create(dir)))).isTrue();
        deleteCheckpointFolder(conf);
    }

    /** The folder made for the job's checkpoints: empty, since the job is built but never run. */
    private static void deleteCheckpointFolder(ReadableConfig conf) throws Exception {
        Files.deleteIfExists(Path.of(URI.create(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))));
    }

    private static StampedeConfig config() {
        return ConfigLoader.load(null, List.of("kafka.bootstrapServers=127.0.0.1:9"));
    }
}
