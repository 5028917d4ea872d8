package io.stampede.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.detect.BucketStats;
import io.stampede.detect.DeviceState;
import io.stampede.detect.Observation;
import io.stampede.detect.ObservationKind;
import io.stampede.event.Outcome;
import io.stampede.event.RebootReason;
import io.stampede.event.Trigger;
import java.util.List;
import io.stampede.detect.SegmentEngine;
import io.stampede.detect.SegmentSnapshot;
import io.stampede.detect.SegmentState;
import io.stampede.event.DeadLetter;
import io.stampede.event.Envelope;
import io.stampede.plan.ScalingSignal;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every record that crosses the network or lives in state is serialized by Flink's own POJO
 * serializer (or Stampede's JSON state serializer), never by the Kryo fallback: jobs run with
 * generic types disabled, so a fallback would fail the job.
 */
class SerializationTest {

    static Stream<Class<?>> flowingTypes() {
        return Stream.of(Envelope.class, BucketStats.class, DeviceState.class, Alert.class,
                ThrottleDirective.class, ScalingSignal.class, DeadLetter.class, SegmentSnapshot.class);
    }

    @ParameterizedTest
    @MethodSource("flowingTypes")
    void isAPojoAllTheWayDown(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        assertNoGenericField(info, type.getSimpleName());
        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false);
        assertThat(info.createSerializer(noKryo)).isNotNull();
    }

    private static void assertNoGenericField(TypeInformation<?> info, String path) {
        assertThat(info).as(path).isNotInstanceOf(GenericTypeInfo.class);
        if (info instanceof PojoTypeInfo<?> pojo) {
            for (int i = 0; i < pojo.getArity(); i++) {
                assertNoGenericField(pojo.getTypeAt(i), path + "." + pojo.getFieldNames()[i]);
            }
        }
        for (TypeInformation<?> param : info.getGenericParameters().values()) {
            assertNoGenericField(param, path + "<>");
        }
    }

    @Test
    void observationsOfEveryKindSurviveTheirOwnSerializer() throws Exception {
        List<Observation> all = List.of(
                new Observation(ObservationKind.LOGIN, "d1", "e1", 5, "eu", Trigger.AUTO, Outcome.TIMEOUT, 3, 5000, null,
                        null, null, null, null, false, -1, -1, -1, -1, -1, false),
                new Observation(ObservationKind.BOOT, "d1", "e2", 6, "eu", null, null, 0, -1, "windows", "b1", "7.5", "KB1",
                        RebootReason.POWER, false, -1, -1, -1, -1, -1, false),
                new Observation(ObservationKind.UPDATE_INSTALLED, "d1", "e3", 7, "eu", null, null, 0, -1, null, null, null,
                        "KB2", null, true, -1, -1, -1, -1, -1, false),
                new Observation(ObservationKind.NODE_HEALTH, "c/n1", "e4", 8, "eu", null, null, 0, -1, null, null, null,
                        null, null, false, 40, 3, 0.5, 120.5, 0.01, true));
        for (Observation o : all) {
            assertThat(roundTrip(ObservationSerializer.TYPE, o)).isEqualTo(o);
        }
    }

    @Test
    void bucketStatsSurviveARoundTrip() throws Exception {
        BucketStats b = new BucketStats("eu", 1000);
        b.boots = 3;
        b.bootAttributes.put("updateId=KB1", 3L);
        b.logins[5] = 7;
        b.nodes.add(new io.stampede.detect.NodeSample("n1", 5, 40, 1, 0.5, 120, 0, true));
        BucketStats copy = roundTrip(TypeInformation.of(BucketStats.class), b);
        assertThat(copy).usingRecursiveComparison().isEqualTo(b);
    }

    @Test
    void segmentStateSurvivesTheJsonStateSerializer() throws Exception {
        SegmentState s = new SegmentState("eu");
        SegmentEngine engine = new SegmentEngine(io.stampede.Fixtures.config());
        for (int i = 0; i < 100; i++) {
            BucketStats b = new BucketStats("eu", io.stampede.Fixtures.T0 + i * 10_000L);
            b.boots = 2 + i % 3;
            b.bootAttributes.put("rebootReason=USER", b.boots);
            b.logins[0] = 50 + i % 7;
            b.censusDelta.put("updateId=KB1", 10L);
            b.devicesDelta = 12;
            org.apache.datasketches.hll.HllSketch heard = io.stampede.detect.DeviceSketch.create();
            for (int d = 0; d < 30; d++) {
                heard.update(io.stampede.detect.DeviceSketch.hash("device-" + (i * 7 + d)));
            }
            b.deviceSketch = io.stampede.detect.DeviceSketch.bytes(heard);
            b.nodes.add(new io.stampede.detect.NodeSample("n1", b.bucketStart, 40, 1, 0.5, 120, 0, true));
            engine.onBucket(s, b, new Discard());
        }
        TypeInformation<SegmentState> info = JsonState.typeInfo(SegmentState.class);
        SegmentState copy = roundTrip(info, s);
        // The census's cached union of its sketches is rebuilt from them on the next bucket.
        String[] caches = {"census.olderSlots", "census.cacheValid", "census.estimate"};
        assertThat(copy).usingRecursiveComparison().ignoringFields(caches)
                .withEqualsForType(Double::equals, Double.class).isEqualTo(s);
        TypeSerializer<SegmentState> serializer = info.createSerializer(new SerializerConfigImpl());
        assertThat(serializer.copy(s)).isNotSameAs(s).usingRecursiveComparison().ignoringFields(caches)
                .withEqualsForType(Double::equals, Double.class).isEqualTo(s);
    }

    private static final class Discard implements io.stampede.detect.SegmentOutput {
        @Override
        public void alert(Alert alert) {}

        @Override
        public void directive(ThrottleDirective directive) {}

        @Override
        public void signal(ScalingSignal signal) {}

        @Override
        public void snapshot(SegmentSnapshot snapshot) {}
    }

    @Test
    void deviceStateSurvivesItsSerializerWithHeldEvents() throws Exception {
        io.stampede.detect.DeviceState s = sampleDeviceState();
        DataOutputSerializer out = new DataOutputSerializer(64);
        DeviceStateSerializer.INSTANCE.serialize(s, out);
        io.stampede.detect.DeviceState copy = DeviceStateSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(copy).usingRecursiveComparison().isEqualTo(s);
        assertThat(copy.region).as("one shared copy of each attribute value").isSameAs(
                DeviceStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())).region);
        assertThat(DeviceStateSerializer.INSTANCE.copy(s)).usingRecursiveComparison().isEqualTo(s);
    }

    /**
     * A state written by the version that kept a ring of recent event ids per device (here five,
     * after the bit set) still reads: the ids are skipped and everything after them is intact.
     */
    @Test
    void aDeviceStateOfTheVersionWithARingOfRecentIdsStillReads() throws Exception {
        io.stampede.detect.DeviceState s = sampleDeviceState();
        DataOutputSerializer now = new DataOutputSerializer(64);
        DeviceStateSerializer.INSTANCE.serialize(s, now);
        byte[] written = now.getCopyOfBuffer();
        assertThat(written[1]).isZero();
        assertThat(written[2]).as("no ids are written now").isZero();
        DataOutputSerializer older = new DataOutputSerializer(256);
        older.writeByte(written[0]);
        older.writeShort(5);
        for (int i = 0; i < 5; i++) {
            older.writeLong(1000L * i - 7);
            older.writeLong(io.stampede.Fixtures.T0 + i);
        }
        older.write(written, 3, written.length - 3);
        io.stampede.detect.DeviceState read = DeviceStateSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(older.getCopyOfBuffer()));
        assertThat(read).usingRecursiveComparison().isEqualTo(s);
    }

    private static io.stampede.detect.DeviceState sampleDeviceState() {
        io.stampede.detect.DeviceState s = new io.stampede.detect.DeviceState();
        s.lastSeen = io.stampede.Fixtures.T0 + 9;
        s.firstSeen = io.stampede.Fixtures.T0;
        s.region = "eu";
        s.osBuild = "b1";
        s.updateId = "KB1";
        s.lastBoot = io.stampede.Fixtures.T0 + 3;
        s.bootPaired = false;
        s.armedUpdate = "KB2";
        s.armedSince = io.stampede.Fixtures.T0 + 4;
        s.expiryTimer = io.stampede.Fixtures.T0 + 99;
        s.hold(new Observation(ObservationKind.UPDATE_INSTALLED, "d1", "e9", io.stampede.Fixtures.T0 + 8, "eu",
                null, null, 0, -1, "windows", "b2", null, "KB3", null, true, -1, -1, -1, -1, -1, false,
                io.stampede.Fixtures.T0 + 3_600_000));
        return s;
    }

    private static <T> T roundTrip(TypeInformation<T> info, T value) throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<T> serializer = info.createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
