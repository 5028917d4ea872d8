package io.stampede.detect;

import io.stampede.config.StampedeConfig;

/**
 * What a rate (events per second, counted per bucket) is expected to be, and how far from that
 * an ordinary bucket strays.
 *
 * <ul>
 *   <li><b>Expectation</b>: a level and a damped trend, learned with Holt's method on the series
 *       with its daily shape taken out, times the daily shape, learned across days in slots (5
 *       minutes, or the bucket if longer). Until a day has been seen the shape is flat.
 *   <li><b>Noise</b>: Poisson noise of the counts, a floor relative to the expectation, and a
 *       robust spread (the mean absolute residual, winsorized rather than dropped, so that heavy
 *       tails widen the band instead of being ignored).
 *   <li><b>What is ordinary</b>: how often ordinary buckets were this far above the expectation
 *       ({@link TailHistory}), and what recurs at this time of day or week ({@link RecurringPeaks}).
 *   <li><b>Level shifts</b>: a rate that stays steady at a new level for longer than the
 *       adoption time becomes the new normal ({@link #adoptedAt}).
 * </ul>
 *
 * <p>Buckets a detector reports as disturbed barely move the level and do not teach the noise,
 * so an ongoing surge does not become the new normal until it is adopted as one.
 */
public final class RateBaseline {

    private static final long DAY_MS = 86_400_000L;
    private static final double DAMPING = 0.98;
    private static final double PROFILE_WEIGHT = 0.3;
    private static final double ANOMALY_SLOWDOWN = 0.05;
    /** The level learns a residual clipped at this many standard deviations. */
    private static final double LEVEL_CLIP = 3;
    /** ...and at this many while disturbed: a surge is not absorbed, it is adopted when it lasts. */
    private static final double DISTURBED_CLIP = 0.5;
    /** The spread learns one winsorized at this many: a heavy tail widens the band, one outlier barely. */
    private static final double SPREAD_CLIP = 5;
    /** Standard deviation per mean absolute deviation, for normal noise. */
    private static final double SD_PER_MAD = 1.2533;
    /** Share of the slots a day must have filled before the daily shape is used. */
    private static final double SHAPE_COVERAGE = 0.75;
    /** A shift is steady when its short and long averages agree within this share. */
    private static final double STEADY = 0.15;
    /** Weight of the noise model, in buckets, against the tails seen: it speaks for the first buckets. */
    private static final double PRIOR_BUCKETS = 100;
    /** Evidence (decades) past which the trend stops following: half the default firing evidence. */
    private static final double SUSPECT_EVIDENCE = 3;
    /** A series expected to be empty is taken to expect this many events per bucket: one event is no news. */
    private static final double MIN_MEAN_EVENTS = 0.2;
    /** How long a rate must hold for the memory of what recurs to keep it. */
    private static final long SUSTAINED_MS = 40_000;
    /** The window whose sum is judged beside each bucket. */
    private static final long WINDOW_MS = 60_000;
    /** Suspect buckets held back at most; past that, a long stretch of them is ordinary after all. */
    private static final int PENDING = 32;
    /** Rates kept for how fast the series rose (one minute at 10 s buckets). */
    static final int RECENT = 8;

    private double level = Double.NaN;
    private double trend;
    /** Mean absolute residual of ordinary buckets, winsorized. */
    private double spread;
    /** Ordinary buckets the spread and the tails learned since the daily shape changed what residuals are. */
    private long spreadSamples;
    private long samples;
    private long firstBucket = Long.MIN_VALUE;

    private double[] profile = new double[0];
    private int[] profileDays = new int[0];
    private boolean shapeActive;
    private int slot = -1;
    private long slotDay = Long.MIN_VALUE;
    private double slotSum;
    private int slotCount;

    private RecurringPeaks recurring = new RecurringPeaks();
    private TailHistory tail = new TailHistory();
    /** The same for the last minute's buckets summed: bursts of a few buckets are ordinary there too. */
    private TailHistory windowTail = new TailHistory();
    /** Improbability summed over consecutive buckets (a CUSUM in decades); kept by {@link RateCheck}. */
    double evidence;
    /**
     * Buckets that added evidence which has not drained yet: they teach the noise and the tails
     * only once it drains without a disturbance (the start of a surge must not teach that surges
     * are ordinary), and are forgotten if one follows.
     */
    private double[] pendingRatios = new double[PENDING];
    private double[] pendingWindowRatios = new double[PENDING];
    private double[] pendingResiduals = new double[PENDING];
    private int pending;

