package io.stampede.sim;

import io.stampede.admission.AttemptClass;
import io.stampede.event.Outcome;
import io.stampede.event.RebootReason;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * One region's traffic as the detectors see it, bucket by bucket: counts, not events, so that days
 * of a region of millions of devices take seconds. Made on the fly, one bucket at a time.
 *
 * <p>Normal traffic follows the week ({@link DailyShape}) at realistic per-device rates: 0.3 boots
 * a day (users, updates, crashes), 8 interactive logins and 6.76 token refreshes a day, and an
 * automatic login 20-90 s after 80 % of boots: about 15 first attempts a day in all, so 40,000
 * devices make 0.14 boots/s and 7 first attempts/s on average. Each stream's rate is multiplied
 * by {@link BurstyNoise} and drawn as a Poisson count. 1 % of first attempts fail; retries are 3 %
 * of first attempts (varying from bucket to bucket), 10 % of them failing.
 *
 * <p>Three random streams split from the seed keep the normal traffic apart from what the
 * scenario adds, so every scenario of one seed has the same normal traffic (but heavy-tails, whose
 * noise differs): what differs between their alerts is the disturbance's doing. The noise factors
 * depend on the seed alone, so both region sizes of a seed have their bursts at the same times.
 */
public final class CountSeries implements Iterator<CountBucket> {

    static final double BOOTS_PER_DEVICE_DAY = 0.3;
    static final double INTERACTIVE_PER_DEVICE_DAY = 8.0;
    static final double TOKEN_REFRESHES_PER_DEVICE_DAY = 6.76;
    /** Share of booted devices whose client logs in by itself. */
    static final double AUTO_LOGIN_SHARE = 0.8;
    static final int MIN_BOOT_TO_LOGIN_S = 20;
    static final int MAX_BOOT_TO_LOGIN_S = 90;
    static final double FAILURE_SHARE = 0.01;
    static final double RETRY_SHARE = 0.03;
    static final double RETRY_SHARE_SIGMA = 0.3;
    static final double RETRY_FAILURE_SHARE = 0.1;

    private static final double DAY_SECONDS = 86_400;
    /** Why normal devices boot, as shares of the normal boots, in {@link RebootReason} order. */
    private static final double[] NORMAL_REASONS = new double[RebootReason.values().length];

    static {
        NORMAL_REASONS[RebootReason.USER.ordinal()] = 0.70;
        NORMAL_REASONS[RebootReason.UPDATE.ordinal()] = 0.12;
        NORMAL_REASONS[RebootReason.CRASH.ordinal()] = 0.12;
        NORMAL_REASONS[RebootReason.UNKNOWN.ordinal()] = 0.06;
    }

    private final Disturbance disturbance;
    private final int devices;
    private final long bucketMs;
    private final long end;
    private final SplittableRandom normal;
    private final SplittableRandom added;
    private final SplittableRandom outcomes;
    private final BurstyNoise bootNoise;
    private final BurstyNoise loginNoise;
    /** Automatic logins still to come, by bucket (a ring from {@link #slot}), with their delays. */
    private final long[][] pendingDelays;
    private int slot;
    private long next;

    /** @param bucketMs the detectors' bucket; rates are per second, so any bucket works */
    public CountSeries(CountScenario scenario, int devices, long seed, long bucketMs) {
        if (devices <= 0 || bucketMs <= 0) {
            throw new IllegalArgumentException("devices and bucket must be positive");
        }
        this.disturbance = scenario.disturbance();
        this.devices = devices;
        this.bucketMs = bucketMs;
        this.next = scenario.start().toEpochMilli();
        this.end = scenario.end().toEpochMilli();
        SplittableRandom root = new SplittableRandom(seed);
        this.normal = root.split();
        this.added = root.split();
        this.outcomes = root.split();
        SplittableRandom noise = normal.split();
        BurstyNoise.Model boots = BurstyNoise.Model.BOOTS;
        BurstyNoise.Model logins = BurstyNoise.Model.LOGINS;
        if (scenario.heavyTails()) {
            boots = boots.heavyTailed();
            logins = logins.heavyTailed();
        }
        this.bootNoise = new BurstyNoise(boots, bucketMs, noise.split());
        this.loginNoise = new BurstyNoise(logins, bucketMs, noise.split());
        int ahead = (int) ((bucketMs + MAX_BOOT_TO_LOGIN_S * 1000L) / bucketMs) + 1;
        this.pendingDelays = new long[ahead][CountBucket.MAX_DELAY_SECONDS];
    }

    @Override
    public boolean hasNext() {
        return next < end;
    }

    @Override
    public CountBucket next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        long start = next;
        long mid = start + bucketMs / 2;
        double seconds = bucketMs / 1000.0;
        long[] reasons = new long[RebootReason.values().length];
        long[] logins = new long[AttemptClass.values().length * Outcome.values().length];

