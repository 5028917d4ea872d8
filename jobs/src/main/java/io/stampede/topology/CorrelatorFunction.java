package io.stampede.topology;

import io.stampede.alert.Alert;
import io.stampede.alert.CauseCorrelator;
import io.stampede.config.StampedeConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage of the alerts, a single instance: it holds each alert until the watermark passes
 * its release time (its detection; for a fleet alert, its FIRING state's detection plus
 * {@code alerts.fleetGrace}), then lets the {@link CauseCorrelator} decide the due alerts in a fixed
 * order: which incident each goes out under, and which fleet alerts a region explains. The alerts of
 * a replay therefore come out in the same order with the same content as in the live run, however
 * the parallel segment stage interleaved them and however the watermarks came.
 */
public final class CorrelatorFunction extends KeyedProcessFunction<String, Alert, Alert> {

    /** All alerts share this key so that one instance sees them all (alerts are few). */
    public static final String KEY = "all";

    private static final Logger LOG = LoggerFactory.getLogger(CorrelatorFunction.class);

    private final CauseCorrelator.Rules rules;

    private transient ListState<Alert> held;
    private transient ValueState<CauseCorrelator> correlator;
    private transient Counter[][] alertCounts;
    private transient Counter[] suppressedCounts;

    public CorrelatorFunction(StampedeConfig config) {
        this.rules = new CauseCorrelator.Rules(config.alerts().fleetGrace().toMillis(),
                config.detection().incidentLinkWindow().toMillis());
    }

    @Override
    public void open(OpenContext openContext) {
        held = getRuntimeContext().getListState(new ListStateDescriptor<>("held-alerts", TypeInformation.of(Alert.class)));
        correlator = getRuntimeContext().getState(StateNames.correlatorDescriptor());
        alertCounts = StampedeMetrics.alerts(getRuntimeContext().getMetricGroup());
        suppressedCounts = StampedeMetrics.suppressedFleetAlerts(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Alert> out) throws Exception {
        CauseCorrelator c = correlator();
        c.hold(alert);
        correlator.update(c);
        held.add(alert);
        ctx.timerService().registerEventTimeTimer(c.releaseAt(alert, rules) - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        List<Alert> waiting = new ArrayList<>();
        held.get().forEach(waiting::add);
        CauseCorrelator c = correlator();
        CauseCorrelator.Released r = c.release(waiting, ctx.timerService().currentWatermark(), rules);
        for (CauseCorrelator.Suppressed s : r.suppressed()) {
            suppressedCounts[s.alert().type().ordinal()].inc();
            LOG.info("fleet {} {} not raised: explained by {} (incident {})", s.alert().type(),
                    s.alert().dedupKey(), s.region(), s.incident());
        }
        for (Alert a : r.emitted()) {
            StampedeMetrics.count(alertCounts, a);
            out.collect(a);
        }
        correlator.update(c);
        held.update(r.held());
    }

    private CauseCorrelator correlator() throws Exception {
        CauseCorrelator c = correlator.value();
        return c != null ? c : new CauseCorrelator();
    }
}
