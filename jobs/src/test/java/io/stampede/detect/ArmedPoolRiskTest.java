package io.stampede.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertStatus;
import io.stampede.alert.AlertType;
import io.stampede.alert.ArmedPoolOutlook;
import io.stampede.alert.Severity;
import io.stampede.event.Timestamps;
import io.stampede.plan.ScalingSignal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The latent capacity risk of an armed pool whose update forces its reboot: said before the first
 * device reboots, at a severity that matches how near and how certain it is, with pre-scaling but
 * no throttling yet; and nothing for pools that fit, pools without a deadline, or pools that drain.
 *
 * <p>The region's tier: 4 nodes of 10 logins/s, safe capacity 34/s, normal demand 5/s; four devices
 * in five log in by themselves after a boot. A pool rebooting as assumed (20 minutes, peaking a
 * third in) brings about one automatic login a second per 750 devices.
 */
class ArmedPoolRiskTest {

    private static final String UPDATE = Traffic.UPDATE;

    private final SegmentRun run = new SegmentRun();

    /** Normal traffic of a region whose devices log in by themselves after four boots in five, 45 s later. */
    private Traffic.Builder day(int i) {
        Traffic.Builder b = run.traffic.normal(i);
        long paired = b.stats.boots * 4 / 5;
        b.stats.autoLoginsAfterBoot += paired;
        b.stats.bootToLoginBins[(int) (45_000 / BootLoginModel.BIN_MS)] += paired;
        return b;
    }

    /** A normal bucket in which {@code n} armed devices reboot, and log in after as the others do. */
    private Traffic.Builder rebooting(int i, long n) {
        Traffic.Builder b = day(i).boots(n, "UPDATE", UPDATE, true);
        long paired = n * 4 / 5;
        b.stats.autoLoginsAfterBoot += paired;
        b.stats.bootToLoginBins[(int) (45_000 / BootLoginModel.BIN_MS)] += paired;
        return b;
    }

    private void warm() {
        run.play((int) (run.config.detection().warmupTime().toMillis() / run.engine.bucketMs()) + 6, this::day);
    }

    /** Arms {@code pool} devices over ten minutes, forced from {@code rebootBy}. */
    private void arm(long pool, long rebootBy) {
        int buckets = run.buckets(Duration.ofMinutes(10));
        run.play(buckets, i -> day(i).installs(pool / buckets, UPDATE, rebootBy));
    }

    private long now() {
        return run.traffic.start(run.next());
    }

    private List<Alert> risks() {
        return run.of(AlertType.CAPACITY_RISK);
    }

    @Test
    void aForcedPoolThatWouldOverloadTheTierWarnsLatentlyThenAsItsRebootsNearAndPreScales() {
        warm();
        long rebootBy = now() + Duration.ofHours(2).toMillis();
        arm(30_000, rebootBy);

        Alert latent = risks().get(0);
        assertThat(latent.status()).isEqualTo(AlertStatus.FIRING);
        assertThat(latent.severity()).as("an hour and more ahead: there to see, not a page").isEqualTo(Severity.INFO);
        assertThat(Timestamps.parse(latent.detectedAt())).isLessThan(rebootBy - Duration.ofHours(1).toMillis());
        assertThat(latent.summary()).contains("latent capacity risk", "armed with " + UPDATE, "forced to reboot from");
        ArmedPoolOutlook basis = latent.forecast().capacity().armedPool();
        assertThat(basis.updateId()).isEqualTo(UPDATE);
        assertThat(basis.rebootBy()).isEqualTo(Timestamps.format(rebootBy));
        assertThat(basis.rebootWindowSeconds()).isEqualTo(20 * 60);
        assertThat(basis.windowBasis()).isEqualTo("default");
        assertThat(basis.peakDemandPerSec()).isGreaterThan(34);
        assertThat(Timestamps.parse(basis.crossesAt())).isGreaterThan(rebootBy);
        assertThat(run.directives).as("nothing to throttle an hour ahead").isEmpty();
        assertThat(run.signals).as("nor to scale yet").noneMatch(s -> s.direction() == ScalingSignal.Direction.UP);

        // Up to the forced reboots: the forecast reaches them, the alert rises to a warning and the
        // autoscaler is told how many nodes are needed, and by when.
        run.play(Duration.ofMinutes(110), this::day);
        // The forced reboots begin as assumed, rising towards the peak (50 boots/s seven minutes in).
        int from = run.next();
        run.play(Duration.ofMinutes(4), i -> rebooting(i, Math.round(50.0 * (i - from + 1) * 10 / 420 * 10)));
        Alert warning = risks().stream().filter(a -> a.severity() == Severity.WARNING).findFirst().orElseThrow();
        long warnedAt = Timestamps.parse(warning.detectedAt());
        long crossing = Timestamps.parse(warning.forecast().capacity().crossesAt());
        assertThat(warning.incidentId()).as("the same alert, escalated").isEqualTo(latent.incidentId());
        assertThat(crossing - warnedAt).as("warning lead").isGreaterThanOrEqualTo(Duration.ofMinutes(5).toMillis());
        ScalingSignal up = run.signals.stream().filter(s -> s.direction() == ScalingSignal.Direction.UP).findFirst()
                .orElseThrow();
        assertThat(up.desiredNodes()).isGreaterThan(Traffic.NODES);
        assertThat(Timestamps.parse(up.neededBy())).isEqualTo(Math.max(Timestamps.parse(up.issuedAt()),
                crossing - run.config.scaling().nodeStartup().toMillis()));
        assertThat(crossing - Timestamps.parse(up.issuedAt())).as("scaling lead")
                .isGreaterThanOrEqualTo(Duration.ofMinutes(5).toMillis());
        // Throttling waits until the crossing is near (throttle.startWithin), then starts from the forecast.
        long startWithin = run.config.throttle().startWithin().toMillis();
        assertThat(run.directives).allMatch(d -> crossing - Timestamps.parse(d.issuedAt()) <= startWithin);
        assertThat(run.directives).as("throttling starts before the first overload, from the forecast")
                .anyMatch(d -> d.state() == ThrottleDirective.State.THROTTLE
                        && Timestamps.parse(d.issuedAt()) < crossing);
    }

