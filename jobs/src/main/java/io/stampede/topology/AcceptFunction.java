package io.stampede.topology;

import io.stampede.detect.Observation;
import io.stampede.event.DeadLetterCategory;
import io.stampede.event.Envelope;
import io.stampede.event.InputKind;
import io.stampede.event.PersonalData;
import io.stampede.event.Timestamps;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right after each source: turns accepted events into {@link Observation}s (leaving personal data
 * behind) and sends dead letters to their side output, counting both per input and reason. Dead
 * letters leave with their personal values replaced: this function is chained to its source, so the
 * refused record in clear never crosses the network or reaches a checkpoint.
 */
public final class AcceptFunction extends ProcessFunction<Envelope, Observation> {

    private final PersonalData personalData;

    private transient Counter acceptedLogins;
    private transient Counter acceptedTelemetry;
    private transient Map<InputKind, Map<DeadLetterCategory, Counter>> refused;
    private transient LongCounter totalLogins;
    private transient LongCounter totalTelemetry;
    private transient Map<InputKind, Map<DeadLetterCategory, LongCounter>> totalRefused;
    private static final Logger LOG = LoggerFactory.getLogger(AcceptFunction.class);
    private static final long IMPLAUSIBLE_WARNING_EVERY_MILLIS = 600_000;

    private transient long aheadBound;
    private transient long implausible;
    private transient long lastImplausibleWarning = Long.MIN_VALUE / 2;
    private transient LongMinimum firstEventTime;
    private transient LongMaximum lastEventTime;

    public AcceptFunction(PersonalData personalData) {
        this.personalData = personalData;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup root = getRuntimeContext().getMetricGroup();
        acceptedLogins = StampedeMetrics.inputEvents(root, InputKind.LOGIN);
        acceptedTelemetry = StampedeMetrics.inputEvents(root, InputKind.TELEMETRY);
        totalLogins = getRuntimeContext().getLongCounter(Counters.accepted(InputKind.LOGIN.streamName()));
        totalTelemetry = getRuntimeContext().getLongCounter(Counters.accepted(InputKind.TELEMETRY.streamName()));
        aheadBound = System.currentTimeMillis() + Timestamps.IMPLAUSIBLY_AHEAD_MILLIS;
        lastImplausibleWarning = Long.MIN_VALUE / 2;
        firstEventTime = new LongMinimum();
        lastEventTime = new LongMaximum();
        getRuntimeContext().addAccumulator(Counters.FIRST_EVENT_TIME, firstEventTime);
        getRuntimeContext().addAccumulator(Counters.LAST_EVENT_TIME, lastEventTime);
        refused = new EnumMap<>(InputKind.class);
        totalRefused = new EnumMap<>(InputKind.class);
        for (InputKind kind : InputKind.values()) {
            Map<DeadLetterCategory, Counter> byReason = new EnumMap<>(DeadLetterCategory.class);
            Map<DeadLetterCategory, LongCounter> totals = new EnumMap<>(DeadLetterCategory.class);
            for (DeadLetterCategory c : DeadLetterCategory.values()) {
                byReason.put(c, StampedeMetrics.deadLetters(root, kind, c));
                totals.put(c, getRuntimeContext().getLongCounter(Counters.deadLetters(kind.streamName(), c.name())));
            }
            refused.put(kind, byReason);
            totalRefused.put(kind, totals);
        }
    }

    @Override
    public void processElement(Envelope e, Context ctx, Collector<Observation> out) {
        if (e.login() != null) {
            acceptedLogins.inc();
            totalLogins.add(1L);
            emit(Observation.of(e.login()), out);
        } else if (e.telemetry() != null) {
            acceptedTelemetry.inc();
            totalTelemetry.add(1L);
            emit(Observation.of(e.telemetry()), out);
        } else {
            InputKind kind = InputKind.LOGIN.streamName().equals(e.deadLetter().input()) ? InputKind.LOGIN
                    : InputKind.TELEMETRY;
            refused.get(kind).get(e.deadLetter().category()).inc();
            totalRefused.get(kind).get(e.deadLetter().category()).add(1L);
            ctx.output(OutputTags.DEAD_LETTERS, personalData.protect(e.deadLetter()));
        }
    }

    private void emit(Observation o, Collector<Observation> out) {
        long t = o.eventTime();
        firstEventTime.add(t);
        lastEventTime.add(t);
        if (t < Timestamps.IMPLAUSIBLY_EARLY || t > aheadBound) {
            checkPlausible(o);
        }
        out.collect(o);
    }

    /**
     * Says in the log, at most every ten minutes, that event times look wrong (the wall clock is
     * only read here, for the message: detection runs on event time whatever this finds).
     */
    private void checkPlausible(Observation o) {
        long now = System.currentTimeMillis();
        aheadBound = now + Timestamps.IMPLAUSIBLY_AHEAD_MILLIS;
        long t = o.eventTime();
        if (t >= Timestamps.IMPLAUSIBLY_EARLY && t <= aheadBound) {
            return;
        }
        implausible++;
        if (now - lastImplausibleWarning >= IMPLAUSIBLE_WARNING_EVERY_MILLIS) {
            lastImplausibleWarning = now;
            LOG.warn("{} accepted event(s) with implausible event times, the latest at {} ({}); detection follows "
                    + "event time, so check the producers: are epoch seconds given where eventTime expects epoch "
                    + "milliseconds, or is a clock wrong? (said at most every 10 minutes)", implausible,
                    Timestamps.format(t), t < Timestamps.IMPLAUSIBLY_EARLY ? "before the year 2000"
                            : "more than a day after now");
            implausible = 0;
        }
    }
}
