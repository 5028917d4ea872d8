package io.stampede.detect;

import static io.stampede.Fixtures.HOUR;
import static io.stampede.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.apache.datasketches.hll.HllSketch;
import org.junit.jupiter.api.Test;

class CensusTest {

    private static final long BUCKET = 10_000;
    private static final long WINDOW = 48 * HOUR;

    private static byte[] devices(int from, int to) {
        HllSketch s = DeviceSketch.create();
        for (int d = from; d < to; d++) {
            s.update(DeviceSketch.hash("device-" + d));
        }
        return DeviceSketch.bytes(s);
    }

    private static void bucket(Census c, long start, byte[] sketch) {
        c.heard(sketch, start, start + BUCKET, BUCKET, WINDOW);
    }

    @Test
    void countsEachDeviceOnceHoweverOftenItIsHeardFrom() {
        Census c = new Census();
        for (int i = 0; i < 20; i++) {
            bucket(c, T0 + i * BUCKET, devices(0, 200));
        }
        assertThat(c.devices()).as("small counts are exact").isEqualTo(200);
        bucket(c, T0 + 20 * BUCKET, devices(150, 300));
        assertThat(c.devices()).isEqualTo(300);
    }

    @Test
    void aMillionDevicesAreCountedWithinTheStatedError() {
        Census c = new Census();
        int n = 1_000_000;
        int perBucket = 50_000;
        for (int i = 0; i < n / perBucket; i++) {
            // Every device is heard from twice, in buckets an hour apart (other slots of the window).
            bucket(c, T0 + i * BUCKET, devices(i * perBucket, (i + 1) * perBucket));
            bucket(c, T0 + HOUR + i * BUCKET, devices(i * perBucket, (i + 1) * perBucket));
        }
        assertThat((double) c.devices()).isCloseTo(n, within(3 * DeviceSketch.RELATIVE_ERROR * n));
    }

    @Test
    void devicesNotHeardFromWithinTheWindowLeave() {
        Census c = new Census();
        bucket(c, T0, devices(0, 100));
        bucket(c, T0 + 24 * HOUR, devices(100, 150));
        assertThat(c.devices()).isEqualTo(150);
        bucket(c, T0 + WINDOW + 2 * HOUR, null);
        assertThat(c.devices()).as("the first 100 fell silent two days ago").isEqualTo(50);
        bucket(c, T0 + 24 * HOUR + WINDOW + 2 * HOUR, null);
        assertThat(c.devices()).isZero();
    }

    /**
     * The estimate is taken from the union of the slots without serializing it and reading it back:
     * it must equal, to the last bit, the one taken the long way (as before), whatever the sketches'
     * modes (a list of hashes, a set, registers) and however the slots come and go.
     */
    @Test
    void theEstimateIsThatOfTheSerializedUnionToTheLastBit() {
        java.util.Random random = new java.util.Random(7);
        Census c = new Census();
        java.util.TreeMap<Long, byte[]> slots = new java.util.TreeMap<>();
        long slotMs = WINDOW / Census.SLOTS_PER_WINDOW;
        long t = T0;
        int compared = 0;
        for (int i = 0; i < 1500; i++) {
            t += BUCKET * (1 + (random.nextInt(10) == 0 ? random.nextInt(2000) : 0));
            int size = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(8);
                case 1 -> random.nextInt(2_000);
                case 2 -> random.nextInt(20_000);
                default -> 0;
            };
            int from = random.nextInt(400_000);
            byte[] sketch = size == 0 ? null : devices(from, from + size);
            bucket(c, t, sketch);

            long end = t + BUCKET;
            while (!slots.isEmpty() && slots.firstKey() + slotMs <= end - WINDOW) {
                slots.pollFirstEntry();
            }
            if (sketch != null) {
                slots.merge(t - Math.floorMod(t, slotMs), sketch, DeviceSketch::union);
            }
            byte[] older = null;
            for (byte[] s : slots.headMap(slots.isEmpty() ? 0 : slots.lastKey()).values()) {
                older = DeviceSketch.union(older, s);
            }
            double expected = slots.isEmpty() ? 0 : DeviceSketch.estimate(DeviceSketch.union(older, slots.lastEntry().getValue()));
            assertThat(c.heardEstimate()).as("bucket %d", i).isEqualTo(expected);
            compared += older != null ? 1 : 0;
        }
        assertThat(compared).as("buckets with older slots to unite").isGreaterThan(500);
    }

    @Test
    void sharesCompareAttributeCountsWithTheDevicesHeardFrom() {
        Census c = new Census();
        c.apply(0, Map.of("updateId=KB1", 25L));
        bucket(c, T0, devices(0, 100));
        assertThat(c.share("updateId=KB1")).isEqualTo(0.25);
        assertThat(c.share("updateId=KB2")).isZero();
    }
}
