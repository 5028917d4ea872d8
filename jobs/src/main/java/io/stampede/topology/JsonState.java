package io.stampede.topology;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink state for the pure core's state objects, serialized as JSON from their fields. The core
 * classes stay plain Java (private fields, no Flink types), and a field added later reads back
 * from an older checkpoint with its default, so savepoints survive such changes.
 */
public final class JsonState {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private JsonState() {}

    public static <T> TypeInformation<T> typeInfo(Class<T> type) {
        return new Info<>(type);
    }

    /** Type information whose serializer writes the object's fields as JSON. */
    public static final class Info<T> extends TypeInformation<T> {
        private final Class<T> type;

        Info(Class<T> type) {
            this.type = type;
        }

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
        public Class<T> getTypeClass() {
            return type;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<T> createSerializer(SerializerConfig config) {
            return new Serializer<>(type);
        }

        @Override
        public String toString() {
            return "JsonState<" + type.getSimpleName() + ">";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Info<?> other && other.type == type;
        }

        @Override
        public int hashCode() {
            return type.hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Info;
        }
    }

    /** The serializer: length-prefixed UTF-8 JSON. Stateless, so one instance serves every thread. */
    public static final class Serializer<T> extends TypeSerializer<T> {
        private final Class<T> type;

        public Serializer(Class<T> type) {
            this.type = type;
        }

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public TypeSerializer<T> duplicate() {
            return this;
        }

        @Override
        public T createInstance() {
            return null;
        }

        @Override
        public T copy(T from) {
            if (from == null) {
                return null;
            }
            try {
                return MAPPER.readValue(MAPPER.writeValueAsBytes(from), type);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + type.getName(), e);
            }
        }

        @Override
        public T copy(T from, T reuse) {
            return copy(from);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(T record, DataOutputView target) throws IOException {
            byte[] bytes = MAPPER.writeValueAsBytes(record);
            target.writeInt(bytes.length);
            target.write(bytes);
        }

        @Override
        public T deserialize(DataInputView source) throws IOException {
            byte[] bytes = new byte[source.readInt()];
            source.readFully(bytes);
            return MAPPER.readValue(bytes, type);
        }

        @Override
        public T deserialize(T reuse, DataInputView source) throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            int length = source.readInt();
            target.writeInt(length);
            target.write(source, length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Serializer<?> other && other.type == type;
        }

        @Override
        public int hashCode() {
            return Objects.hash(type);
        }

        @Override
        public TypeSerializerSnapshot<T> snapshotConfiguration() {
            return new Snapshot<>(type);
        }
    }

    /** Remembers the state class; any later version of the class reads the JSON it wrote. */
    public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {
        private Class<T> type;

        public Snapshot() {}

        Snapshot(Class<T> type) {
            this.type = type;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(type.getName());
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
            String name = in.readUTF();
            try {
                @SuppressWarnings("unchecked")
                Class<T> c = (Class<T>) Class.forName(name, false, classLoader);
                type = c;
            } catch (ClassNotFoundException e) {
                throw new IOException("state class " + name + " not found", e);
            }
        }

        @Override
        public TypeSerializer<T> restoreSerializer() {
            return new Serializer<>(type);
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> oldSnapshot) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
    }
}