    /** Short and long averages of the deseasonalized rate, disturbed or not: where a shift settles. */
    private double shiftFast = Double.NaN;
    private double shiftSlow = Double.NaN;
    private long disturbedSince = Long.MIN_VALUE;
    private long adoptedAt = Long.MIN_VALUE;
    private double adoptedFrom;
    private double[] recent = new double[RECENT];
    private double[] recentExpected = new double[RECENT];

    /**
     * Smoothing constants per bucket, from the time constants in the configuration.
     *
     * @param slotMs width of a slot of the daily shape and of the recurring memory
     * @param noiseFloor share of the expectation the noise never falls below
     * @param adoptAfterMs how long a steady shift lasts before it is the new normal (0: never)
     */
    public record Params(double alpha, double beta, long warmupBuckets, double bucketSeconds, long slotMs,
            double spreadAlpha, double tailAlpha, double noiseFloor, long adoptAfterMs, double fastAlpha,
            double slowAlpha) {

        /** The spread remembers six level time constants, at least an hour and at most a day. */
        private static final double SPREAD_SPAN = 6;
        private static final long MIN_SPREAD_MS = 3_600_000;
        private static final long TAIL_SPAN_MS = 7 * DAY_MS;
        private static final long DEFAULT_SLOT_MS = 300_000;
        private static final double DEFAULT_NOISE_FLOOR = 0.02;
        private static final long DEFAULT_ADOPT_MS = 1_800_000;
        private static final long MIN_ADOPT_BUCKETS = 3;

        public static Params of(StampedeConfig.Detection d) {
            long bucketMs = d.bucket().toMillis();
            return of(bucketMs, d.levelTime().toMillis(), d.trendTime().toMillis(), d.warmupTime().toMillis(),
                    d.seasonSlot().toMillis(), d.noiseFloor(), d.adoptShiftAfter().toMillis());
        }

        /** With the default slot, noise floor and adoption time. */
        public static Params of(long bucketMs, long levelTimeConstantMs, long trendTimeConstantMs, long warmupMs) {
            return of(bucketMs, levelTimeConstantMs, trendTimeConstantMs, warmupMs, DEFAULT_SLOT_MS,
                    DEFAULT_NOISE_FLOOR, DEFAULT_ADOPT_MS);
        }

        public static Params of(long bucketMs, long levelTimeConstantMs, long trendTimeConstantMs, long warmupMs,
                long slotMs, double noiseFloor, long adoptAfterMs) {
            double alpha = weight(bucketMs, levelTimeConstantMs);
            double beta = weight(bucketMs, trendTimeConstantMs);
            long spreadMs = Math.min(DAY_MS, Math.max(MIN_SPREAD_MS, (long) (SPREAD_SPAN * levelTimeConstantMs)));
            double spreadAlpha = weight(bucketMs, Math.max(spreadMs, 10 * bucketMs));
            double tailAlpha = weight(bucketMs, Math.max(TAIL_SPAN_MS, 100 * bucketMs));
            // A shift is judged over a few buckets at least, however short the adoption time.
            long adopt = adoptAfterMs <= 0 ? 0 : Math.max(adoptAfterMs, MIN_ADOPT_BUCKETS * bucketMs);
            double fast = adopt > 0 ? weight(bucketMs, Math.max(bucketMs, adopt / 6)) : 0;
            double slow = adopt > 0 ? weight(bucketMs, Math.max(bucketMs, adopt / 2)) : 0;
            return new Params(alpha, beta, Math.max(1, warmupMs / bucketMs), bucketMs / 1000.0,
                    Math.max(bucketMs, slotMs), spreadAlpha, tailAlpha, noiseFloor, adopt, fast, slow);
        }

        private static double weight(long bucketMs, long timeConstantMs) {
            return 1 - Math.exp(-(double) bucketMs / timeConstantMs);
        }

        int slots() {
            return RecurringPeaks.slotsPerDay(slotMs);
        }
    }

    public boolean isWarm(Params p) {
        return samples >= p.warmupBuckets();
    }

    public long samples() {
        return samples;
    }

    /** Expected rate for the bucket starting at {@code bucketStart}; 0 before anything was learned. */
    public double expected(long bucketStart) {
        if (Double.isNaN(level)) {
            return 0;
        }
        return Math.max(0, level + DAMPING * trend) * shape(bucketStart);
    }

