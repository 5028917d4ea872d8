package io.stampede.cli;

import io.stampede.alert.Alert;
import io.stampede.config.ConfigLoader;
import io.stampede.config.StampedeConfig;
import io.stampede.control.ControlRecord;
import io.stampede.event.Envelope;
import io.stampede.event.Timestamps;
import io.stampede.io.ConsoleSink;
import io.stampede.io.OutputFiles;
import io.stampede.plan.ScalingSignal;
import io.stampede.sim.DirectiveBoard;
import io.stampede.sim.ScalingRequest;
import io.stampede.sim.Scenario;
import io.stampede.sim.SimResult;
import io.stampede.sim.SimulatorRuns;
import io.stampede.sim.SimulatorSource;
import io.stampede.topology.Environments;
import io.stampede.topology.StampedeTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Plays a scenario through the Stampede topology on the embedded mini cluster and writes the
 * outputs into a folder: the demo's building block, and what the simulator-driven tests run.
 */
public final class SimulatedRun {

    /** Short watermark interval: the closed loop waits on the watermark every few simulated seconds. */
    static final Duration WATERMARK_INTERVAL = Duration.ofMillis(20);

    private SimulatedRun() {}

    /**
     * @param obeyDirectives whether the simulated tier follows Stampede: its front door the directives, its
     *     autoscaler the scaling signals
     * @param alerts receives each alert as it fires, formatted; or null
     * @param progress called about twice a second with the share of the scenario played; or null
     * @return the simulator's ground truth of the run
     */
    public static SimResult run(StampedeConfig config, Scenario scenario, boolean obeyDirectives, Path out,
            Consumer<String> alerts, Consumer<Double> progress) throws Exception {
        return run(config, scenario, List.of(), obeyDirectives, out, alerts, progress);
    }

    /** @param controls the operators' controls in force during the run (a {@code --control} file's lines) */
    public static SimResult run(StampedeConfig config, Scenario scenario, List<ControlRecord> controls,
            boolean obeyDirectives, Path out, Consumer<String> alerts, Consumer<Double> progress) throws Exception {
        String runId = "run-" + UUID.randomUUID();
        String boardId = obeyDirectives ? runId : null;
        checkClosedLoop(config);
        StreamExecutionEnvironment env = Environments.create(config, WATERMARK_INTERVAL);
        long directiveDelay = config.throttle().controlLatency().toMillis();
        DataStream<Envelope> records = env.fromSource(
                        new SimulatorSource(scenario, runId, boardId, directiveDelay,
                                config.scaling().nodeStartup().toMillis(), config.input()),
                        StampedeTopology.watermarks(config), "simulator")
                .setParallelism(1).uid("simulator");
        StampedeTopology.Outputs outputs = StampedeTopology.build(
                List.of(new StampedeTopology.Input("simulator", records)), StampedeTopology.controlsOf(env, controls),
                config);
        OutputFiles.attach(outputs, out);
        if (boardId != null) {
            DirectiveBoard.open(boardId);
            outputs.directives().sinkTo(DirectiveBoard.sink(boardId)).setParallelism(1)
                    .uid("directive-board").name("simulated front door");
            outputs.signals().map(SimulatedRun::requestOf).returns(ScalingRequest.class).setParallelism(1)
                    .uid("scaling-requests").name("scaling requests")
                    .sinkTo(DirectiveBoard.scalingSink(boardId)).setParallelism(1)
                    .uid("scaling-board").name("simulated autoscaler");
        }
        if (alerts != null) {
            ConsoleSink.register(runId, alerts);
            outputs.alerts().sinkTo(new ConsoleSink<Alert>(runId, AlertLines::of)).setParallelism(1)
                    .uid("console-alerts").name("console");
        }
        ScheduledExecutorService watcher = null;
        if (progress != null) {
            watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "demo-progress");
                t.setDaemon(true);
                return t;
            });
            watcher.scheduleAtFixedRate(() -> {
                double p = SimulatorRuns.progress(runId);
                if (p >= 0) {
                    progress.accept(p);
                }
            }, 0, 500, TimeUnit.MILLISECONDS);
        }
        try {
            env.execute("stampede " + scenario.name() + (obeyDirectives ? " (with actions)" : " (without actions)"));
        } finally {
            if (watcher != null) {
                watcher.shutdownNow();
            }
            ConsoleSink.unregister(runId);
            if (boardId != null) {
                DirectiveBoard.close(boardId);
            }
        }
        SimResult result = SimulatorRuns.take(runId);
        if (result == null) {
            throw new IllegalStateException("the simulator did not finish the scenario");
        }
        return result;
    }

    /** A scaling signal as an autoscaler reads it. */
    static ScalingRequest requestOf(ScalingSignal s) {
        return new ScalingRequest(s.region(), Timestamps.parse(s.issuedAt()),
                ScalingRequest.Direction.valueOf(s.direction().name()), s.desiredNodes());
    }

    /** The simulated front door must be able to wait for directives without stalling the job. */
    static void checkClosedLoop(StampedeConfig config) {
        Duration needed = config.input().outOfOrderness().plus(config.detection().bucket()).plusSeconds(1);
        if (config.throttle().controlLatency().compareTo(needed) < 0) {
            throw new io.stampede.config.ConfigException(
                    ConfigLoader.settingName(config, config.throttle(), "controlLatency") + " must be at least "
                    + ConfigLoader.settingName(config, config.input(), "outOfOrderness") + " + "
                    + ConfigLoader.settingName(config, config.detection(), "bucket") + " + 1s (" + needed.toSeconds()
                    + "s) for the simulated front door: a directive cannot reach it before its bucket closes");
        }
    }
}
