package io.stampede.topology;

import io.stampede.alert.CauseCorrelator;
import io.stampede.detect.BucketStats;
import io.stampede.detect.DeviceState;
import io.stampede.detect.SegmentState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/** Every state descriptor and timer-service name of the job, in one place. */
final class StateNames {

    static final String PENDING_BUCKETS = "pending-buckets";
    static final String DEVICE_TIMERS = "device-timers";
    static final String HELD_DEVICES = "held-devices";
    static final String HELD_EVENTS = "held-events";
    static final String ACCEPT_PENDING_BUCKETS = "accept-pending-buckets";
    static final String RECENT_IDS = "recent-event-ids";

    private StateNames() {}

    static ValueStateDescriptor<DeviceState> deviceDescriptor() {
        return new ValueStateDescriptor<>("device", DeviceStateSerializer.INSTANCE);
    }

    static ValueStateDescriptor<SegmentState> segmentDescriptor() {
        return new ValueStateDescriptor<>("segment", JsonState.typeInfo(SegmentState.class));
    }

    static MapStateDescriptor<Long, BucketStats> segmentBucketsDescriptor() {
        return new MapStateDescriptor<>("segment-buckets", Types.LONG, TypeInformation.of(BucketStats.class));
    }

    static ValueStateDescriptor<CauseCorrelator> correlatorDescriptor() {
        return new ValueStateDescriptor<>("cause-correlator", JsonState.typeInfo(CauseCorrelator.class));
    }
}