    /** Expected rate {@code aheadMs} after {@code now}, following the damped trend. */
    public double forecast(long now, long aheadMs, Params p) {
        if (Double.isNaN(level)) {
            return 0;
        }
        double steps = aheadMs / (p.bucketSeconds() * 1000);
        double damped = DAMPING * (1 - Math.pow(DAMPING, steps)) / (1 - DAMPING);
        return Math.max(0, level + damped * trend) * shape(now + aheadMs);
    }

    /** Poisson noise of the rate when {@code expectedRate} is expected: at least one event per bucket. */
    private static double poissonVariance(double expectedRate, Params p) {
        return Math.max(expectedRate, 1.0 / p.bucketSeconds()) / p.bucketSeconds();
    }

    /**
     * Standard deviation of the rate in one bucket: Poisson noise and the noise floor, or the
     * robust spread of the residuals when that is wider.
     */
    public double stdDev(double expectedRate, Params p) {
        double floor = p.noiseFloor() * expectedRate;
        double model = Math.sqrt(poissonVariance(expectedRate, p) + floor * floor);
        return Math.max(model, SD_PER_MAD * spread);
    }

    /** Standard score of an observed rate against this baseline. */
    public double score(double observedRate, double expectedRate, Params p) {
        return (observedRate - expectedRate) / stdDev(expectedRate, p);
    }

    /**
     * How improbable this bucket is for the series, in decades: the least surprising of the
     * Poisson count, the normal noise with the robust spread, and how often ordinary buckets were
     * this far above (mixed with the noise model, which speaks for the first buckets). 0 when the
     * rate is within what recurs at this time of day or week.
     */
    public double improbability(long bucketStart, double rate, double expected, double recurringMargin, Params p) {
        if (rate <= expected || rate <= recurringMargin * recurring(bucketStart, p)) {
            return 0;
        }
        double poisson = Improbability.poisson(rate * p.bucketSeconds(),
                Math.max(MIN_MEAN_EVENTS, expected * p.bucketSeconds()));
        double normal = Improbability.normal(score(rate, expected, p));
        double model = Math.min(poisson, normal);
        double single = seenThisHigh(tail, TailHistory.logRatio(rate, expected, p.bucketSeconds()), model, p);
        double window = seenThisHigh(windowTail, windowRatio(rate, expected, p), model, p);
        return Math.min(model, Math.min(single, window));
    }

    /** Decades of the share of ordinary buckets at least this high, the noise model speaking for the first ones. */
    private static double seenThisHigh(TailHistory history, double logRatio, double model, Params p) {
        double seen = history.weight(p.tailAlpha());
        double share = history.shareAtLeast(logRatio);
        return Improbability.decades((PRIOR_BUCKETS * Math.pow(10, -model) + seen * share) / (PRIOR_BUCKETS + seen));
    }

    /**
     * The rate held through the last 40 seconds (the lowest of their buckets, this one included):
     * what the memory of what recurs keeps, so that a burst of a few buckets, which comes at random
     * times, is not remembered as a pattern, while a step or an on-the-hour minute is.
     */
    private double sustained(double rate, Params p) {
        int back = Math.min(RECENT - 1, (int) Math.max(0, Math.round(SUSTAINED_MS / 1000.0 / p.bucketSeconds()) - 1));
        double held = rate;
        for (int k = 0; k < back && k < samples; k++) {
            held = Math.min(held, recent[(int) Math.floorMod(samples - 1 - k, (long) RECENT)]);
        }
        return held;
    }

    /** log2 of observed over expected over the last minute of buckets, this one included. */
    private double windowRatio(double rate, double expected, Params p) {
        int back = Math.min(RECENT - 1, (int) Math.max(0, Math.round(WINDOW_MS / 1000.0 / p.bucketSeconds()) - 1));
        double observed = rate;
        double expect = expected;
        for (int k = 0; k < back && k < samples; k++) {
            int i = (int) Math.floorMod(samples - 1 - k, (long) RECENT);
            observed += recent[i];
            expect += recentExpected[i];
        }
        return TailHistory.logRatio(observed, expect, p.bucketSeconds());
    }

    /** The rate that recurs at this time of day or week (0 while none is known). */
    public double recurring(long t, Params p) {
        return recurring.recurring(t, p.slotMs());
    }

