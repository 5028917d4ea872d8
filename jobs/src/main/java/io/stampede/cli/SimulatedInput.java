package io.stampede.cli;

import io.stampede.event.InputKind;
import io.stampede.io.kafka.Replayer;
import io.stampede.sim.FleetSimulator;
import io.stampede.sim.Scenario;
import java.util.function.BiConsumer;

/** A simulator scenario, played with nobody throttling, as records for {@link Replayer} to publish. */
public final class SimulatedInput implements Replayer.Generator {

    private final FleetSimulator sim;

    public SimulatedInput(Scenario scenario) {
        this.sim = new FleetSimulator(scenario, null, 0);
    }

    @Override
    public boolean hasNext() {
        return sim.hasNext();
    }

    @Override
    public long nextSecondMillis() {
        return sim.nextSecondMillis();
    }

    @Override
    public void step(BiConsumer<InputKind, byte[]> out) {
        sim.step(out::accept);
    }

    @Override
    public double progress() {
        return sim.secondsPlayed() / (double) Math.max(1, sim.totalSeconds());
    }
}
