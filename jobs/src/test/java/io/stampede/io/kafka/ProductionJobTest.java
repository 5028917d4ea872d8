package io.stampede.io.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.config.ConfigLoader;
import io.stampede.config.StampedeConfig;
import io.stampede.topology.ScratchFolder;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** How the live job sets up checkpoints: building it needs no broker (nothing connects before execute). */
class ProductionJobTest {

    @Test
    void checkpointsAreCompressedSoThatARestoreReadsThemInFrames() {
        StreamExecutionEnvironment env = ProductionJob.build(config(), false);
        assertThat(env.getConfig().isUseSnapshotCompression()).isTrue();
    }

    @Test
    void onTheEmbeddedClusterCheckpointsGoToTheProcessScratchFolderWhenNoneIsConfigured() {
        ReadableConfig conf = ProductionJob.build(config(), false).getConfiguration();
        String dir = conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
        assertThat(dir).as("not the JobManager's memory, which fails beyond 5 MB of state").isNotBlank();
        assertThat(Path.of(URI.create(dir))).as("removed with the process's other temporary files")
                .startsWithRaw(ScratchFolder.get());
    }

    private static StampedeConfig config() {
        return ConfigLoader.load(null, List.of("kafka.bootstrapServers=127.0.0.1:9"));
    }
}