    /** The rate of the bucket learned {@code back} buckets before the newest (0: the newest), or NaN. */
    public double learnedRate(int back) {
        int k = Math.min(RECENT - 1, Math.max(0, back));
        if (samples <= k) {
            return Double.NaN;
        }
        return recent[(int) Math.floorMod(samples - 1 - k, (long) RECENT)];
    }

    /**
     * Learns from one bucket's observed rate. The level learns it clipped to three standard
     * deviations around the expectation (a Huber-style robust update), the trend only while the
     * segment is undisturbed, the noise and the tails only from undisturbed buckets; what recurs
     * learns from every bucket. A disturbance that has stayed steady at a new level for the
     * adoption time becomes the new level.
     */
    public void learn(long bucketStart, double rate, boolean anomalous, Params p) {
        if (firstBucket == Long.MIN_VALUE) {
            firstBucket = bucketStart;
        }
        double expected = expected(bucketStart);
        double s = shape(bucketStart);
        double sd = stdDev(expected, p);
        boolean warm = samples >= p.warmupBuckets();
        double clip = anomalous ? DISTURBED_CLIP : LEVEL_CLIP;
        double learned = warm ? Math.max(expected - clip * sd, Math.min(expected + clip * sd, rate)) : rate;
        double y = learned / s;
        if (Double.isNaN(level)) {
            level = y;
        } else {
            double alpha = Math.max(p.alpha(), 1.0 / (samples + 1));
            double beta = samples >= p.warmupBuckets() / 2 ? p.beta() : 0;
            if (anomalous || evidence >= SUSPECT_EVIDENCE) {
                // A rise that is piling up evidence must not be learned as the trend it would become.
                beta *= ANOMALY_SLOWDOWN;
            }
            double predicted = level + DAMPING * trend;
            double previous = level;
            level = Math.max(0, predicted + alpha * (y - predicted));
            trend = DAMPING * trend + beta * ((level - previous) - DAMPING * trend);
            double residual = Math.abs(rate - expected);
            double clipped = warm ? Math.min(residual, SPREAD_CLIP * sd) : residual;
            learnNoise(TailHistory.logRatio(rate, expected, p.bucketSeconds()), windowRatio(rate, expected, p), clipped,
                    anomalous, p);
        }
        recurring.learn(bucketStart, sustained(rate, p), p.slotMs());
        learnShape(bucketStart, learned, p);
        followShift(bucketStart, rate / s, anomalous, p);
        recent[(int) Math.floorMod(samples, (long) RECENT)] = rate;
        recentExpected[(int) Math.floorMod(samples, (long) RECENT)] = expected;
        samples++;
    }

    /** The noise and the tails learn ordinary buckets; suspect ones wait until their evidence drained. */
    private void learnNoise(double logRatio, double windowRatio, double residual, boolean anomalous, Params p) {
        if (anomalous) {
            pending = 0;
            return;
        }
        if (evidence > 0 && pending < PENDING) {
            pendingRatios[pending] = logRatio;
            pendingWindowRatios[pending] = windowRatio;
            pendingResiduals[pending] = residual;
            pending++;
            return;
        }
        for (int i = 0; i < pending; i++) {
            learnOrdinary(pendingRatios[i], pendingWindowRatios[i], pendingResiduals[i], p);
        }
        pending = 0;
        learnOrdinary(logRatio, windowRatio, residual, p);
    }

    private void learnOrdinary(double logRatio, double windowRatio, double residual, Params p) {
        spread += Math.max(p.spreadAlpha(), 1.0 / (spreadSamples + 1)) * (residual - spread);
        spreadSamples++;
        // The tails judge against a settled expectation: residuals of the warm-up chase the level.
        if (samples >= p.warmupBuckets()) {
            tail.learn(logRatio, p.tailAlpha());
            windowTail.learn(windowRatio, p.tailAlpha());
        }
    }

