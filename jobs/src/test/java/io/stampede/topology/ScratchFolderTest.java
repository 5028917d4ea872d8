package io.stampede.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchFolderTest {

    @TempDir
    Path tmp;

    @Test
    void sweepRemovesTheFoldersOfProcessesThatEndedAndNothingElse() throws Exception {
        Path ofEndedProcess = Files.createDirectories(tmp.resolve("stampede-" + endedProcessId() + "-123"));
        Files.writeString(Files.createDirectories(ofEndedProcess.resolve("minicluster_1")).resolve("blob"), "x");
        Path ofThisProcess = Files.createDirectories(tmp.resolve("stampede-" + ProcessHandle.current().pid() + "-456"));
        Path checkpointsOfOlderVersions = Files.createDirectories(tmp.resolve("stampede-checkpoints-789"));
        Path aFile = Files.writeString(tmp.resolve("stampede-1-2"), "not a folder");

        assertThat(ScratchFolder.sweep(tmp)).isOne();

        assertThat(list(tmp)).containsExactlyInAnyOrder(ofThisProcess, checkpointsOfOlderVersions, aFile);
    }

    @Test
    void readsTheOwnerFromTheFolderName() {
        assertThat(ScratchFolder.owner(Path.of("stampede-4242-17339206302092414847"))).contains(4242L);
        assertThat(ScratchFolder.owner(Path.of("stampede-checkpoints-17339206302092414847"))).isEmpty();
        assertThat(ScratchFolder.owner(Path.of("stampede-4242"))).isEmpty();
        assertThat(ScratchFolder.owner(Path.of("flink-rpc-akka-4242-1.jar"))).isEmpty();
    }

    @Test
    void thisProcessHasOneFolderInTheTempFolder() {
        Path folder = ScratchFolder.get();

        assertThat(folder).isDirectory().hasParent(Path.of(System.getProperty("java.io.tmpdir")));
        assertThat(ScratchFolder.owner(folder)).contains(ProcessHandle.current().pid());
        assertThat(ScratchFolder.get()).isEqualTo(folder);
    }

    /** The id of a process that has run and ended (ids are recycled only after many more processes). */
    private static long endedProcessId() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        }
    }
}
