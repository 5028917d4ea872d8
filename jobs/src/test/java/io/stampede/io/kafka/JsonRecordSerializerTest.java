package io.stampede.io.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.config.OutputTimestamps;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class JsonRecordSerializerTest {

    private static final int MAX = 4_096;

    private static JsonRecordSerializer<Map<String, String>> serializer(OutputTimestamps stamps) {
        return new JsonRecordSerializer<>("alerts", "alerts-topic", m -> m.get("key"), stamps, MAX);
    }

    @Test
    void writesTheRecordAsJsonUnderItsKeyStampedWithTheWriteTime() {
        long before = System.currentTimeMillis();
        ProducerRecord<byte[], byte[]> r = serializer(OutputTimestamps.WRITE_TIME)
                .serialize(Map.of("key", "eu-west"), null, 1_000L);
        assertThat(r.topic()).isEqualTo("alerts-topic");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("eu-west");
        assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("{\"key\":\"eu-west\"}");
        assertThat(r.timestamp()).isBetween(before, System.currentTimeMillis());
    }

    @Test
    void aRecordTheProducerWouldRefuseForItsSizeIsNotSentAtAll() {
        Map<String, String> huge = Map.of("key", "eu-west", "pad", "x".repeat(MAX));
        assertThat(serializer(OutputTimestamps.EVENT_TIME).serialize(huge, null, 1_000L)).isNull();
        Map<String, String> fits = Map.of("key", "eu-west",
                "pad", "x".repeat(MAX - JsonRecordSerializer.RECORD_OVERHEAD_BYTES - 100));
        assertThat(serializer(OutputTimestamps.EVENT_TIME).serialize(fits, null, 1_000L).timestamp()).isEqualTo(1_000L);
    }
}
