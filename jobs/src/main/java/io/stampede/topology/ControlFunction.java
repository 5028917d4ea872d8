package io.stampede.topology;

import io.stampede.config.StampedeConfig;
import io.stampede.control.ControlJson;
import io.stampede.control.ControlReader;
import io.stampede.control.ControlRecord;
import io.stampede.control.ControlUpdate;
import io.stampede.event.DeadLetter;
import io.stampede.event.DeadLetterCategory;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks each control record whole ({@link ControlReader}) before it is broadcast to the segments:
 * a refused one becomes a dead letter with the reason and is never applied, in part or at all.
 */
final class ControlFunction extends ProcessFunction<ControlRecord, ControlUpdate> {

    /** The {@code input} of a refused control's dead letter. */
    static final String INPUT = "controls";

    private static final Logger LOG = LoggerFactory.getLogger(ControlFunction.class);

    private final StampedeConfig config;
    private final int maxRecordBytes;
    private transient ControlReader reader;
    private transient Counter refused;

    ControlFunction(StampedeConfig config) {
        this.config = config;
        this.maxRecordBytes = config.input().maxRecordBytes();
    }

    @Override
    public void open(OpenContext openContext) {
        reader = new ControlReader(config);
        refused = StampedeMetrics.controlsRefused(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(ControlRecord r, Context ctx, Collector<ControlUpdate> out) {
        if (r.value() == null) {
            if (r.key() != null) {
                LOG.info("control {} forgotten (a tombstone on {})", r.key(), r.source());
                out.collect(new ControlUpdate(r.key(), null));
            }
            return;
        }
        ControlReader.Result result = reader.read(r.value());
        String reason = result.refusal();
        if (reason == null && r.key() != null && !r.key().equals(result.control().controlId())) {
            reason = "the record key " + r.key() + " is not the controlId " + result.control().controlId();
        }
        if (reason != null) {
            refused.inc();
            LOG.warn("control refused ({}{}): {}", r.source(), r.line() != null ? " line " + r.line()
                    : r.offset() != null ? " offset " + r.offset() : "", reason);
            ctx.output(OutputTags.DEAD_LETTERS, deadLetter(r, reason));
            return;
        }
        LOG.info("control received: {}", result.control().describe());
        out.collect(new ControlUpdate(result.control().controlId(), ControlJson.write(result.control())));
    }

    private DeadLetter deadLetter(ControlRecord r, String reason) {
        byte[] bytes = r.value().getBytes(StandardCharsets.UTF_8);
        boolean cut = bytes.length > maxRecordBytes;
        String original = cut ? new String(bytes, 0, maxRecordBytes, StandardCharsets.UTF_8) : r.value();
        return new DeadLetter(INPUT, r.source(), r.partition(), r.offset(), r.line(), DeadLetterCategory.CONTRACT,
                "control refused, nothing of it applied: " + reason, original, null, bytes.length, cut, null, null);
    }
}
