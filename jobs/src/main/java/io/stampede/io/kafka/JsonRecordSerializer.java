package io.stampede.io.kafka;

import io.stampede.config.OutputTimestamps;
import io.stampede.io.Json;
import io.stampede.topology.StampedeMetrics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each output record as JSON to one topic, keyed as the output needs (e.g. by region for
 * compaction), with the Kafka record timestamp {@link OutputTimestamps} chooses.
 *
 * <p>A record the producer would refuse for its size is not sent: inside the exactly-once sink a
 * refused send fails the task, and the restarted task meets the same record again, until the job
 * has used up its restarts. It is logged with its key and size and counted instead.
 */
final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {

    private static final Logger LOG = LoggerFactory.getLogger(JsonRecordSerializer.class);

    /** Room for the record's headers and batch overhead, besides key and value. */
    static final int RECORD_OVERHEAD_BYTES = 512;

    private final String output;
    private final String topic;
    private final MapFunction<T, String> key;
    private final OutputTimestamps timestamps;
    private final int maxRequestBytes;
    private transient Counter notWritten;

    /**
     * @param output the output's name in metrics and logs (alerts, directives, ...)
     * @param key the record key, or null for none
     * @param maxRequestBytes the producer's max.request.size
     */
    JsonRecordSerializer(String output, String topic, MapFunction<T, String> key, OutputTimestamps timestamps,
            int maxRequestBytes) {
        this.output = output;
        this.topic = topic;
        this.key = key;
        this.timestamps = timestamps;
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        notWritten = StampedeMetrics.outputsNotWritten(context.getMetricGroup(), output);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        byte[] keyBytes = null;
        String k = null;
        if (key != null) {
            try {
                k = key.map(element);
                keyBytes = k == null ? null : k.getBytes(StandardCharsets.UTF_8);
            } catch (Exception e) {
                throw new IllegalStateException("cannot compute the record key for " + topic, e);
            }
        }
        byte[] value = Json.bytes(element);
        int size = value.length + (keyBytes == null ? 0 : keyBytes.length) + RECORD_OVERHEAD_BYTES;
        if (size > maxRequestBytes) {
            if (notWritten != null) {
                notWritten.inc();
            }
            LOG.error("{} record with key {} not written to {}: {} bytes, more than the producer's max.request.size "
                    + "({} bytes) allows", output, k, topic, size, maxRequestBytes);
            return null;
        }
        return new ProducerRecord<>(topic, null, timestamps.recordTimestamp(timestamp, System.currentTimeMillis()),
                keyBytes, value);
    }
}
