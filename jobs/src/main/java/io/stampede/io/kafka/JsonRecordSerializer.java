package io.stampede.io.kafka;

import io.stampede.config.OutputTimestamps;
import io.stampede.io.Json;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes each output record as JSON to one topic, keyed as the output needs (e.g. by region for
 * compaction), with the Kafka record timestamp {@link OutputTimestamps} chooses.
 */
final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {

    private final String topic;
    private final MapFunction<T, String> key;
    private final OutputTimestamps timestamps;

    /** @param key the record key, or null for none */
    JsonRecordSerializer(String topic, MapFunction<T, String> key, OutputTimestamps timestamps) {
        this.topic = topic;
        this.key = key;
        this.timestamps = timestamps;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        byte[] keyBytes = null;
        if (key != null) {
            try {
                String k = key.map(element);
                keyBytes = k == null ? null : k.getBytes(StandardCharsets.UTF_8);
            } catch (Exception e) {
                throw new IllegalStateException("cannot compute the record key for " + topic, e);
            }
        }
        return new ProducerRecord<>(topic, null, timestamps.recordTimestamp(timestamp, System.currentTimeMillis()),
                keyBytes, Json.bytes(element));
    }
}
