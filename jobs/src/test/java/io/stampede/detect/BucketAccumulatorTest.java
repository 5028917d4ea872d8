package io.stampede.detect;

import static io.stampede.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.admission.AttemptClass;
import io.stampede.event.Outcome;
import io.stampede.event.RebootReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class BucketAccumulatorTest {

    private final BucketAccumulator acc = new BucketAccumulator(10_000, true);

    @Test
    void countsPerRegionAndForTheFleetAndFlushesClosedBucketsInOrder() {
        acc.login("eu", T0 + 1, AttemptClass.AUTO, Outcome.SUCCESS, 50);
        acc.login("us", T0 + 2, AttemptClass.RETRY, Outcome.TIMEOUT, -1);
        acc.boot("eu", T0 + 12_000, "windows", "b1", "7.5", "KB1", RebootReason.UPDATE, true, true);
        assertThat(acc.flush(T0 + 9_998)).isEmpty();
        List<BucketStats> first = acc.flush(T0 + 9_999);
        assertThat(first).extracting(b -> b.segment).containsExactlyInAnyOrder("eu", "us", Segments.FLEET);
        BucketStats fleet = first.stream().filter(b -> b.segment.equals(Segments.FLEET)).findFirst().orElseThrow();
        assertThat(fleet.totalLogins()).isEqualTo(2);
        assertThat(fleet.failedLogins()).isEqualTo(1);
        assertThat(fleet.logins(AttemptClass.RETRY)).isEqualTo(1);
        List<BucketStats> second = acc.flush(Long.MAX_VALUE);
        BucketStats eu = second.stream().filter(b -> b.segment.equals("eu")).findFirst().orElseThrow();
        assertThat(eu.boots).isEqualTo(1);
        assertThat(eu.armedBoots).isEqualTo(1);
        assertThat(eu.bootAttributes).containsEntry("updateId=KB1", 1L).containsEntry("rebootReason=UPDATE", 1L);
        assertThat(acc.isEmpty()).isTrue();
    }

    @Test
    void partialsRestoredFromACheckpointMergeWithNewCounts() {
        acc.login("eu", T0, AttemptClass.AUTO, Outcome.SUCCESS, -1);
        List<BucketStats> pending = acc.pending();
        BucketAccumulator restored = new BucketAccumulator(10_000, true);
        pending.forEach(restored::restore);
        restored.login("eu", T0 + 5, AttemptClass.AUTO, Outcome.SUCCESS, -1);
        BucketStats eu = restored.flush(Long.MAX_VALUE).stream().filter(b -> b.segment.equals("eu")).findFirst()
                .orElseThrow();
        assertThat(eu.logins(AttemptClass.AUTO)).isEqualTo(2);
    }
}
