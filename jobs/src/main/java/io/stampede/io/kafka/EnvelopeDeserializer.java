package io.stampede.io.kafka;

import io.stampede.event.ContractValidator;
import io.stampede.event.DeadLetterCategory;
import io.stampede.event.DeadLetters;
import io.stampede.event.Envelope;
import io.stampede.event.EventParser;
import io.stampede.event.InputKind;
import io.stampede.event.ParseResult;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses Kafka records inside the source reader (so watermarks are generated per partition from
 * the parsed event times). A record that cannot be accepted becomes a dead letter naming its topic,
 * partition and offset, with its original bytes.
 */
public final class EnvelopeDeserializer implements KafkaRecordDeserializationSchema<Envelope> {

    private final InputKind kind;
    private final int maxRecordBytes;
    private final int keepBytes;
    private transient EventParser parser;

    public EnvelopeDeserializer(InputKind kind, int maxRecordBytes, int keepBytes) {
        this.kind = kind;
        this.maxRecordBytes = maxRecordBytes;
        this.keepBytes = keepBytes;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        parser = new EventParser(maxRecordBytes, ContractValidator.shared());
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Envelope> out) {
        if (parser == null) {
            open(null);
        }
        byte[] value = record.value();
        ParseResult result = value == null
                ? ParseResult.rejected(DeadLetterCategory.EMPTY, "record without a value (tombstone)")
                : parser.parse(kind, value);
        if (result.isAccepted()) {
            out.collect(result.envelope());
        } else {
            byte[] bytes = value == null ? new byte[0] : value;
            out.collect(Envelope.of(DeadLetters.refused(kind, record.topic(), record.partition(), record.offset(), null,
                    bytes, 0, bytes.length, result, keepBytes)));
        }
    }

    @Override
    public TypeInformation<Envelope> getProducedType() {
        return TypeInformation.of(Envelope.class);
    }
}
