package io.stampede.topology;

import static io.stampede.Fixtures.HOUR;
import static io.stampede.Fixtures.T0;
import static io.stampede.Fixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.admission.AttemptClass;
import io.stampede.config.StampedeConfig;
import io.stampede.detect.BucketStats;
import io.stampede.detect.Observation;
import io.stampede.detect.ObservationKind;
import io.stampede.detect.Segments;
import io.stampede.event.DeadLetter;
import io.stampede.event.DeadLetterCategory;
import io.stampede.event.Outcome;
import io.stampede.event.RebootReason;
import io.stampede.event.Trigger;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeviceOperatorTest {

    /** The defaults, with device state forgotten sooner than in production so that tests reach it. */
    private static final StampedeConfig CONFIG = config("input.deviceStateTtl=2h", "forecast.pairingSample=1");
    private static final long BUCKET = CONFIG.detection().bucket().toMillis();
    private static final long TTL = CONFIG.input().deviceStateTtl().toMillis();
    private static final long ALLOWED_LATENESS = CONFIG.input().allowedLateness().toMillis();
    private KeyedOneInputStreamOperatorTestHarness<String, Observation, BucketStats> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Observation, BucketStats> newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new DeviceOperator(CONFIG),
                Observation::key, Types.STRING);
    }

    private static Observation login(String device, String id, long t) {
        return new Observation(ObservationKind.LOGIN, device, id, t, "eu", Trigger.AUTO, Outcome.SUCCESS, 1, 40, null, null,
                null, null, null, false, -1, -1, -1, -1, -1, false);
    }

    private static Observation boot(String device, String id, long t) {
        return new Observation(ObservationKind.BOOT, device, id, t, "eu", null, null, 0, -1, "windows", "b1", "7.5", "KB1",
                RebootReason.UPDATE, false, -1, -1, -1, -1, -1, false);
    }

    private List<BucketStats> buckets() {
        return harness.extractOutputValues().stream().map(BucketStats.class::cast).collect(Collectors.toList());
    }

    @Test
    void emitsOneCountPerSegmentWhenTheWatermarkClosesTheBucket() throws Exception {
        harness.processElement(new StreamRecord<>(boot("d1", "b1", T0 + 100), T0 + 100));
        harness.processElement(new StreamRecord<>(login("d1", "l1", T0 + 4_100), T0 + 4_100));
        harness.processElement(new StreamRecord<>(login("d2", "l2", T0 + 5_000), T0 + 5_000));
        harness.processElement(new StreamRecord<>(login("d2", "l2", T0 + 5_000), T0 + 5_000));
        harness.processWatermark(T0 + BUCKET - 2);
        assertThat(buckets()).isEmpty();
        harness.processWatermark(T0 + BUCKET - 1);
        List<BucketStats> out = buckets();
        assertThat(out).extracting(b -> b.segment).containsExactlyInAnyOrder("eu", Segments.FLEET);
        BucketStats eu = out.stream().filter(b -> b.segment.equals("eu")).findFirst().orElseThrow();
        assertThat(eu.logins(AttemptClass.AUTO)).isEqualTo(2);
        assertThat(eu.duplicates).isEqualTo(1);
        assertThat(eu.boots).isEqualTo(1);
        assertThat(eu.autoLoginsAfterBoot).isEqualTo(1);
        assertThat(eu.devicesDelta).as("distinct devices are counted in the accept stage").isZero();
    }

    @Test
    void anEventLaterThanTheAllowedLatenessBecomesALateDeadLetter() throws Exception {
        harness.processWatermark(T0 + 5 + ALLOWED_LATENESS + 1);
        harness.processElement(new StreamRecord<>(login("d1", "l1", T0 + 5), T0 + 5));
        List<DeadLetter> late = harness.getSideOutput(OutputTags.LATE_EVENTS).stream().map(StreamRecord::getValue)
                .collect(Collectors.toList());
        assertThat(late).hasSize(1);
        assertThat(late.get(0).category()).isEqualTo(DeadLetterCategory.LATE);
        assertThat(late.get(0).eventId()).isEqualTo("l1");
        assertThat(late.get(0).original()).contains("\"deviceId\"").doesNotContain("accountId");
        assertThat(late.get(0).reason()).startsWith("late:");
    }

    private BucketStats euBucket(long start) {
        return buckets().stream().filter(b -> b.segment.equals("eu") && b.bucketStart == start).findFirst()
                .orElseThrow(() -> new AssertionError("no eu bucket at " + start + " in " + buckets()));
    }

    @Test
    void anEventWithinTheAllowedLatenessCountsInTheNextBucketToCloseAndIsNoDeadLetter() throws Exception {
        harness.processElement(new StreamRecord<>(login("d2", "l0", T0 + 100), T0 + 100));
        harness.processWatermark(T0 + 3 * BUCKET - 1);
        harness.processElement(new StreamRecord<>(login("d1", "l1", T0 + 5), T0 + 5));
        harness.processWatermark(T0 + 4 * BUCKET - 1);

        assertThat(harness.getSideOutput(OutputTags.LATE_EVENTS)).as("no dead letter").isNullOrEmpty();
        assertThat(euBucket(T0).totalLogins()).as("the closed bucket as it was emitted").isEqualTo(1);
        BucketStats next = euBucket(T0 + 3 * BUCKET);
        assertThat(next.totalLogins()).isEqualTo(1);
    }

    /**
     * Copies the accept stage did not tell apart (they came through two partitions): one held for
     * the bucket, the other after the watermark passed its time, the bucket still open. The boot
     * counts once and the copy as a duplicate.
     */
    @Test
    void aLateCopyOfAHeldEventIsADuplicate() throws Exception {
        harness.processElement(new StreamRecord<>(boot("d1", "b1", T0 + 1_000), T0 + 1_000));
        harness.processWatermark(T0 + 2_000);
        harness.processElement(new StreamRecord<>(boot("d1", "b1", T0 + 1_000), T0 + 1_000));
        harness.processElement(new StreamRecord<>(boot("d2", "b2", T0 + 1_500), T0 + 1_500));
        harness.processWatermark(T0 + BUCKET - 1);
        assertThat(euBucket(T0).boots).as("d1's boot once, d2's late one").isEqualTo(2);
        assertThat(euBucket(T0).duplicates).isEqualTo(1);
    }

    @Test
    void aLateEventWhoseBucketIsStillOpenCountsInItsOwnBucket() throws Exception {
        harness.processWatermark(T0 + 6_000);
        harness.processElement(new StreamRecord<>(login("d1", "l1", T0 + 2_000), T0 + 2_000));
        harness.processWatermark(T0 + BUCKET - 1);
        assertThat(euBucket(T0).totalLogins()).isEqualTo(1);
    }

    @Test
    void aLateInstallStillArmsItsDeviceUnlessTheDeviceHasBootedSince() throws Exception {
        harness.processElement(new StreamRecord<>(boot("d2", "b2", T0 + 8_000), T0 + 8_000));
        harness.processWatermark(T0 + 2 * BUCKET - 1);
        harness.processElement(new StreamRecord<>(installed("d1", "u1", T0 + 1_000), T0 + 1_000));
        harness.processElement(new StreamRecord<>(installed("d2", "u2", T0 + 2_000), T0 + 2_000));
        harness.processWatermark(T0 + 3 * BUCKET - 1);

        assertThat(euBucket(T0 + 2 * BUCKET).armedDelta).as("d1 armed; d2 rebooted after its install")
                .containsExactly(java.util.Map.entry("KB2", 1L));
        harness.processElement(new StreamRecord<>(boot("d1", "b1", T0 + 3 * BUCKET + 500), T0 + 3 * BUCKET + 500));
        harness.processWatermark(T0 + 4 * BUCKET - 1);
        BucketStats wave = euBucket(T0 + 3 * BUCKET);
        assertThat(wave.armedBoots).as("the boot of the device the late install armed").isEqualTo(1);
        assertThat(wave.armedDelta).containsExactly(java.util.Map.entry("KB2", -1L));
    }

    @Test
    void forgetsASilentDeviceAndClearsItsStateAndTimer() throws Exception {
        harness.processElement(new StreamRecord<>(boot("d1", "b1", T0), T0));
        harness.processWatermark(T0 + BUCKET);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.processElement(new StreamRecord<>(login("d1", "l1", T0 + HOUR), T0 + HOUR));
        harness.processWatermark(T0 + TTL + BUCKET);
        assertThat(harness.numKeyedStateEntries()).as("still heard from within the TTL").isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.getOutput().clear();
        harness.processWatermark(T0 + HOUR + TTL + 2 * BUCKET);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        harness.processWatermark(T0 + HOUR + TTL + 5 * BUCKET);
        long departed = buckets().stream().filter(b -> b.segment.equals("eu"))
                .mapToLong(b -> b.censusDelta.getOrDefault("osBuild=b1", 0L)).sum();
        assertThat(departed).as("the device leaves the census of attributes").isEqualTo(-1);
    }

    @Test
    void theEndOfABoundedInputCountsTheHeldEventsWithoutWalkingEveryDevice() throws Exception {
        harness.processElement(new StreamRecord<>(boot("d1", "b1", T0 + 100), T0 + 100));
        harness.processElement(new StreamRecord<>(boot("d2", "b2", T0 + 200), T0 + 200));
        harness.processWatermark(T0 + BUCKET - 1);
        harness.processElement(new StreamRecord<>(boot("d1", "b3", T0 + BUCKET + 100), T0 + BUCKET + 100));
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(euBucket(T0).boots).isEqualTo(2);
        assertThat(euBucket(T0 + BUCKET).boots).as("held until the end of the input, then counted").isEqualTo(1);
        assertThat(buckets()).as("no departures: the end of the input is not a silence").allSatisfy(
                b -> assertThat(b.censusDelta.values()).allSatisfy(v -> assertThat(v).isPositive()));
        assertThat(harness.numEventTimeTimers()).as("the expiry timers are left: firing them would count nothing")
                .isEqualTo(2);
    }

    @Test
    void theCountsDoNotDependOnTheOrderEventsArriveIn() throws Exception {
        List<Observation> events = List.of(
                installed("d1", "u1", T0 + 500), boot("d1", "b1", T0 + 2_000), login("d1", "l1", T0 + 7_000),
                boot("d2", "b2", T0 + 1_000), boot("d2", "b3", T0 + 12_000), login("d2", "l2", T0 + 13_000),
                login("d3", "l3", T0 + 3_000), login("d3", "l3", T0 + 3_000));
        List<String> reference = null;
        for (int rotation = 0; rotation < events.size(); rotation++) {
            KeyedOneInputStreamOperatorTestHarness<String, Observation, BucketStats> h = newHarness();
            h.open();
            for (int i = 0; i < events.size(); i++) {
                Observation o = events.get((i * 3 + rotation) % events.size());
                h.processElement(new StreamRecord<>(o, o.eventTime()));
            }
            h.processWatermark(T0 + 3 * BUCKET);
            List<String> out = h.extractOutputValues().stream().map(b -> io.stampede.io.Json.write(b)).sorted()
                    .collect(Collectors.toList());
            h.close();
            if (reference == null) {
                reference = out;
                assertThat(out).isNotEmpty();
            } else {
                assertThat(out).as("arrival order %d", rotation).isEqualTo(reference);
            }
        }
    }

    private static Observation installed(String device, String id, long t) {
        return new Observation(ObservationKind.UPDATE_INSTALLED, device, id, t, "eu", null, null, 0, -1, "windows", "b1",
                "7.5", "KB2", null, true, -1, -1, -1, -1, -1, false);
    }

    @Test
    void openCountsSurviveACheckpoint() throws Exception {
        harness.processElement(new StreamRecord<>(login("d1", "l1", T0 + 1_000), T0 + 1_000));
        harness.processWatermark(T0 + 1_500);
        OperatorSubtaskState snapshot = harness.snapshot(1, T0 + 2_000);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement(new StreamRecord<>(login("d1", "l1", T0 + 1_000), T0 + 1_000));
        harness.processElement(new StreamRecord<>(login("d3", "l3", T0 + 2_000), T0 + 2_000));
        harness.processWatermark(T0 + BUCKET);
        BucketStats eu = buckets().stream().filter(b -> b.segment.equals("eu")).findFirst().orElseThrow();
        assertThat(eu.totalLogins()).as("one counted before the checkpoint, one new; the repeated id is dropped").isEqualTo(2);
        assertThat(eu.duplicates).as("the same event id again").isEqualTo(1);
    }

    /**
     * Events held for a bucket the watermark has not closed yet are in the checkpoint: restored at
     * twice the parallelism, each instance applies those of its own devices, in order (a boot and
     * the automatic login after it still pair), and none is applied twice or lost.
     */
    @Test
    void heldEventsSurviveACheckpointAndARescale() throws Exception {
        int devices = 40;
        harness.close();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new DeviceOperator(CONFIG), Observation::key,
                Types.STRING, 128, 1, 0);
        harness.open();
        for (int d = 0; d < devices; d++) {
            // The login first: applied in event-time order, the boot comes before it.
            harness.processElement(new StreamRecord<>(login("d" + d, "l" + d, T0 + 3_000), T0 + 3_000));
            harness.processElement(new StreamRecord<>(boot("d" + d, "b" + d, T0 + 1_000), T0 + 1_000));
        }
        harness.processWatermark(T0 + 2_000);
        OperatorSubtaskState snapshot = harness.snapshot(1, T0 + 4_000);
        harness.close();

        long boots = 0;
        long paired = 0;
        for (int subtask = 0; subtask < 2; subtask++) {
            harness = new KeyedOneInputStreamOperatorTestHarness<>(new DeviceOperator(CONFIG), Observation::key,
                    Types.STRING, 128, 2, subtask);
            harness.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(snapshot, 128, 1, 2,
                    subtask));
            harness.open();
            harness.processWatermark(T0 + BUCKET);
            for (BucketStats b : buckets()) {
                if (b.segment.equals("eu")) {
                    boots += b.boots;
                    paired += b.autoLoginsAfterBoot;
                }
            }
            if (subtask == 0) {
                harness.close();
            }
        }
        assertThat(boots).as("every held boot applied once, by the instance that owns its device").isEqualTo(devices);
        assertThat(paired).as("each boot paired with the automatic login after it").isEqualTo(devices);
    }

    /**
     * A savepoint of the version that kept held events in the device's keyed state (the resource was
     * written by it: three devices, each holding a boot and the automatic login after it, the
     * watermark inside their bucket) restores: those events are applied when the bucket closes, once
     * each, and pair, beside events held the new way after the restore.
     */
    @Test
    void eventsHeldInTheDeviceStateOfAnOlderSavepointAreStillApplied() throws Exception {
        harness.close();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new DeviceOperator(CONFIG), Observation::key,
                Types.STRING, 128, 1, 0);
        Path older = Path.of(getClass().getResource("/snapshots/device-operator-events-held-in-device-state").toURI());
        harness.initializeState(OperatorSnapshotUtil.readStateHandle(older.toString()));
        harness.open();
        harness.processElement(new StreamRecord<>(login("d0", "l0", T0 + 3_000), T0 + 3_000));
        harness.processElement(new StreamRecord<>(boot("d7", "b7", T0 + 4_000), T0 + 4_000));
        harness.processElement(new StreamRecord<>(login("d7", "l7", T0 + 6_000), T0 + 6_000));
        harness.processWatermark(T0 + BUCKET - 1);

        BucketStats eu = euBucket(T0);
        assertThat(eu.boots).as("three boots from the savepoint, one new").isEqualTo(4);
        assertThat(eu.autoLoginsAfterBoot).as("each boot paired with its login").isEqualTo(4);
        assertThat(eu.duplicates).as("the login repeated after the restore").isEqualTo(1);
    }
}
