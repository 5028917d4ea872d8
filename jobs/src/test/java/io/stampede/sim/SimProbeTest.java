package io.stampede.sim;

import org.junit.jupiter.api.Test;

class SimProbeTest {
    @Test
    void probe() {
        for (String name : Scenario.PRESETS) {
            Scenario sc = Scenario.preset(name, 300_000, 42);
            FleetSimulator sim = new FleetSimulator(sc, null, 20_000);
            long[] bytes = {0};
            long t0 = System.nanoTime();
            while (sim.hasNext()) {
                sim.step((k, b) -> bytes[0] += b.length);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            SimResult r = sim.result();
            System.out.printf("%s: %d events, %.1f MB in %.2fs (%.0f ev/s) outcome %s%n", name, r.events, bytes[0] / 1e6,
                    secs, r.events / secs, r.outcome());
            for (SimResult.RegionSeries s : r.regions.values()) {
                double maxA = 0, sumA = 0, cap = 0;
                for (int m = 0; m * 60 < r.seconds; m++) {
                    double a = 0;
                    for (int i = m * 60; i < Math.min(r.seconds, m * 60 + 60); i++) { a += s.attempts[i]; cap = s.capacity[i]; }
                    maxA = Math.max(maxA, a / 60); sumA += a;
                }
                System.out.printf("   %s: mean attempts %.1f/s, max minute %.1f/s, capacity %.0f%n", s.region, sumA / r.seconds, maxA, cap);
            }
        }
    }
}
