package io.stampede.topology;

import static io.stampede.Fixtures.T0;
import static io.stampede.Fixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.admission.AttemptClass;
import io.stampede.config.StampedeConfig;
import io.stampede.detect.BucketStats;
import io.stampede.detect.DeviceSketch;
import io.stampede.detect.Observation;
import io.stampede.event.DeadLetter;
import io.stampede.event.DeadLetterCategory;
import io.stampede.event.Envelope;
import io.stampede.event.LoginEvent;
import io.stampede.event.Outcome;
import io.stampede.event.PersonalData;
import io.stampede.event.TelemetryEvent;
import io.stampede.event.TelemetryType;
import io.stampede.event.Trigger;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AcceptOperatorTest {

    private static final StampedeConfig CONFIG = config();
    private static final long BUCKET = CONFIG.detection().bucket().toMillis();
    private static final long ALLOWED_LATENESS = CONFIG.input().allowedLateness().toMillis();
    private OneInputStreamOperatorTestHarness<Envelope, Observation> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static OneInputStreamOperatorTestHarness<Envelope, Observation> newHarness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new AcceptOperator(new PersonalData(List.of("accountId"), null), CONFIG));
    }

    /** Takes a checkpoint at {@code checkpointTime}, closes the operator and opens a new one restored from it. */
    private void restartFromCheckpoint(long checkpointTime) throws Exception {
        OperatorSubtaskState snapshot = harness.snapshot(1, checkpointTime);
        harness.close();
        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
    }

    private static Envelope login(String device, String id, long t, Trigger trigger, int attempt) {
        return Envelope.of(new LoginEvent(id, t, device, "acct-" + device, "eu", null, trigger, attempt, Outcome.SUCCESS,
                40, null, null, null));
    }

    private static Envelope boot(String device, String id, long t) {
        return Envelope.of(new TelemetryEvent(id, t, TelemetryType.BOOT, device, "eu", "windows", "b1", "7.5", null,
                "KB1", null, null, null, -1, -1, -1, -1, -1, null));
    }

    private void send(Envelope e) throws Exception {
        harness.processElement(new StreamRecord<>(e, e.eventTime()));
    }

    private List<BucketStats> counts() {
        ConcurrentLinkedQueue<StreamRecord<BucketStats>> out = harness.getSideOutput(OutputTags.COUNTS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    private BucketStats eu(long bucketStart) {
        return counts().stream().filter(b -> b.segment.equals("eu") && b.bucketStart == bucketStart).findFirst()
                .orElseThrow();
    }

    @Test
    void countsOrderFreeLoginsItselfAndPassesOnWhatNeedsADevicesHistory() throws Exception {
        send(login("d1", "l1", T0 + 100, Trigger.TOKEN_REFRESH, 1));
        send(login("d1", "l2", T0 + 200, Trigger.INTERACTIVE, 1));
        send(login("d2", "l3", T0 + 300, Trigger.AUTO, 2));
        send(login("d2", "l4", T0 + 400, Trigger.AUTO, 1));
        send(boot("d3", "t1", T0 + 500));
        assertThat(harness.extractOutputValues()).extracting(Observation::eventId)
                .as("the first automatic login and the boot go on to the device stage").containsExactly("l4", "t1");
        assertThat(counts()).as("nothing before the watermark closes the bucket").isEmpty();

        harness.processWatermark(T0 + BUCKET - 1);
        BucketStats b = eu(T0);
        assertThat(b.logins(AttemptClass.TOKEN_REFRESH)).isEqualTo(1);
        assertThat(b.logins(AttemptClass.INTERACTIVE)).isEqualTo(1);
        assertThat(b.logins(AttemptClass.RETRY)).isEqualTo(1);
        assertThat(b.logins(AttemptClass.AUTO)).as("counted by the device stage").isZero();
        assertThat(DeviceSketch.estimate(b.deviceSketch)).as("three distinct devices heard from").isCloseTo(3.0, org.assertj.core.api.Assertions.within(1e-6));
        BucketStats fleet = counts().stream().filter(c -> c.segment.equals("fleet")).findFirst().orElseThrow();
        assertThat(DeviceSketch.estimate(fleet.deviceSketch)).as("the fleet's: the union of its regions'")
                .isCloseTo(3.0, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(fleet.totalLogins()).isEqualTo(3);
    }

    @Test
    void dropsDuplicatesItCountsAndRemembersThemAcrossACheckpoint() throws Exception {
        send(login("d1", "l1", T0 + 100, Trigger.TOKEN_REFRESH, 1));
        send(login("d1", "l1", T0 + 100, Trigger.TOKEN_REFRESH, 1));
        restartFromCheckpoint(T0 + 200);
        send(login("d1", "l1", T0 + 100, Trigger.TOKEN_REFRESH, 1));
        send(login("d2", "l2", T0 + 150, Trigger.TOKEN_REFRESH, 1));
        harness.processWatermark(T0 + BUCKET - 1);
        BucketStats b = eu(T0);
        assertThat(b.totalLogins()).as("the open bucket's counts come back with the checkpoint").isEqualTo(2);
        assertThat(b.duplicates).isEqualTo(2);
        assertThat(DeviceSketch.estimate(b.deviceSketch)).isCloseTo(2.0, org.assertj.core.api.Assertions.within(1e-6));
    }

    /**
     * A boot and a first automatic login sent twice, the second copy of the boot late (within the
     * allowed lateness) and after a checkpoint: each crosses to the device stage once, and each
     * copy is counted as a duplicate where it was read.
     */
    @Test
    void dropsDuplicatesOfWhatGoesToTheDeviceStageBeforeItCrossesTheNetwork() throws Exception {
        send(boot("d3", "t1", T0 + 500));
        send(login("d3", "l1", T0 + 900, Trigger.AUTO, 1));
        send(login("d3", "l1", T0 + 900, Trigger.AUTO, 1));
        restartFromCheckpoint(T0 + 1_000);
        harness.processWatermark(T0 + 3 * BUCKET - 1);
        send(boot("d3", "t1", T0 + 500));
        send(boot("d3", "t2", T0 + 3 * BUCKET + 10));
        harness.processWatermark(T0 + 4 * BUCKET - 1);

        assertThat(harness.extractOutputValues()).extracting(Observation::eventId)
                .as("after the restore only the new boot goes on").containsExactly("t2");
        long duplicates = counts().stream().filter(c -> c.segment.equals("eu")).mapToLong(c -> c.duplicates).sum();
        assertThat(duplicates).as("the login's copy before the checkpoint, the late boot's after it").isEqualTo(2);
        assertThat(eu(T0 + 3 * BUCKET).duplicates).as("the late copy counts in the next bucket to close").isEqualTo(1);
    }

    @Test
    void forgetsIdsOnlyAfterAWholeDedupWindowOfEventTime() throws Exception {
        long window = CONFIG.input().dedupWindow().toMillis();
        send(login("d1", "l1", T0 + 100, Trigger.TOKEN_REFRESH, 1));
        harness.processWatermark(T0 + 1_000);
        harness.processWatermark(T0 + 1_000 + window);
        send(login("d1", "l1", T0 + 1_000 + window + 5, Trigger.TOKEN_REFRESH, 1));
        harness.processWatermark(T0 + 1_000 + 2 * window + 1);
        harness.processWatermark(T0 + 1_000 + 3 * window + 2);
        send(login("d1", "l1", T0 + 1_000 + 3 * window + 5, Trigger.TOKEN_REFRESH, 1));
        harness.processWatermark(T0 + 1_000 + 4 * window);
        long duplicates = counts().stream().filter(c -> c.segment.equals("eu")).mapToLong(c -> c.duplicates).sum();
        long logins = counts().stream().filter(c -> c.segment.equals("eu")).mapToLong(BucketStats::totalLogins).sum();
        assertThat(duplicates).as("seen again within the window").isEqualTo(1);
        assertThat(logins).as("the first time, and again two windows after its copy").isEqualTo(2);
    }

    @Test
    void aLateEventCountsInTheNextOpenBucketAndOneTooLateIsADeadLetter() throws Exception {
        send(login("d1", "l0", T0 + 100, Trigger.TOKEN_REFRESH, 1));
        harness.processWatermark(T0 + 3 * BUCKET - 1);
        send(login("d1", "l1", T0 + 5, Trigger.TOKEN_REFRESH, 1));
        send(login("d1", "l2", T0 + 3 * BUCKET - 1 - ALLOWED_LATENESS - 1, Trigger.INTERACTIVE, 1));
        harness.processWatermark(T0 + 4 * BUCKET - 1);
        assertThat(eu(T0).totalLogins()).as("the closed bucket as it was emitted").isEqualTo(1);
        assertThat(eu(T0 + 3 * BUCKET).totalLogins()).isEqualTo(1);
        List<DeadLetter> letters = harness.getSideOutput(OutputTags.DEAD_LETTERS).stream().map(StreamRecord::getValue)
                .toList();
        assertThat(letters).singleElement().satisfies(l -> {
            assertThat(l.category()).isEqualTo(DeadLetterCategory.LATE);
            assertThat(l.eventId()).isEqualTo("l2");
        });
    }

    @Test
    void countsNodeHealthWithoutADeviceInTheSketch() throws Exception {
        send(Envelope.of(new TelemetryEvent("h1", T0 + 100, TelemetryType.NODE_HEALTH, null, "eu", null, null, null,
                null, null, null, "c", "n1", 40.0, 3L, 0.5, 120.0, 0.01, true)));
        harness.processWatermark(T0 + BUCKET - 1);
        BucketStats b = eu(T0);
        assertThat(b.nodes).singleElement().satisfies(n -> assertThat(n.node()).isEqualTo("c/n1"));
        assertThat(b.deviceSketch).isNull();
        assertThat(harness.extractOutputValues()).isEmpty();
    }
}