    /** Adopts a disturbance that has lasted the adoption time and settled as the new level. */
    private void followShift(long bucketStart, double y, boolean anomalous, Params p) {
        if (Double.isNaN(shiftFast)) {
            shiftFast = y;
            shiftSlow = y;
        }
        if (p.adoptAfterMs() <= 0) {
            return;
        }
        shiftFast += p.fastAlpha() * (y - shiftFast);
        shiftSlow += p.slowAlpha() * (y - shiftSlow);
        if (!anomalous) {
            disturbedSince = Long.MIN_VALUE;
            return;
        }
        if (disturbedSince == Long.MIN_VALUE) {
            disturbedSince = bucketStart;
        }
        boolean adoptedThisTime = adoptedAt >= disturbedSince;
        boolean lasted = bucketStart - disturbedSince >= p.adoptAfterMs();
        boolean steady = Math.abs(shiftFast - shiftSlow) <= STEADY * Math.max(shiftSlow, 1e-9);
        if (!adoptedThisTime && lasted && steady) {
            adoptedFrom = Math.max(0, level + DAMPING * trend);
            level = shiftFast;
            trend = 0;
            adoptedAt = bucketStart;
            evidence = 0;
        }
    }

    /** When the last lasting shift was adopted as the new normal (MIN if never). */
    public long adoptedAt() {
        return adoptedAt;
    }

    /** The deseasonalized level before the last adoption. */
    public double adoptedFrom() {
        return adoptedFrom;
    }

    private void learnShape(long bucketStart, double rate, Params p) {
        int slots = p.slots();
        if (profile.length != slots) {
            profile = new double[slots];
            profileDays = new int[slots];
            shapeActive = false;
            slot = -1;
        }
        long day = Math.floorDiv(bucketStart, DAY_MS);
        int current = (int) (Math.floorMod(bucketStart, DAY_MS) / p.slotMs());
        if (current != slot || day != slotDay) {
            long bucketsPerSlot = Math.max(1, Math.round(p.slotMs() / 1000.0 / p.bucketSeconds()));
            if (slot >= 0 && slotCount * 2 >= bucketsPerSlot) {
                double mean = slotSum / slotCount;
                profile[slot] = profileDays[slot] == 0 ? mean : profile[slot] + PROFILE_WEIGHT * (mean - profile[slot]);
                profileDays[slot]++;
                if (!shapeActive && bucketStart - firstBucket >= DAY_MS && coverage() >= SHAPE_COVERAGE) {
                    double before = shape(bucketStart);
                    fillUnseenSlots();
                    shapeActive = true;
                    // Residuals against a flat day measured the day's shape, not the noise: start them over.
                    spreadSamples = 0;
                    tail = new TailHistory();
                    windowTail = new TailHistory();
                    double after = shape(bucketStart);
                    if (!Double.isNaN(level) && after > 0) {
                        level = level * before / after;
                        trend = trend * before / after;
                        shiftFast = shiftFast * before / after;
                        shiftSlow = shiftSlow * before / after;
                    }
                }
            }
            slot = current;
            slotDay = day;
            slotSum = 0;
            slotCount = 0;
        }
        slotSum += rate;
        slotCount++;
    }

    private double coverage() {
        int seen = 0;
        for (int d : profileDays) {
            if (d > 0) {
                seen++;
            }
        }
        return seen / (double) profileDays.length;
    }

    /** Slots the first day left empty (gaps in the data) take the value of the nearest seen slot before them. */
    private void fillUnseenSlots() {
        int n = profile.length;
        int seen = -1;
        for (int i = 0; i < n && seen < 0; i++) {
            if (profileDays[i] > 0) {
                seen = i;
            }
        }
        for (int k = 1; k <= n; k++) {
            int i = (seen + k) % n;
            if (profileDays[i] == 0) {
                profile[i] = profile[(i - 1 + n) % n];
            }
        }
    }

    /** Daily shape factor at time t (1 until a whole day has been learned), interpolated between slots. */
    double shape(long t) {
        if (!shapeActive) {
            return 1;
        }
        int n = profile.length;
        double mean = 0;
        for (double v : profile) {
            mean += v;
        }
        mean /= n;
        if (mean <= 1e-9) {
            return 1;
        }
        double slotMs = DAY_MS / (double) n;
        double pos = Math.floorMod(t, DAY_MS) / slotMs - 0.5;
        int a = (int) Math.floor(pos);
        double f = pos - a;
        double va = profile[Math.floorMod(a, n)];
        double vb = profile[Math.floorMod(a + 1, n)];
        double factor = (va + f * (vb - va)) / mean;
        return Math.max(0.05, Math.min(20, factor));
    }

    public boolean hasDailyShape() {
        return shapeActive;
    }

    public double level() {
        return level;
    }

    public double trend() {
        return trend;
    }
}
