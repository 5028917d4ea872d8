package io.stampede.sim;

import io.stampede.admission.AdmissionController;
import io.stampede.admission.ThrottleDirective;
import io.stampede.event.InputKind;
import io.stampede.event.RebootReason;
import io.stampede.event.TelemetryType;
import io.stampede.event.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plays a {@link Scenario} second by second and writes the events an operator would collect: login
 * attempts at the auth front door, device telemetry and auth-node health, as JSON records.
 *
 * <p>Devices reboot now and then, their clients log in by themselves after a boot, refresh tokens
 * and are used interactively with each region's daily shape. Each region's auth tier serves up to
 * its capacity; beyond it attempts fail, and an overloaded tier serves less (congestion collapse).
 * Clients retry failures with exponential backoff. When directives are given, the front door
 * follows them with Stampede's own {@link AdmissionController}: deferred clients come back after
 * the retry-after they were told.
 *
 * <p>This class plays the clients; its parts, one file each: the {@link Fleet} of devices, the
 * {@link Calendar} of what is planned for each second, the {@link ScenarioEvents} (rollout, power
 * loss, flash crowd), the {@link FrontDoor} (admission), each region's {@link AuthTier}, and the
 * {@link EventRecords} written through the {@link Imperfections} of collection. All draw from one
 * random generator, in a fixed order, so that a seed always plays the same run.
 */
public final class FleetSimulator {

    /** Where the simulator writes its records. */
    public interface Sink {
        void accept(InputKind kind, byte[] json);
    }

    /** The directives Stampede published, as far as they have reached the front door. */
    public interface DirectiveFeed {
        /** Directives issued at or before {@code upToMillis} that were not returned before. */
        List<ThrottleDirective> poll(long upToMillis);
    }

    private static final RebootReason[] REASONS = {RebootReason.USER, RebootReason.USER, RebootReason.USER,
        RebootReason.USER, RebootReason.USER, RebootReason.USER, RebootReason.CRASH, RebootReason.CRASH,
        RebootReason.UPDATE, RebootReason.UNKNOWN, RebootReason.POWER};

    private final Scenario sc;
    private final long directiveDelayMs;
    private final SplittableRandom random;
    private final SimResult result;
    private final long startMs;
    private final int seconds;

    private final Fleet fleet;
    private final Calendar calendar;
    private final ScenarioEvents events;
    private final EventRecords records;
    private final FrontDoor frontDoor;
    private final List<AuthTier> tiers = new ArrayList<>();
    private final double[] jitter;
    private int second;

    /**
     * @param feed Stampede's directives, or null to play the run in which nobody throttles
     * @param directiveDelayMs how long a directive takes to reach the front door
     */
    public FleetSimulator(Scenario scenario, DirectiveFeed feed, long directiveDelayMs) {
        this(scenario, feed, Autoscaler.fixed(scenario), directiveDelayMs);
    }

    /** @param autoscaler says how many nodes each region's auth tier has */
    public FleetSimulator(Scenario scenario, DirectiveFeed feed, Autoscaler autoscaler, long directiveDelayMs) {
        this.sc = scenario;
        this.directiveDelayMs = directiveDelayMs;
        this.random = new SplittableRandom(scenario.seed());
        AdmissionController admission = new AdmissionController(random.split());
        this.startMs = scenario.start().toEpochMilli();
        this.seconds = (int) scenario.duration().toSeconds();
        List<String> names = new ArrayList<>();
        scenario.regions().forEach(r -> names.add(r.name()));
        this.result = new SimResult(startMs, seconds, names, feed != null);

        this.fleet = new Fleet(scenario, random);
        this.calendar = new Calendar(seconds);
        this.records = new EventRecords(scenario, fleet, new Imperfections(scenario.noise(), random, result));
        this.frontDoor = new FrontDoor(feed, directiveDelayMs, admission, result, records, calendar);
        for (int r = 0; r < scenario.regions().size(); r++) {
            tiers.add(new AuthTier(scenario, r, random, result, records, calendar, autoscaler));
        }
        this.jitter = new double[scenario.regions().size()];
        this.events = new ScenarioEvents(scenario, fleet, calendar, random);
        events.planAhead();
    }

    public Scenario scenario() {
        return sc;
    }

    public boolean hasNext() {
        return second < seconds;
    }

    /** Event time (ms) of the second the next {@link #step} plays. */
    public long nextSecondMillis() {
        return startMs + second * 1000L;
    }

    /** Event time up to which directives must be known before the next {@link #step}. */
    public long directivesNeededUpTo() {
        return nextSecondMillis() - directiveDelayMs;
    }

    public int secondsPlayed() {
        return second;
    }

