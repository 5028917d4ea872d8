package io.stampede.sim;

import io.stampede.event.RebootReason;
import java.util.SplittableRandom;

/**
 * What the scenario makes happen on top of everyday use: an update rolled out and then forced
 * (installs, then reboots rising for the ramp-up and falling for the ramp-down), a power loss (a
 * region's devices rebooting within a spread) and a flash crowd (a region's interactive logins
 * multiplied for a while); and every region's daily shape of activity.
 */
final class ScenarioEvents {

    private final Scenario sc;
    private final Fleet fleet;
    private final Calendar calendar;
    private final SplittableRandom random;
    private final long startMs;

    ScenarioEvents(Scenario scenario, Fleet fleet, Calendar calendar, SplittableRandom random) {
        this.sc = scenario;
        this.fleet = fleet;
        this.calendar = calendar;
        this.random = random;
        this.startMs = scenario.start().toEpochMilli();
    }

    /** Plans the installs of the rollout and the reboots of the power loss. */
    void planAhead() {
        planRollout();
        planPowerLoss();
    }

    /** Whether the rollout is forced at event time {@code t}: then {@link #planForcedReboots} is due. */
    boolean forcedAt(long t) {
        return sc.rollout() != null && sc.rollout().forcedAt() != null && t == sc.rollout().forcedAt().toEpochMilli();
    }

    private void planRollout() {
        Scenario.Rollout ro = sc.rollout();
        if (ro == null) {
            return;
        }
        long from = ro.installFrom().toEpochMilli();
        long span = Math.max(1, ro.installTo().toEpochMilli() - from);
        for (String name : ro.regions()) {
            int r = sc.regions().indexOf(sc.region(name));
            for (int d = fleet.first(r); d < fleet.end(r); d++) {
                if (random.nextDouble() < ro.share()) {
                    long at = from + (long) (random.nextDouble() * span);
                    calendar.plan((int) ((at - startMs) / 1000), Calendar.Action.install(d));
                }
            }
        }
    }

    /** Plans a reboot of every device of the rollout's regions that waits for one, from {@code second} on. */
    void planForcedReboots(int second) {
        Scenario.Rollout ro = sc.rollout();
        double up = ro.rampUp().toSeconds();
        double down = ro.rampDown().toSeconds();
        double total = up + down;
        for (String name : ro.regions()) {
            int r = sc.regions().indexOf(sc.region(name));
            for (int d = fleet.first(r); d < fleet.end(r); d++) {
                if (!fleet.armed(d)) {
                    continue;
                }
                // Triangular: rising for rampUp, falling for rampDown.
                double u = random.nextDouble();
                double offset = u < up / total ? Math.sqrt(u * total * up) : total - Math.sqrt((1 - u) * total * down);
                calendar.plan(second + (int) offset, Calendar.Action.boot(d, RebootReason.UPDATE));
            }
        }
    }

    private void planPowerLoss() {
        Scenario.PowerLoss pl = sc.powerLoss();
        if (pl == null) {
            return;
        }
        int r = sc.regions().indexOf(sc.region(pl.region()));
        int at = (int) ((pl.at().toEpochMilli() - startMs) / 1000);
        for (int d = fleet.first(r); d < fleet.end(r); d++) {
            if (random.nextDouble() < pl.share()) {
                calendar.plan(at + (int) (random.nextDouble() * pl.spread().toSeconds()),
                        Calendar.Action.boot(d, RebootReason.POWER));
            }
        }
    }

    /** The flash crowd's multiplier of interactive logins in {@code region} at {@code t}: 1 outside it. */
    double crowd(Scenario.Region region, long t) {
        Scenario.FlashCrowd fc = sc.flashCrowd();
        if (fc == null || !fc.region().equals(region.name())) {
            return 1;
        }
        double from = fc.at().toEpochMilli();
        double to = from + fc.duration().toMillis();
        double ramp = 60_000;
        double w;
        if (t < from || t > to + ramp) {
            w = 0;
        } else if (t < from + ramp) {
            w = (t - from) / ramp;
        } else if (t > to) {
            w = 1 - (t - to) / ramp;
        } else {
            w = 1;
        }
        return 1 + (fc.multiplier() - 1) * w;
    }

    /** Daily shape of a region's activity: lowest around 04:30 local time, highest around 16:30. */
    static double dailyShape(Scenario.Region region, long t) {
        double hours = ((t / 3_600_000.0) + region.utcOffsetHours()) % 24;
        return 0.2 + 0.8 * (0.5 - 0.5 * Math.cos(2 * Math.PI * (hours - 4.5) / 24));
    }
}
