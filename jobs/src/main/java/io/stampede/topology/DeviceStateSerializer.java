package io.stampede.topology;

import io.stampede.detect.DeviceState;
import io.stampede.detect.Observation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The stored form of one device's state: what a checkpoint writes per device, and what RocksDB
 * reads and writes on every access. Written by hand for the same reasons as
 * {@link ObservationSerializer}: a bit set says which optional values follow, and the held events
 * of an older savepoint use the compact observation format. The count of recent event ids an older
 * version kept in the state is still written, always zero: the ids an older state holds are read
 * and dropped, as duplicates are now dropped before the device stage. Attribute values are read back as one shared copy each ({@link Interned}).
 */
public final class DeviceStateSerializer extends TypeSerializerSingleton<DeviceState> {

    public static final DeviceStateSerializer INSTANCE = new DeviceStateSerializer();

    private static final int REGION = 1;
    private static final int PLATFORM = 1 << 1;
    private static final int OS_BUILD = 1 << 2;
    private static final int CLIENT_VERSION = 1 << 3;
    private static final int UPDATE_ID = 1 << 4;
    private static final int ARMED = 1 << 5;
    private static final int BOOT_PAIRED = 1 << 6;
    private static final int WAITING = 1 << 7;

    private DeviceStateSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public DeviceState createInstance() {
        return new DeviceState();
    }

    @Override
    public DeviceState copy(DeviceState from) {
        DeviceState to = new DeviceState();
        to.lastSeen = from.lastSeen;
        to.firstSeen = from.firstSeen;
        to.region = from.region;
        to.platform = from.platform;
        to.osBuild = from.osBuild;
        to.clientVersion = from.clientVersion;
        to.updateId = from.updateId;
        to.lastBoot = from.lastBoot;
        to.bootPaired = from.bootPaired;
        to.armedUpdate = from.armedUpdate;
        to.armedSince = from.armedSince;
        to.expiryTimer = from.expiryTimer;
        to.waiting = from.waiting.isEmpty() ? List.of() : new ArrayList<>(from.waiting);
        return to;
    }

    @Override
    public DeviceState copy(DeviceState from, DeviceState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(DeviceState s, DataOutputView out) throws IOException {
        int present = (s.region != null ? REGION : 0) | (s.platform != null ? PLATFORM : 0)
                | (s.osBuild != null ? OS_BUILD : 0) | (s.clientVersion != null ? CLIENT_VERSION : 0)
                | (s.updateId != null ? UPDATE_ID : 0) | (s.armedUpdate != null ? ARMED : 0)
                | (s.bootPaired ? BOOT_PAIRED : 0) | (!s.waiting.isEmpty() ? WAITING : 0);
        out.writeByte(present);
        // Where the ring of recent event ids was: states of an older version carry one, read and dropped.
        out.writeShort(0);
        out.writeLong(s.lastSeen);
        out.writeLong(s.firstSeen);
        out.writeLong(s.lastBoot);
        out.writeLong(s.expiryTimer);
        writeIf(present, REGION, s.region, out);
        writeIf(present, PLATFORM, s.platform, out);
        writeIf(present, OS_BUILD, s.osBuild, out);
        writeIf(present, CLIENT_VERSION, s.clientVersion, out);
        writeIf(present, UPDATE_ID, s.updateId, out);
        if ((present & ARMED) != 0) {
            StringValue.writeString(s.armedUpdate, out);
            out.writeLong(s.armedSince);
        }
        if ((present & WAITING) != 0) {
            out.writeInt(s.waiting.size());
            for (Observation o : s.waiting) {
                ObservationSerializer.INSTANCE.serialize(o, out);
            }
        }
    }

    private static void writeIf(int present, int bit, String value, DataOutputView out) throws IOException {
        if ((present & bit) != 0) {
            StringValue.writeString(value, out);
        }
    }

    private static String readIf(int present, int bit, DataInputView in) throws IOException {
        return (present & bit) != 0 ? Interned.of(StringValue.readString(in)) : null;
    }

    @Override
    public DeviceState deserialize(DataInputView in) throws IOException {
        DeviceState s = new DeviceState();
        int present = in.readByte() & 0xff;
        int recentIds = in.readShort();
        in.skipBytesToRead(recentIds * 2 * Long.BYTES);
        s.lastSeen = in.readLong();
        s.firstSeen = in.readLong();
        s.lastBoot = in.readLong();
        s.expiryTimer = in.readLong();
        s.region = readIf(present, REGION, in);
        s.platform = readIf(present, PLATFORM, in);
        s.osBuild = readIf(present, OS_BUILD, in);
        s.clientVersion = readIf(present, CLIENT_VERSION, in);
        s.updateId = readIf(present, UPDATE_ID, in);
        s.bootPaired = (present & BOOT_PAIRED) != 0;
        if ((present & ARMED) != 0) {
            s.armedUpdate = Interned.of(StringValue.readString(in));
            s.armedSince = in.readLong();
        }
        if ((present & WAITING) != 0) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                s.hold(ObservationSerializer.INSTANCE.deserialize(in));
            }
        }
        return s;
    }

    @Override
    public DeviceState deserialize(DeviceState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<DeviceState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1 of the format above. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DeviceState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
