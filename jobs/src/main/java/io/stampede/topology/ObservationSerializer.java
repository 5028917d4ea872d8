package io.stampede.topology;

import io.stampede.detect.Observation;
import io.stampede.detect.ObservationKind;
import io.stampede.event.Outcome;
import io.stampede.event.RebootReason;
import io.stampede.event.Trigger;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The wire format of {@link Observation}, the one record per event that crosses the network (keyed
 * by device). Written by hand because the generic record serializer goes through reflection and
 * writes every absent field: here a bit set says which optional fields follow, and enums travel as
 * one byte. It roughly halves the cost of the shuffle. Attribute values are read back as one shared
 * copy each ({@link Interned}): the device stage keeps them in every device's state.
 */
public final class ObservationSerializer extends TypeSerializerSingleton<Observation> {

    public static final ObservationSerializer INSTANCE = new ObservationSerializer();
    public static final TypeInformation<Observation> TYPE = new Info();

    private static final ObservationKind[] KINDS = ObservationKind.values();
    private static final Trigger[] TRIGGERS = Trigger.values();
    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final RebootReason[] REASONS = RebootReason.values();

    private static final int TRIGGER = 1;
    private static final int OUTCOME = 1 << 1;
    private static final int PLATFORM = 1 << 2;
    private static final int OS_BUILD = 1 << 3;
    private static final int CLIENT_VERSION = 1 << 4;
    private static final int UPDATE_ID = 1 << 5;
    private static final int REASON = 1 << 6;
    private static final int REGION = 1 << 7;
    private static final int NODE = 1 << 8;
    private static final int REBOOT_REQUIRED = 1 << 9;
    private static final int HEALTHY = 1 << 10;
    private static final int REBOOT_BY = 1 << 11;

    private ObservationSerializer() {}

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public Observation createInstance() {
        return null;
    }

    @Override
    public Observation copy(Observation from) {
        return from;
    }

    @Override
    public Observation copy(Observation from, Observation reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Observation o, DataOutputView out) throws IOException {
        int present = (o.trigger() != null ? TRIGGER : 0) | (o.outcome() != null ? OUTCOME : 0)
                | (o.platform() != null ? PLATFORM : 0) | (o.osBuild() != null ? OS_BUILD : 0)
                | (o.clientVersion() != null ? CLIENT_VERSION : 0) | (o.updateId() != null ? UPDATE_ID : 0)
                | (o.rebootReason() != null ? REASON : 0) | (o.region() != null ? REGION : 0)
                | (o.kind() == ObservationKind.NODE_HEALTH ? NODE : 0) | (o.rebootRequired() ? REBOOT_REQUIRED : 0)
                | (o.healthy() ? HEALTHY : 0) | (o.rebootBy() >= 0 ? REBOOT_BY : 0);
        out.writeByte(o.kind().ordinal());
        out.writeShort(present);
        StringValue.writeString(o.key(), out);
        StringValue.writeString(o.eventId(), out);
        out.writeLong(o.eventTime());
        out.writeInt(o.attempt());
        out.writeInt(o.latencyMs());
        if ((present & REGION) != 0) {
            StringValue.writeString(o.region(), out);
        }
        if ((present & TRIGGER) != 0) {
            out.writeByte(o.trigger().ordinal());
        }
        if ((present & OUTCOME) != 0) {
            out.writeByte(o.outcome().ordinal());
        }
        if ((present & PLATFORM) != 0) {
            StringValue.writeString(o.platform(), out);
        }
        if ((present & OS_BUILD) != 0) {
            StringValue.writeString(o.osBuild(), out);
        }
        if ((present & CLIENT_VERSION) != 0) {
            StringValue.writeString(o.clientVersion(), out);
        }
        if ((present & UPDATE_ID) != 0) {
            StringValue.writeString(o.updateId(), out);
        }
        if ((present & REASON) != 0) {
            out.writeByte(o.rebootReason().ordinal());
        }
        if ((present & NODE) != 0) {
            out.writeDouble(o.capacityPerSec());
            out.writeLong(o.inflight());
            out.writeDouble(o.cpu());
            out.writeDouble(o.p99LatencyMs());
            out.writeDouble(o.errorRate());
        }
        if ((present & REBOOT_BY) != 0) {
            out.writeLong(o.rebootBy());
        }
    }

    @Override
    public Observation deserialize(DataInputView in) throws IOException {
        ObservationKind kind = KINDS[in.readByte()];
        int present = in.readShort();
        String key = StringValue.readString(in);
        String eventId = StringValue.readString(in);
        long time = in.readLong();
        int attempt = in.readInt();
        int latency = in.readInt();
        String region = (present & REGION) != 0 ? Interned.of(StringValue.readString(in)) : null;
        Trigger trigger = (present & TRIGGER) != 0 ? TRIGGERS[in.readByte()] : null;
        Outcome outcome = (present & OUTCOME) != 0 ? OUTCOMES[in.readByte()] : null;
        String platform = (present & PLATFORM) != 0 ? Interned.of(StringValue.readString(in)) : null;
        String osBuild = (present & OS_BUILD) != 0 ? Interned.of(StringValue.readString(in)) : null;
        String clientVersion = (present & CLIENT_VERSION) != 0 ? Interned.of(StringValue.readString(in)) : null;
        String updateId = (present & UPDATE_ID) != 0 ? Interned.of(StringValue.readString(in)) : null;
        RebootReason reason = (present & REASON) != 0 ? REASONS[in.readByte()] : null;
        double capacity = -1;
        long inflight = -1;
        double cpu = -1;
        double p99 = -1;
        double errorRate = -1;
        if ((present & NODE) != 0) {
            capacity = in.readDouble();
            inflight = in.readLong();
            cpu = in.readDouble();
            p99 = in.readDouble();
            errorRate = in.readDouble();
        }
        long rebootBy = (present & REBOOT_BY) != 0 ? in.readLong() : -1;
        return new Observation(kind, key, eventId, time, region, trigger, outcome, attempt, latency, platform, osBuild,
                clientVersion, updateId, reason, (present & REBOOT_REQUIRED) != 0, capacity, inflight, cpu, p99,
                errorRate, (present & HEALTHY) != 0, rebootBy);
    }

    @Override
    public Observation deserialize(Observation reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<Observation> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1 of the format above. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Observation> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Type information backed by {@link ObservationSerializer}. */
    public static final class Info extends TypeInformation<Observation> {
        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<Observation> getTypeClass() {
            return Observation.class;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<Observation> createSerializer(SerializerConfig config) {
            return INSTANCE;
        }

        @Override
        public String toString() {
            return "Observation";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Info;
        }

        @Override
        public int hashCode() {
            return Observation.class.hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Info;
        }
    }
}
