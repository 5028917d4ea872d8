package io.stampede.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.alert.Attribution;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WaveAttributionTest {

    private static BucketStats boots(long n, Map<String, Long> attributes) {
        BucketStats b = new BucketStats("eu", 0);
        b.boots = n;
        b.bootAttributes.putAll(attributes);
        return b;
    }

    private static Census fleet() {
        Census c = new Census();
        c.apply(10_000, Map.of("updateId=KB-NEW", 6_000L, "updateId=KB-OLD", 4_000L, "osBuild=b1", 9_000L,
                "platform=windows", 7_000L));
        return c;
    }

    private static WaveAttribution withNormalReasons() {
        WaveAttribution w = new WaveAttribution();
        for (int i = 0; i < 50; i++) {
            w.learnNormal(boots(10, Map.of("rebootReason=USER", 7L, "rebootReason=CRASH", 2L, "rebootReason=UPDATE", 1L)));
        }
        return w;
    }

    @Test
    void anUpdateWaveNamesTheUpdateFirst() {
        WaveAttribution w = withNormalReasons();
        w.addToWave(boots(1000, Map.of("updateId=KB-NEW", 980L, "rebootReason=UPDATE", 990L, "osBuild=b1", 900L,
                "platform=windows", 700L)));
        List<Attribution> named = w.attribute(fleet(), 0.5, 1.2);
        assertThat(named.get(0).attribute()).isEqualTo("updateId");
        assertThat(named.get(0).value()).isEqualTo("KB-NEW");
        assertThat(named.get(0).share()).isEqualTo(0.98);
        assertThat(named.get(0).lift()).isCloseTo(1.633, org.assertj.core.data.Offset.offset(0.01));
        assertThat(named).extracting(Attribution::value).contains("UPDATE").doesNotContain("b1", "windows");
    }

    @Test
    void aPowerLossNamesTheReasonAndNotTheUpdateMostDevicesHave() {
        WaveAttribution w = withNormalReasons();
        w.addToWave(boots(1000, Map.of("updateId=KB-NEW", 610L, "updateId=KB-OLD", 390L, "rebootReason=POWER", 995L,
                "osBuild=b1", 900L)));
        List<Attribution> named = w.attribute(fleet(), 0.5, 1.2);
        assertThat(named).extracting(Attribution::attribute).containsExactly("rebootReason");
        assertThat(named.get(0).value()).isEqualTo("POWER");
        assertThat(named.get(0).lift()).isGreaterThan(50);
    }

    @Test
    void namesNothingWhenTheWaveLooksLikeTheFleet() {
        WaveAttribution w = withNormalReasons();
        w.addToWave(boots(1000, Map.of("updateId=KB-NEW", 600L, "rebootReason=USER", 700L, "osBuild=b1", 900L)));
        assertThat(w.attribute(fleet(), 0.5, 1.2)).isEmpty();
    }
}
