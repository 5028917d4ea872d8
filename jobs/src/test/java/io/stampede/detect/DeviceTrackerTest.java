package io.stampede.detect;

import static io.stampede.Fixtures.MINUTE;
import static io.stampede.Fixtures.SECOND;
import static io.stampede.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.event.Outcome;
import io.stampede.event.RebootReason;
import io.stampede.event.Trigger;
import org.junit.jupiter.api.Test;

class DeviceTrackerTest {

    private final DeviceTracker tracker = new DeviceTracker(5 * MINUTE, 10 * SECOND);
    private final RecordingSink sink = new RecordingSink();
    private final DeviceState device = new DeviceState();

    private static Observation login(String id, long t, Trigger trigger, int attempt) {
        return new Observation(ObservationKind.LOGIN, "d1", id, t, "eu", trigger, Outcome.SUCCESS, attempt, 80, "windows",
                null, null, null, null, false, -1, -1, -1, -1, -1, false);
    }

    private static Observation boot(String id, long t, RebootReason reason, String updateId) {
        return new Observation(ObservationKind.BOOT, "d1", id, t, "eu", null, null, 0, -1, "windows", "b1", "7.5",
                updateId, reason, false, -1, -1, -1, -1, -1, false);
    }

    private static Observation installed(String id, long t, String updateId) {
        return new Observation(ObservationKind.UPDATE_INSTALLED, "d1", id, t, "eu", null, null, 0, -1, null, null, null,
                updateId, null, true, -1, -1, -1, -1, -1, false);
    }

    private void observe(Observation o) {
        tracker.observe(device, o, sink);
    }

    @Test
    void countsADeviceOnceWhenItBootsTwiceInOneBucket() {
        observe(boot("b1", T0 + 1000, RebootReason.CRASH, null));
        observe(boot("b2", T0 + 5000, RebootReason.CRASH, null));
        observe(boot("b3", T0 + 15_000, RebootReason.USER, null));
        assertThat(sink.boots).isEqualTo(2);
    }

    @Test
    void pairsABootWithTheAutomaticLoginThatFollowsIt() {
        observe(boot("b1", T0, RebootReason.UPDATE, "KB1"));
        observe(login("l1", T0 + 42 * SECOND, Trigger.AUTO, 1));
        observe(login("l2", T0 + 50 * SECOND, Trigger.AUTO, 1));
        assertThat(sink.delays).containsExactly(42_000L);
    }

    /**
     * With a pairing sample, a device outside it still counts its boots, but among the sampled boots
     * only if it is in the sample, and its logins are never paired (their share would lack its boots).
     */
    @Test
    void pairsOnlyTheDevicesOfThePairingSampleAndCountsTheirBootsApart() {
        PairingSample sample = new PairingSample(8);
        assertThat(sample.contains("d1")).as("the device of these tests is outside a sample of one in 8").isFalse();
        DeviceTracker sampled = new DeviceTracker(5 * MINUTE, 10 * SECOND, sample);
        sampled.observe(device, boot("b1", T0, RebootReason.UPDATE, "KB1"), sink);
        sampled.observe(device, login("l1", T0 + 42 * SECOND, Trigger.AUTO, 1), sink);
        assertThat(sink.boots).isEqualTo(1);
        assertThat(sink.sampledBoots).isZero();
        assertThat(sink.delays).as("not paired outside the sample").isEmpty();

        observe(boot("b2", T0 + MINUTE, RebootReason.UPDATE, "KB1"));
        observe(login("l2", T0 + MINUTE + 30 * SECOND, Trigger.AUTO, 1));
        assertThat(sink.sampledBoots).as("every device is in the sample of one in 1").isEqualTo(1);
        assertThat(sink.delays).containsExactly(30_000L);
    }

    @Test
    void pairsALoginWithTheLatestBootBeforeIt() {
        observe(boot("b1", T0, RebootReason.CRASH, null));
        observe(boot("b2", T0 + 20 * SECOND, RebootReason.CRASH, null));
        observe(login("l1", T0 + 50 * SECOND, Trigger.AUTO, 1));
        assertThat(sink.delays).containsExactly(30_000L);
    }

    @Test
    void doesNotPairRetriesInteractiveLoginsOrLateOnes() {
        observe(boot("b1", T0, RebootReason.USER, null));
        observe(login("l1", T0 + 10 * SECOND, Trigger.INTERACTIVE, 1));
        observe(login("l2", T0 + 20 * SECOND, Trigger.AUTO, 2));
        observe(login("l3", T0 + 6 * MINUTE, Trigger.AUTO, 1));
        assertThat(sink.delays).isEmpty();
    }

    @Test
    void armsOnAnUpdateNeedingARebootAndDisarmsOnTheNextBoot() {
        observe(installed("u1", T0, "KB9"));
        assertThat(sink.armed).containsEntry("KB9", 1L);
        observe(boot("b1", T0 + MINUTE, RebootReason.UPDATE, "KB9"));
        assertThat(sink.armed).containsEntry("KB9", 0L);
        assertThat(sink.armedBoots).isEqualTo(1);
    }

    @Test
    void anUpdateInstalledAfterTheLastBootStaysArmed() {
        observe(boot("b0", T0, RebootReason.USER, null));
        observe(installed("u1", T0 + MINUTE, "KB9"));
        assertThat(sink.armed).containsEntry("KB9", 1L);
        assertThat(sink.armedBoots).isZero();
    }

    @Test
    void keepsTheCensusOfAttributesAndLeavesItWhenForgotten() {
        observe(boot("b1", T0, RebootReason.USER, "KB1"));
        assertThat(sink.census).containsEntry("eu:updateId=KB1", 1L).containsEntry("eu:osBuild=b1", 1L);
        observe(installed("u2", T0 + MINUTE, "KB2"));
        assertThat(sink.census).containsEntry("eu:updateId=KB1", 0L).containsEntry("eu:updateId=KB2", 1L);
        tracker.forget(device, T0 + 2 * MINUTE, sink);
        assertThat(sink.census.values()).allMatch(v -> v == 0);
        assertThat(sink.armed).containsEntry("KB2", 0L);
    }

    @Test
    void reportsNodeHealthUnderTheNodeKey() {
        Observation n = new Observation(ObservationKind.NODE_HEALTH, "c/n1", "h1", T0, "eu", null, null, 0, -1, null, null,
                null, null, null, false, 40, 3, 0.5, 120, 0.01, true);
        tracker.observe(new DeviceState(), n, sink);
        assertThat(sink.facts).containsExactly("node c/n1");
        assertThat(sink.census).isEmpty();
    }
}