        double bootRate = devices * BOOTS_PER_DEVICE_DAY / DAY_SECONDS * DailyShape.BOOTS.at(mid) * bootNoise.next(start);
        long normalBoots = Draws.poisson(normal, bootRate * seconds);
        split(normalBoots, reasons);
        scheduleLogins(normalBoots, AUTO_LOGIN_SHARE, normal);

        long armed = 0;
        long forced = Draws.poisson(added, devices * disturbance.bootShare(start, start + bucketMs));
        if (forced > 0) {
            Disturbance.Boots b = disturbance.boots();
            reasons[b.reason().ordinal()] += forced;
            armed = b.updateId() == null ? 0 : forced;
            scheduleLogins(forced, b.autoLoginShare(), added);
        }
        long installs = Draws.poisson(added, devices * disturbance.installShare(start, start + bucketMs));

        double loginFactor = loginNoise.next(start);
        long[] first = new long[AttemptClass.values().length];
        first[AttemptClass.INTERACTIVE.ordinal()] = firstAttempts(AttemptClass.INTERACTIVE, INTERACTIVE_PER_DEVICE_DAY,
                DailyShape.INTERACTIVE, mid, seconds * loginFactor);
        first[AttemptClass.TOKEN_REFRESH.ordinal()] = firstAttempts(AttemptClass.TOKEN_REFRESH,
                TOKEN_REFRESHES_PER_DEVICE_DAY, DailyShape.TOKEN_REFRESH, mid, seconds * loginFactor);
        long[] delays = pendingDelays[slot];
        pendingDelays[slot] = new long[CountBucket.MAX_DELAY_SECONDS];
        slot = (slot + 1) % pendingDelays.length;
        for (long d : delays) {
            first[AttemptClass.AUTO.ordinal()] += d;
        }

        long firstTotal = 0;
        for (AttemptClass c : new AttemptClass[] {AttemptClass.INTERACTIVE, AttemptClass.TOKEN_REFRESH, AttemptClass.AUTO}) {
            long n = first[c.ordinal()];
            long failed = Draws.binomial(outcomes, n, FAILURE_SHARE);
            logins[CountBucket.cell(c, Outcome.SUCCESS)] = n - failed;
            logins[CountBucket.cell(c, Outcome.FAILURE)] = failed;
            firstTotal += n;
        }
        long retries = Draws.poisson(outcomes, RETRY_SHARE * firstTotal * Draws.lognormal(outcomes, RETRY_SHARE_SIGMA));
        long retriesFailed = Draws.binomial(outcomes, retries, RETRY_FAILURE_SHARE);
        logins[CountBucket.cell(AttemptClass.RETRY, Outcome.SUCCESS)] = retries - retriesFailed;
        logins[CountBucket.cell(AttemptClass.RETRY, Outcome.FAILURE)] = retriesFailed;

        next += bucketMs;
        String updateId = armed > 0 || installs > 0 ? disturbance.boots().updateId() : null;
        return new CountBucket(start, reasons, armed, installs, updateId, logins, delays);
    }

    /**
     * Normal first attempts of {@code cls} drawn from the normal stream; what the disturbance adds
     * on top (its factor beyond 1) from its own, so the normal traffic stays the same.
     */
    private long firstAttempts(AttemptClass cls, double perDeviceDay, DailyShape shape, long mid, double noisySeconds) {
        double expected = devices * perDeviceDay / DAY_SECONDS * shape.at(mid) * noisySeconds;
        long n = Draws.poisson(normal, expected);
        double factor = disturbance.loginFactor(cls, mid);
        if (factor > 1) {
            n += Draws.poisson(added, (factor - 1) * expected);
        }
        return n;
    }

    /** Splits normal boots by reason, one binomial after another. */
    private void split(long boots, long[] reasons) {
        long left = boots;
        double shareLeft = 1;
        for (int r = 0; r < reasons.length && left > 0; r++) {
            if (NORMAL_REASONS[r] == 0) {
                continue;
            }
            long n = NORMAL_REASONS[r] >= shareLeft ? left : Draws.binomial(normal, left, NORMAL_REASONS[r] / shareLeft);
            reasons[r] += n;
            left -= n;
            shareLeft -= NORMAL_REASONS[r];
        }
    }

    /**
     * Plans the automatic logins of {@code boots} devices booting in this bucket: each of a share of
     * them logs in 20-90 s after its boot, which is anywhere in the bucket.
     */
    private void scheduleLogins(long boots, double share, SplittableRandom r) {
        for (long i = 0; i < boots; i++) {
            if (share < 1 && r.nextDouble() >= share) {
                continue;
            }
            double delay = Draws.uniform(r, MIN_BOOT_TO_LOGIN_S, MAX_BOOT_TO_LOGIN_S);
            double at = r.nextDouble() * bucketMs + delay * 1000;
            int ahead = (int) (at / bucketMs);
            pendingDelays[(slot + ahead) % pendingDelays.length][(int) delay]++;
        }
    }
}
