package io.stampede.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A scenario of a {@link CountSeries}: one region's traffic for a number of days, normal but for
 * a labelled disturbance, with its ground truth (when it begins and ends). Every scenario starts on
 * the same Monday at 00:00 UTC; those with an event of interest give it {@link #HISTORY_DAYS} days
 * of normal history first, so that baselines can learn the days and the week. Nothing depends on
 * today's date.
 */
public final class CountScenario {

    /** Monday 2026-11-02 00:00 UTC. */
    public static final Instant START = Instant.parse("2026-11-02T00:00:00Z");
    public static final int HISTORY_DAYS = 8;

    /** Day 9, Tuesday 2026-11-10 00:00 UTC: the day of the events of interest. */
    private static final Instant EVENT_DAY = START.plus(Duration.ofDays(HISTORY_DAYS));

    private final String name;
    private final String summary;
    private final int days;
    private final Instant labelledFrom;
    private final Instant onset;
    private final Instant disturbanceEnd;
    private final boolean heavyTails;
    private final Disturbance disturbance;

    private CountScenario(String name, String summary, int days, Instant labelledFrom, Instant onset,
            Instant disturbanceEnd, boolean heavyTails, Disturbance disturbance) {
        this.name = name;
        this.summary = summary;
        this.days = days;
        this.labelledFrom = labelledFrom;
        this.onset = onset;
        this.disturbanceEnd = disturbanceEnd;
        this.heavyTails = heavyTails;
        this.disturbance = disturbance;
    }

    /** Every scenario, in the order a scorecard lists them. */
    public static List<CountScenario> all() {
        Instant wave = at(EVENT_DAY, 3, 0);
        Instant power = at(EVENT_DAY, 14, 20);
        Instant crowd = at(EVENT_DAY, 10, 30);
        Instant shift = at(EVENT_DAY, 14, 0);
        return List.of(
                new CountScenario("update-wave", "an update installed by 30 % of the region during the day before is "
                        + "forced on day 9 (Tue 2026-11-10) at 03:00 UTC: the armed devices reboot, the rate rising "
                        + "linearly from 0 for 12 min and falling back over 10 min; each logs in by itself (AUTO) "
                        + "20-90 s after its boot", 10, EVENT_DAY, wave, wave.plus(Duration.ofMinutes(24)), false,
                        new UpdateWave(wave.toEpochMilli(), 0.3, Duration.ofMinutes(12).toMillis(),
                                Duration.ofMinutes(10).toMillis())),
                new CountScenario("power-loss", "power returns to 20 % of the region on day 9 at 14:20 UTC: they boot "
                        + "within about 2 min (rising over 20 s, decaying with a 30 s time constant), not armed; 80 % "
                        + "log in by themselves 20-90 s later", 10, EVENT_DAY, power,
                        power.plus(Duration.ofMinutes(10)), false,
                        new PowerLoss(power.toEpochMilli(), 0.2, 20_000, 30_000)),
                new CountScenario("flash-crowd", "interactive first attempts rise to 5x normal within 2 min on day 9 "
                        + "at 10:30 UTC, stay there for 20 min and fall back within 2 min; no boots", 10, EVENT_DAY,
                        crowd, crowd.plus(Duration.ofMinutes(24)), false,
                        new FlashCrowd(crowd.toEpochMilli(), Duration.ofMinutes(2).toMillis(),
                                Duration.ofMinutes(20).toMillis(), 5)),
                new CountScenario("quiet-week", "normal traffic only; labelled: day 9 (Tuesday) to day 15, a weekend "
                        + "and the Monday morning ramp", 15, EVENT_DAY, null, null, false, Disturbance.NONE),
                new CountScenario("daily-step", "every day from day 1 at 09:00 UTC, interactive and token-refresh "
                        + "attempts step up to 3x for an hour, on top of the daily shape; 14 days", 14, START,
                        at(START, 9, 0), null, false, new DailyStep(9, Duration.ofHours(1).toMillis(), 3)),
                new CountScenario("level-shift", "on day 9 at 14:00 UTC a new client makes interactive and "
                        + "token-refresh attempts 1.8x what they were, for good", 14, EVENT_DAY, shift, null, false,
                        new LevelShift(shift.toEpochMilli(), 1.8)),
                new CountScenario("heavy-tails", "normal traffic with much burstier noise: a wider factor per bucket "
                        + "and, in 3 % of buckets, a one-bucket spike of 1.5-10x (Pareto, alpha 1.5), on logins and "
                        + "boots; labelled: day 9 to day 14", 14, EVENT_DAY, null, null, true, Disturbance.NONE));
    }

    /** The scenario called {@code name}. */
    public static CountScenario named(String name) {
        for (CountScenario s : all()) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "'; known: " + names());
    }

    public static String names() {
        return all().stream().map(CountScenario::name).collect(Collectors.joining(", "));
    }

    private static Instant at(Instant day, int hour, int minute) {
        return day.plus(Duration.ofHours(hour)).plus(Duration.ofMinutes(minute));
    }

    public String name() {
        return name;
    }

    /** What happens, in one sentence. */
    public String summary() {
        return summary;
    }

    public int days() {
        return days;
    }

    public Instant start() {
        return START;
    }

    /** End of the series. */
    public Instant end() {
        return START.plus(Duration.ofDays(days));
    }

    /** Where the part of interest begins: the history before it is for learning. */
    public Instant labelledFrom() {
        return labelledFrom;
    }

    /** When the disturbance begins, or null for normal traffic. */
    public Instant onset() {
        return onset;
    }

    /** When the disturbance is over, or null when it recurs or lasts to the end. */
    public Instant disturbanceEnd() {
        return disturbanceEnd;
    }

    boolean heavyTails() {
        return heavyTails;
    }

    Disturbance disturbance() {
        return disturbance;
    }

    @Override
    public String toString() {
        return name;
    }
}
