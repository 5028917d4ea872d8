package io.stampede.io.kafka;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka sink, with one change: closing its writer does not throw.
 *
 * <p>When the broker refuses a record, the Kafka writer fails the task with the send's exception
 * (from a mailbox action its send callback queues), and then throws the same exception again when
 * Flink closes it while cleaning up the failed task. Flink treats an exception in that cleanup as fatal and stops the whole TaskManager
 * ("FATAL - exception in exception handler of task ..."), with every other task on it: seen
 * here with a topic whose max.message.bytes was below an alert's size, both TaskManagers exited and
 * the job could not restart. The writer's producers are closed before it throws, and the
 * transaction it leaves open is aborted when the job restores, so the repeated exception is only
 * logged. Everything else (writer state, committer, serializers, post-commit topology) is the
 * Kafka sink's own, so savepoints and exactly-once are unchanged.
 */
final class FailSafeKafkaSink<IN> implements Sink<IN>, SupportsWriterState<IN, KafkaWriterState>,
        SupportsCommitter<KafkaCommittable>, SupportsPostCommitTopology<KafkaCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(FailSafeKafkaSink.class);

    private final KafkaSink<IN> sink;

    FailSafeKafkaSink(KafkaSink<IN> sink) {
        this.sink = sink;
    }

    @Override
    public SinkWriter<IN> createWriter(WriterInitContext context) throws IOException {
        return new Writer<>(sink.createWriter(context));
    }

    @Override
    public StatefulSinkWriter<IN, KafkaWriterState> restoreWriter(WriterInitContext context,
            Collection<KafkaWriterState> states) throws IOException {
        return new Writer<>(sink.restoreWriter(context, states));
    }

    @Override
    public SimpleVersionedSerializer<KafkaWriterState> getWriterStateSerializer() {
        return sink.getWriterStateSerializer();
    }

    @Override
    public Committer<KafkaCommittable> createCommitter(CommitterInitContext context) {
        return sink.createCommitter(context);
    }

    @Override
    public SimpleVersionedSerializer<KafkaCommittable> getCommittableSerializer() {
        return sink.getCommittableSerializer();
    }

    @Override
    public void addPostCommitTopology(DataStream<CommittableMessage<KafkaCommittable>> committables) {
        sink.addPostCommitTopology(committables);
    }

    /** The Kafka writer, whose close does not fail the cleanup of a failed task. */
    static final class Writer<IN, W extends StatefulSinkWriter<IN, KafkaWriterState>
            & CommittingSinkWriter<IN, KafkaCommittable>>
            implements StatefulSinkWriter<IN, KafkaWriterState>, CommittingSinkWriter<IN, KafkaCommittable> {

        private final W writer;

        Writer(W writer) {
            this.writer = writer;
        }

        @Override
        public void write(IN element, Context context) throws IOException, InterruptedException {
            writer.write(element, context);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            writer.flush(endOfInput);
        }

        @Override
        public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
            writer.writeWatermark(watermark);
        }

        @Override
        public List<KafkaWriterState> snapshotState(long checkpointId) throws IOException {
            return writer.snapshotState(checkpointId);
        }

        @Override
        public Collection<KafkaCommittable> prepareCommit() throws IOException, InterruptedException {
            return writer.prepareCommit();
        }

        /**
         * Never throws. What close reports is a send that failed before: that failure has already
         * failed the task (from a call here, or from the mailbox action the writer's send callback
         * queues), or will fail the next flush, snapshot or commit, none of which close replaces.
         */
        @Override
        public void close() {
            try {
                writer.close();
            } catch (Exception e) {
                LOG.warn("closing the Kafka writer threw; not passed on, as Flink would stop the TaskManager for an "
                        + "exception while cleaning up a failed task: {}", e.toString());
            }
        }
    }
}
