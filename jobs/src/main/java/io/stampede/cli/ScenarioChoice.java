package io.stampede.cli;

import io.stampede.config.Durations;
import io.stampede.sim.Scenario;

/** The simulated scenario a command's --scenario, --devices, --seed and --duration options name. */
final class ScenarioChoice {

    private ScenarioChoice() {}

    /**
     * @param duration event time to play, or null for the scenario's own
     * @throws StampedeCli.UserException naming the option that is wrong
     */
    static Scenario of(String name, int devices, long seed, String duration) {
        Scenario sc;
        try {
            sc = Scenario.preset(name, devices, seed);
        } catch (IllegalArgumentException e) {
            throw new StampedeCli.UserException(e.getMessage());
        }
        if (duration != null) {
            try {
                sc = sc.withDuration(Durations.parse(duration));
            } catch (RuntimeException e) {
                throw new StampedeCli.UserException("--duration: " + e.getMessage());
            }
        }
        return sc;
    }
}
