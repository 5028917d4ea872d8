package io.stampede.topology;

import static io.stampede.Fixtures.T0;
import static io.stampede.Fixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.admission.AttemptClass;
import io.stampede.config.StampedeConfig;
import io.stampede.detect.BucketStats;
import io.stampede.detect.DeviceSketch;
import io.stampede.detect.Observation;
import io.stampede.detect.ObservationKind;
import io.stampede.detect.PairingSample;
import io.stampede.event.DeadLetter;
import io.stampede.event.DeadLetterCategory;
import io.stampede.event.Envelope;
import io.stampede.event.LoginEvent;
import io.stampede.event.Outcome;
import io.stampede.event.PersonalData;
import io.stampede.event.TelemetryEvent;
import io.stampede.event.TelemetryType;
import io.stampede.event.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AcceptOperatorTest {

    /** Every device's first automatic logins go to the device stage (the sample's own test sets one). */
    private static final StampedeConfig CONFIG = config("forecast.pairingSample=1");
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
        return newHarness(CONFIG);
    }

    private static OneInputStreamOperatorTestHarness<Envelope, Observation> newHarness(StampedeConfig config)
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new AcceptOperator(new PersonalData(List.of("accountId"), null), config));
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

    /**
     * With one device in eight sampled for the pairing of boots and logins, the first automatic
     * logins of the others are counted here like any other login and never reach the device stage;
     * boots of every device still do.
     */
    @Test
    void countsTheFirstAutomaticLoginsOfDevicesOutsideThePairingSampleItself() throws Exception {
        harness.close();
        harness = newHarness(config("forecast.pairingSample=8"));
        harness.open();
        PairingSample sample = new PairingSample(8);
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (int i = 0; in.size() < 3 || out.size() < 3; i++) {
            String d = "dev-" + i;
            List<String> side = sample.contains(d) ? in : out;
            if (side.size() < 3) {
                side.add(d);
            }
        }
        int id = 0;
        for (String d : in) {
            send(login(d, "s" + id++, T0 + 100 + id, Trigger.AUTO, 1));
        }
        for (String d : out) {
            send(login(d, "o" + id++, T0 + 100 + id, Trigger.AUTO, 1));
            send(boot(d, "b" + id++, T0 + 100 + id));
        }
        assertThat(harness.extractOutputValues()).extracting(Observation::key)
                .as("the sampled devices' logins and every boot go on to the device stage")
                .containsExactly(in.get(0), in.get(1), in.get(2), out.get(0), out.get(1), out.get(2));
        assertThat(harness.extractOutputValues()).filteredOn(o -> o.kind() == ObservationKind.LOGIN)
                .extracting(Observation::key).containsExactlyElementsOf(in);

        harness.processWatermark(T0 + BUCKET - 1);
        BucketStats b = eu(T0);
        assertThat(b.logins(AttemptClass.AUTO)).as("the three logins outside the sample, counted here").isEqualTo(3);
        assertThat(DeviceSketch.estimate(b.deviceSketch)).as("every device is in the census")
                .isCloseTo(6.0, org.assertj.core.api.Assertions.within(1e-6));
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
