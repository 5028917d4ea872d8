package io.stampede;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class SkipsOnConsoleTest {

    /** Not run by the build itself: nested classes are only run when selected, as below. */
    static class TwoTestsMissingOneTool {
        @Test
        void first() {
            Assumptions.assumeTrue(false, "needs 'x' on PATH");
        }

        @Test
        void second() {
            Assumptions.assumeTrue(false, "needs 'x' on PATH");
        }

        @Test
        @Disabled("not on this machine")
        void third() {}

        @Test
        void runs() {}
    }

    static class WithoutItsServer {
        @BeforeAll
        static void startServer() {
            Assumptions.assumeTrue(false, "needs 'server' on PATH");
        }

        @Test
        void usesServer() {}
    }

    @Test
    void printsEachSkippedClassOnceWithItsReason() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        SkipsOnConsole listener = new SkipsOnConsole(new PrintStream(console, true, StandardCharsets.UTF_8));

        // Without the listeners registered for the build, which would print these skips on its console.
        LauncherConfig alone = LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build();
        LauncherFactory.create(alone).execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(TwoTestsMissingOneTool.class), selectClass(WithoutItsServer.class))
                .build(), listener);

        assertThat(console.toString(StandardCharsets.UTF_8).lines()).containsExactlyInAnyOrder(
                "SKIPPED SkipsOnConsoleTest.TwoTestsMissingOneTool: needs 'x' on PATH",
                "SKIPPED SkipsOnConsoleTest.TwoTestsMissingOneTool: not on this machine",
                "SKIPPED SkipsOnConsoleTest.WithoutItsServer: needs 'server' on PATH");
    }
}
