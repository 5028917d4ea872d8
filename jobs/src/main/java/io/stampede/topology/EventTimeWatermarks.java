package io.stampede.topology;

import io.stampede.event.Envelope;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks that advance with the events themselves: a watermark is
 * emitted whenever the highest event time seen has moved a second past the last one emitted (and
 * on the periodic tick as well). Where a split's watermarks fall in its stream then depends on
 * its events only, not on how fast they were read, so what a bounded replay calls late does not
 * depend on the machine; and a source that is waited on (the demo's closed loop) need not wait for
 * the next tick.
 */
final class EventTimeWatermarks implements WatermarkGenerator<Envelope> {

    static final long STEP_MS = 1_000;

    private final long outOfOrdernessMs;
    private long maxTimestamp = Long.MIN_VALUE;
    private long emitted = Long.MIN_VALUE;

    EventTimeWatermarks(long outOfOrdernessMs) {
        this.outOfOrdernessMs = outOfOrdernessMs;
    }

    @Override
    public void onEvent(Envelope event, long timestamp, WatermarkOutput output) {
        if (timestamp == Long.MIN_VALUE) {
            return;
        }
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        long watermark = maxTimestamp - outOfOrdernessMs - 1;
        if (emitted == Long.MIN_VALUE || watermark >= emitted + STEP_MS) {
            emit(watermark, output);
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (maxTimestamp != Long.MIN_VALUE) {
            long watermark = maxTimestamp - outOfOrdernessMs - 1;
            if (watermark > emitted) {
                emit(watermark, output);
            }
        }
    }

    private void emit(long watermark, WatermarkOutput output) {
        emitted = watermark;
        output.emitWatermark(new Watermark(watermark));
    }
}
