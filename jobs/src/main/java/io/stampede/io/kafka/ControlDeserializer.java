package io.stampede.io.kafka;

import io.stampede.control.ControlRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Passes the control topic's records on as they are, with where they came from; they are checked
 * downstream, where a refused one becomes a dead letter with the reason.
 */
final class ControlDeserializer implements KafkaRecordDeserializationSchema<ControlRecord> {

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ControlRecord> out) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        String value = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
        if (key == null && value == null) {
            return; // a record that says nothing, not even which control to forget
        }
        out.collect(new ControlRecord(key, value, record.topic(), record.partition(), record.offset(), null));
    }

    @Override
    public TypeInformation<ControlRecord> getProducedType() {
        return TypeInformation.of(ControlRecord.class);
    }
}
