package io.stampede.topology;

import io.stampede.alert.Alert;
import io.stampede.alert.CauseCorrelator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The last stage of the alerts, a single instance: it holds each alert until the watermark
 * passes the moment it was detected, then releases all alerts of that moment in a fixed order
 * (segment, type, sequence) after the {@link CauseCorrelator} has looked at them. The alerts of
 * a replay therefore come out in the same order with the same content as in the live run, however
 * the parallel segment stage interleaved them.
 */
public final class CorrelatorFunction extends KeyedProcessFunction<String, Alert, Alert> {

    /** All alerts share this key so that one instance sees them all (alerts are few). */
    public static final String KEY = "all";

    private static final Comparator<Alert> ORDER = Comparator.comparing(Alert::detectedAt)
            .thenComparing(Alert::region).thenComparing(a -> a.type().ordinal()).thenComparingInt(Alert::sequence);

    private transient ListState<Alert> held;
    private transient ValueState<CauseCorrelator> correlator;
    private transient Counter[][] alertCounts;

    @Override
    public void open(OpenContext openContext) {
        held = getRuntimeContext().getListState(new ListStateDescriptor<>("held-alerts", TypeInformation.of(Alert.class)));
        correlator = getRuntimeContext().getState(StateNames.correlatorDescriptor());
        alertCounts = StampedeMetrics.alerts(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Alert> out) throws Exception {
        held.add(alert);
        ctx.timerService().registerEventTimeTimer(ctx.timestamp());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        List<Alert> due = new ArrayList<>();
        List<Alert> later = new ArrayList<>();
        long watermark = ctx.timerService().currentWatermark();
        for (Alert a : held.get()) {
            (io.stampede.event.Timestamps.parse(a.detectedAt()) - 1 <= watermark ? due : later).add(a);
        }
        if (due.isEmpty()) {
            return;
        }
        due.sort(ORDER);
        CauseCorrelator c = correlator.value();
        if (c == null) {
            c = new CauseCorrelator();
        }
        for (Alert a : due) {
            Alert correlated = c.correlate(a);
            StampedeMetrics.count(alertCounts, correlated);
            out.collect(correlated);
        }
        correlator.update(c);
        held.update(later);
    }
}
