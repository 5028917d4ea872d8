package io.stampede.detect;

import io.stampede.Fixtures;
import io.stampede.admission.AttemptClass;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertStatus;
import io.stampede.alert.AlertType;
import io.stampede.config.StampedeConfig;
import io.stampede.event.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongToDoubleFunction;

/**
 * Counts of one region as real traffic has them, for the tests of the detectors' robustness:
 * rates given as functions of time, sampled as Poisson counts per bucket, optionally times a
 * heavy-tailed factor, played through a {@link SegmentEngine} from a Monday on.
 */
final class CountTraffic {

    /** Monday 2026-11-23, 00:00 UTC. */
    static final long MONDAY = Fixtures.T0 - 86_400_000L;
    static final long DAY = 86_400_000L;

    /** A diurnal curve: {@code night} of the day's peak from 22:00 to 06:00, ramping to 1 by 09:00, easing after 18:00. */
    static double diurnal(long t, double night) {
        double h = Math.floorMod(t, DAY) / 3_600_000.0;
        if (h < 6 || h >= 22) {
            return night;
        }
        if (h < 9) {
            return night + (1 - night) * (h - 6) / 3;
        }
        if (h < 18) {
            return 1;
        }
        return 1 - (1 - night) * (h - 18) / 4;
    }

    final StampedeConfig config;
    final SegmentEngine engine;
    final SegmentState state = new SegmentState("eu-west");
    final List<Alert> alerts = new ArrayList<>();
    private final SplittableRandom random;
    private final long bucketMs;
    private LongToDoubleFunction firstAttempts = t -> 0;
    private LongToDoubleFunction boots = t -> 0;
    private LongToDoubleFunction forcedBoots = t -> 0;
    /** Multiplies each bucket's rates: 1 for plain Poisson counts. */
    private java.util.function.DoubleSupplier burst = () -> 1;
    private long now = MONDAY;

    CountTraffic(long seed, String... overrides) {
        config = Fixtures.config(overrides);
        engine = new SegmentEngine(config);
        bucketMs = engine.bucketMs();
        random = new SplittableRandom(seed);
    }

    CountTraffic firstAttempts(LongToDoubleFunction perSecond) {
        firstAttempts = perSecond;
        return this;
    }

    CountTraffic boots(LongToDoubleFunction perSecond) {
        boots = perSecond;
        return this;
    }

    /** Boots of devices an update forces to reboot (armed). */
    CountTraffic forcedBoots(LongToDoubleFunction perSecond) {
        forcedBoots = perSecond;
        return this;
    }

    /**
     * Heavy-tailed bursts: in a share of the buckets the rates are multiplied by a Pareto factor
     * (tail index {@code alpha}, at least 1.5, at most {@code max}).
     */
    CountTraffic bursts(double share, double alpha, double max) {
        burst = () -> random.nextDouble() >= share ? 1
                : Math.min(max, 1.5 * Math.pow(1 - random.nextDouble(), -1 / alpha));
        return this;
    }

    long now() {
        return now;
    }

    /** Plays buckets until {@code until}. */
    CountTraffic playUntil(long until) {
        SegmentOutput out = new SegmentOutput() {
            @Override
            public void alert(Alert alert) {
                alerts.add(alert);
            }

            @Override
            public void directive(io.stampede.admission.ThrottleDirective directive) {}

            @Override
            public void signal(io.stampede.plan.ScalingSignal signal) {}

            @Override
            public void snapshot(SegmentSnapshot snapshot) {}
        };
        double seconds = bucketMs / 1000.0;
        for (; now < until; now += bucketMs) {
            BucketStats b = new BucketStats(state.segment(), now);
            double factor = burst.getAsDouble();
            long forced = poisson(forcedBoots.applyAsDouble(now) * seconds);
            b.boots = poisson(boots.applyAsDouble(now) * seconds * factor) + forced;
            b.armedBoots = forced;
            b.bootAttributes.put(Attributes.key(Attributes.REBOOT_REASON, "USER"), b.boots - forced);
            b.bootAttributes.put(Attributes.key(Attributes.REBOOT_REASON, "UPDATE"), forced);
            long first = poisson(firstAttempts.applyAsDouble(now) * seconds * factor);
            b.logins[BucketStats.cell(AttemptClass.INTERACTIVE, Outcome.SUCCESS)] = first;
            b.logins[BucketStats.cell(AttemptClass.RETRY, Outcome.SUCCESS)] = poisson(0.03 * first);
            engine.onBucket(state, b, out);
        }
        return this;
    }

    /** A Poisson count with this mean (normal beyond 30). */
    long poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 30) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian()));
        }
        double limit = Math.exp(-mean);
        double p = random.nextDouble();
        long k = 0;
        while (p > limit) {
            p *= random.nextDouble();
            k++;
        }
        return k;
    }

    private double gaussian() {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** The pages: alerts of this type that fired (their first state), from {@code since} on. */
    List<Alert> fired(AlertType type, long since) {
        return alerts.stream().filter(a -> a.type() == type && a.status() == AlertStatus.FIRING && a.sequence() == 1)
                .filter(a -> io.stampede.event.Timestamps.parse(a.detectedAt()) >= since).toList();
    }

    List<Alert> fired(long since) {
        return alerts.stream().filter(a -> a.status() == AlertStatus.FIRING && a.sequence() == 1)
                .filter(a -> io.stampede.event.Timestamps.parse(a.detectedAt()) >= since).toList();
    }
}
