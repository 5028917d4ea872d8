package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.Fixtures;
import io.stampede.control.Control;
import io.stampede.control.ControlReader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code stampede control} without a broker ({@code --dry-run}): what an operator types becomes the
 * control the job reads, and one the job would refuse is refused here with its reason.
 */
class ControlCommandTest {

    private static final Instant NOW = Instant.parse("2026-12-03T01:58:00Z");

    @BeforeEach
    void fixClock() {
        ControlCommand.clock = Clock.fixed(NOW, ZoneOffset.UTC);
    }

    @AfterEach
    void wallClock() {
        ControlCommand.clock = Clock.systemUTC();
    }

    /** The control a dry run prints, read back as the job reads it. */
    private static Control printed(CliRun run) {
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.lines()).hasSize(1);
        ControlReader.Result r = new ControlReader(Fixtures.config()).read(run.lines().get(0));
        assertThat(r.refusal()).isNull();
        return r.control();
    }

    @Test
    void aMaintenanceWindowIsGivenByItsStartAndLengthAndNamesWhoAskedAndWhy() {
        Control c = printed(CliRun.of("control", "maintenance", "--region", "eu-west", "--from", "2m",
                "--until", "2h", "--update-id", "fw-7", "--reason", "firmware rollout CHG-1234", "--by", "alice",
                "--dry-run"));
        assertThat(c.kind()).isEqualTo(Control.Kind.MAINTENANCE);
        assertThat(c.controlId()).isEqualTo("mnt-eu-west-20261203-0200");
        assertThat(c.effectiveFrom()).isEqualTo("2026-12-03T02:00:00Z");
        assertThat(c.until()).isEqualTo("2026-12-03T04:00:00Z");
        assertThat(c.updateId()).isEqualTo("fw-7");
        assertThat(c.reason()).isEqualTo("firmware rollout CHG-1234");
        assertThat(c.createdBy()).isEqualTo("alice");
        assertThat(c.createdAt()).isEqualTo("2026-12-03T01:58:00Z");
    }

    @Test
    void aThrottleSwitchStartsNowAndLastsUntilClearedUnlessToldOtherwise() {
        Control off = printed(CliRun.of("control", "throttle", "--region", "*", "--mode", "OFF", "--reason", "x",
                "--dry-run"));
        assertThat(off.controlId()).isEqualTo("thr-all-20261203-0158");
        assertThat(off.effectiveFrom()).isEqualTo("2026-12-03T01:58:00Z");
        assertThat(off.until()).isNull();
        assertThat(off.mode()).isEqualTo(Control.ThrottleMode.OFF);

        Control fixed = printed(CliRun.of("control", "throttle", "--region", "eu-west", "--mode", "FIXED",
                "--admit-per-sec", "250", "--until", "2026-12-03T03:00:00Z", "--reason", "x", "--id", "thr-1",
                "--dry-run"));
        assertThat(fixed.admitPerSec()).isEqualTo(250.0);
        assertThat(fixed.controlId()).isEqualTo("thr-1");
    }

    @Test
    void aFixedThrottleNeedsItsRate() {
        CliRun run = CliRun.of("control", "throttle", "--region", "eu-west", "--mode", "FIXED", "--reason", "x",
                "--dry-run");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--mode FIXED needs --admit-per-sec N");
    }

    @Test
    void settingsBecomeNestedSectionsCheckedLikeTheConfigurationFile() {
        Control c = printed(CliRun.of("control", "settings", "--region", "ap-south", "--setting",
                "capacity.staticCapacity=1200", "--setting", "capacity.staticNodes=4", "--setting",
                "capacity.safeUtilization=0.7", "--reason", "no NODE_HEALTH", "--dry-run"));
        assertThat(c.settings()).isEqualTo(Map.of("capacity",
                Map.of("staticCapacity", 1200, "staticNodes", 4, "safeUtilization", 0.7)));

        CliRun outOfRange = CliRun.of("control", "settings", "--region", "ap-south", "--setting",
                "capacity.safeUtilization=7", "--reason", "x", "--dry-run");
        assertThat(outOfRange.code()).isEqualTo(2);
        assertThat(outOfRange.out()).as("nothing printed, nothing written").isEmpty();
        assertThat(outOfRange.err()).contains("the control is refused, nothing is written",
                "capacity.safeUtilization must be in (0, 1]");

        CliRun global = CliRun.of("control", "settings", "--region", "ap-south", "--setting", "job.parallelism=4",
                "--reason", "x", "--dry-run");
        assertThat(global.code()).isEqualTo(2);
        assertThat(global.err()).contains("cannot differ by region");
    }

    @Test
    void aWindowThatEndsBeforeItStartsOrATimeThatIsNotOneIsRefused() {
        CliRun backwards = CliRun.of("control", "maintenance", "--region", "eu-west", "--from",
                "2026-12-03T10:00:00Z", "--until", "2026-12-03T09:00:00Z", "--reason", "x", "--dry-run");
        assertThat(backwards.code()).isEqualTo(2);
        assertThat(backwards.err()).contains("must be after effectiveFrom");

        CliRun words = CliRun.of("control", "maintenance", "--region", "eu-west", "--until", "soon", "--reason", "x",
                "--dry-run");
        assertThat(words.code()).isEqualTo(2);
        assertThat(words.err()).contains("--until must be an RFC 3339 time");
    }

    @Test
    void withoutABrokerAWriteFailsWithOneLineNamingTheAddress() {
        CliRun run = CliRun.of("control", "list", "--set", "kafka.bootstrapServers=127.0.0.1:1", "--broker-timeout",
                "1s");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("stampede control list: Kafka at 127.0.0.1:1 did not answer within 1 s");
    }
}