    public int totalSeconds() {
        return seconds;
    }

    public SimResult result() {
        return result;
    }

    /** Plays one second and writes its records to {@code sink}. */
    public void step(Sink sink) {
        long t = nextSecondMillis();
        frontDoor.follow(t);
        if (second % 60 == 0) {
            for (int r = 0; r < jitter.length; r++) {
                jitter[r] = 0.8 * jitter[r] + random.nextGaussian() * sc.noise().trafficJitter() * 0.6;
            }
        }
        if (events.forcedAt(t)) {
            events.planForcedReboots(second);
        }
        List<List<Attempt>> attempts = new ArrayList<>(sc.regions().size());
        for (int r = 0; r < sc.regions().size(); r++) {
            attempts.add(new ArrayList<>());
        }
        List<Calendar.Action> planned = calendar.take(second);
        if (planned != null) {
            for (Calendar.Action a : planned) {
                int ms = random.nextInt(1000);
                switch (a.type) {
                    case Calendar.Action.BOOT -> boot(sink, a.device, a.reason, t + ms);
                    case Calendar.Action.INSTALL -> install(sink, a.device, t + ms);
                    default -> attempts.get(fleet.region(a.device)).add(
                            new Attempt(a.device, a.trigger, a.attempt, a.sessionStart, a.deferred, ms, t));
                }
            }
        }
        for (int r = 0; r < sc.regions().size(); r++) {
            background(sink, r, t, attempts.get(r));
            Scenario.Region region = sc.regions().get(r);
            tiers.get(r).serve(sink, t, second, frontDoor.admit(sink, region, t, second, attempts.get(r)));
            if (second % 10 == 9) {
                tiers.get(r).reportHealth(sink, t + 999);
            }
        }
        second++;
    }

    /** Everyday use of a region's devices: token refreshes, interactive logins and reboots. */
    private void background(Sink sink, int r, long t, List<Attempt> attempts) {
        Scenario.Region region = sc.regions().get(r);
        int lo = fleet.first(r);
        int size = fleet.end(r) - lo;
        if (size == 0) {
            return;
        }
        double shape = ScenarioEvents.dailyShape(region, t);
        double online = 0.7 + 0.3 * shape;
        double noise = Math.exp(jitter[r]);
        double refresh = size * online / sc.clients().tokenRefreshInterval().toSeconds();
        for (int i = poisson(refresh); i > 0; i--) {
            attempts.add(new Attempt(lo + random.nextInt(size), Trigger.TOKEN_REFRESH, 1, t, false,
                    random.nextInt(1000), t));
        }
        double interactive = size / 1000.0 * region.interactivePerKDevices() * shape * noise * events.crowd(region, t);
        for (int i = poisson(interactive); i > 0; i--) {
            attempts.add(new Attempt(lo + random.nextInt(size), Trigger.INTERACTIVE, 1, t, false,
                    random.nextInt(1000), t));
        }
        double reboots = size * sc.clients().rebootsPerDevicePerDay() / 86_400 * online;
        for (int i = poisson(reboots); i > 0; i--) {
            int d = lo + random.nextInt(size);
            boot(sink, d, fleet.armed(d) ? RebootReason.UPDATE : REASONS[random.nextInt(REASONS.length)],
                    t + random.nextInt(1000));
        }
    }

    /** A device boots; most clients then log in by themselves, about {@code bootToLoginMean} later. */
    private void boot(Sink sink, int d, RebootReason reason, long t) {
        fleet.booted(d);
        result.regions.get(sc.regions().get(fleet.region(d)).name()).boots[second]++;
        records.device(sink, d, TelemetryType.BOOT, t, reason, fleet.updateId(d), null, -1);
        if (random.nextDouble() < sc.clients().autoLoginShare()) {
            double mean = sc.clients().bootToLoginMean().toMillis();
            double delay = Math.max(5_000, mean * Math.exp(0.35 * random.nextGaussian() - 0.06));
            long at = t + (long) delay;
            int s = (int) ((at - startMs) / 1000);
            calendar.plan(s, Calendar.Action.attempt(d, Trigger.AUTO, 1, at, false));
        }
    }

    private void install(Sink sink, int d, long t) {
        fleet.installed(d, sc.rollout().updateId());
        // A forced rollout tells each device when it will be rebooted, as update policies do.
        Instant forced = sc.rollout().forcedAt();
        records.device(sink, d, TelemetryType.UPDATE_INSTALLED, t, null, sc.rollout().updateId(), true,
                forced == null ? -1 : forced.toEpochMilli());
    }

    private int poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 50) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        }
        double l = Math.exp(-mean);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > l);
        return k - 1;
    }
}
