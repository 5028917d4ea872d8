package io.stampede.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.Fixtures;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import io.stampede.config.StampedeConfig;
import io.stampede.event.Envelope;
import io.stampede.io.Json;
import io.stampede.io.MemorySource;
import io.stampede.io.RawRecord;
import io.stampede.sim.FleetSimulator;
import io.stampede.sim.Scenario;
import io.stampede.topology.Environments;
import io.stampede.topology.StampedeTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

/**
 * A job that fails mid-stream and recovers from its last checkpoint must give exactly the alerts
 * of an uninterrupted run: every piece of state (device state with its held events, the per-bucket
 * counts not yet flushed, the segments' baselines and alert books, the timers) has to survive the
 * round trip through its serializer. The in-process counterpart of {@code deploy/local/failover.sh},
 * which kills a TaskManager of a real cluster reading from a real broker.
 */
class FailoverITCase {

    /** Records seen across restarts (the mini cluster runs in this JVM) and failures injected so far. */
    private static final AtomicLong SEEN = new AtomicLong();
    private static final AtomicInteger FAILURES = new AtomicInteger();

    /** Throws every {@code every} records, {@code times} times in all: a task failure mid-stream. */
    private static final class FailEvery implements MapFunction<Envelope, Envelope> {
        private final long every;
        private final int times;

        FailEvery(long every, int times) {
            this.every = every;
            this.times = times;
        }

        @Override
        public Envelope map(Envelope e) {
            if (SEEN.incrementAndGet() % every == 0 && FAILURES.get() < times) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("injected failure after " + SEEN.get() + " records");
            }
            return e;
        }
    }

    @Test
    void aJobThatFailsTwiceMidWaveAndRecoversFromItsCheckpointsRaisesTheSameAlertsAsAnUninterruptedRun()
            throws Exception {
        StampedeConfig config = Fixtures.config();
        List<RawRecord> records = new ArrayList<>();
        FleetSimulator sim = new FleetSimulator(Scenario.updateWave(30_000, 21), null, 0);
        while (sim.hasNext()) {
            sim.step((kind, json) -> records.add(new RawRecord(kind, json)));
        }

        List<String> uninterrupted = alerts(config, records, null);
        SEEN.set(0);
        FAILURES.set(0);
        // About 164,000 records: failures after 55,000 and 110,000 (the second one inside the wave).
        List<String> recovered = alerts(config, records, new FailEvery(55_000, 2));

        assertThat(FAILURES).as("failures injected").hasValue(2);
        assertThat(uninterrupted).anyMatch(a -> a.contains("\"type\":\"" + AlertType.REBOOT_WAVE + "\""));
        assertThat(recovered).containsExactlyElementsOf(uninterrupted);
    }

    /** Runs the pipeline over the records and returns its alerts as JSON lines, exactly once each. */
    private static List<String> alerts(StampedeConfig config, List<RawRecord> records, FailEvery failure)
            throws Exception {
        StreamExecutionEnvironment env = Environments.create(config, Duration.ofMillis(200));
        if (failure != null) {
            Configuration c = new Configuration();
            c.setString("execution.checkpointing.interval", "100 ms");
            c.setString("restart-strategy.type", "fixed-delay");
            c.setString("restart-strategy.fixed-delay.attempts", "5");
            c.setString("restart-strategy.fixed-delay.delay", "100 ms");
            env.configure(c, FailoverITCase.class.getClassLoader());
        }
        String storeId = "failover-" + System.nanoTime();
        DataStream<Envelope> in = env.fromSource(
                MemorySource.of(storeId, records, config.job().parallelism(), config.input()),
                StampedeTopology.watermarks(config), "memory");
        if (failure != null) {
            in = in.map(failure).returns(in.getType()).name("failure injection");
        }
        StampedeTopology.Outputs outputs = StampedeTopology.build(List.of(new StampedeTopology.Input("memory", in)),
                config);
        List<String> out = new ArrayList<>();
        // The collect sink hands out only what a completed checkpoint covers: exactly once across restarts.
        try (CloseableIterator<Alert> it = outputs.alerts().executeAndCollect("failover test")) {
            while (it.hasNext()) {
                out.add(Json.MAPPER.writeValueAsString(it.next()));
            }
        } finally {
            MemorySource.release(storeId);
        }
        return out;
    }
}