    @Test
    void aForcedPoolThatFitsInTheSpareCapacityRaisesNothing() {
        warm();
        long rebootBy = now() + Duration.ofMinutes(40).toMillis();
        arm(5_000, rebootBy);
        run.play(Duration.ofMinutes(30), this::day);
        assertThat(risks()).isEmpty();
        assertThat(run.signals).noneMatch(s -> s.direction() == ScalingSignal.Direction.UP);
    }

    @Test
    void aLargePoolWithoutADeadlineRebootingAtItsOwnPaceRaisesNothing() {
        warm();
        arm(30_000, -1);
        // A staggered rollout: its devices reboot a few at a time, for hours.
        run.play(Duration.ofHours(3), i -> rebooting(i, 3));
        assertThat(risks()).isEmpty();
        assertThat(run.directives).isEmpty();
    }

    @Test
    void aPoolThatDrainsWithoutAWaveResolvesItsLatentRiskWithoutEverPaging() {
        warm();
        long rebootBy = now() + Duration.ofHours(3).toMillis();
        arm(30_000, rebootBy);
        assertThat(risks()).isNotEmpty();
        // Users reboot the devices themselves, spread over two hours, long before the deadline.
        run.play(Duration.ofHours(2), i -> rebooting(i, 42));
        assertThat(risks()).allMatch(a -> a.severity() == Severity.INFO);
        assertThat(run.of(AlertType.CAPACITY_RISK, AlertStatus.RESOLVED)).hasSize(1);
        assertThat(Timestamps.parse(risks().get(risks().size() - 1).detectedAt())).isLessThan(rebootBy);
    }

    @Test
    void aDeadlineThatPassedWithoutTheRebootsStopsCounting() {
        warm();
        long rebootBy = now() + Duration.ofMinutes(30).toMillis();
        arm(30_000, rebootBy);
        run.play(Duration.ofMinutes(80), this::day);
        assertThat(run.of(AlertType.CAPACITY_RISK, AlertStatus.RESOLVED)).as("the forced reboots never came")
                .hasSize(1);
        long resolved = Timestamps.parse(run.of(AlertType.CAPACITY_RISK, AlertStatus.RESOLVED).get(0).detectedAt());
        assertThat(resolved).isGreaterThan(rebootBy);
    }

    @Test
    void theWindowIsLearnedFromTheRegionsPastForcedWave() {
        warm();
        long first = now() + Duration.ofMinutes(15).toMillis();
        arm(12_000, first);
        run.play(Duration.ofMinutes(5), this::day);
        // The first forced wave takes its pool down evenly over 40 minutes.
        int over = run.buckets(Duration.ofMinutes(40));
        run.play(over, i -> rebooting(i, 12_000 / over));
        run.play(Duration.ofMinutes(30), this::day);
        assertThat(run.state.learnedRebootWindowMs).as("90%% after 36 min of an even wave")
                .isBetween(Duration.ofMinutes(40).toMillis(), Duration.ofMinutes(55).toMillis());

        String next = "KB-TEST-2";
        long second = now() + Duration.ofHours(2).toMillis();
        int buckets = run.buckets(Duration.ofMinutes(10));
        run.play(buckets, i -> day(i).installs(60_000 / buckets, next, second));
        Alert latent = risks().stream().filter(a -> a.forecast().capacity().armedPool() != null
                && a.forecast().capacity().armedPool().updateId().equals(next)).findFirst().orElseThrow();
        assertThat(latent.forecast().capacity().armedPool().windowBasis()).isEqualTo("learned");
        assertThat(latent.forecast().capacity().armedPool().rebootWindowSeconds() * 1000L)
                .isEqualTo(run.state.learnedRebootWindowMs / 1000 * 1000);
        assertThat(latent.summary()).contains("as this region's forced waves did");
    }
}
