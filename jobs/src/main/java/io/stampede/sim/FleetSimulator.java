package io.stampede.sim;

import io.stampede.admission.AdmissionController;
import io.stampede.admission.AttemptClass;
import io.stampede.admission.Decision;
import io.stampede.admission.ThrottleDirective;
import io.stampede.event.InputKind;
import java.nio.charset.StandardCharsets;
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

    private static final String[] PLATFORMS = {"windows", "windows", "windows", "windows", "windows", "windows",
        "windows", "macos", "macos", "linux"};
    private static final String[][] OS_BUILDS = {
        {"win-22631.4460", "win-22631.4541", "win-26100.2314", "win-19045.5131"},
        {"macos-15.1", "macos-15.1.1", "macos-14.7"},
        {"linux-6.8", "linux-6.11"}};
    private static final String[] CLIENT_VERSIONS = {"7.4.2", "7.4.3", "7.5.0", "7.5.1", "7.3.9"};
    private static final String[] PRIOR_UPDATES = {"KB-2026-10-A", "KB-2026-10-A", "KB-2026-10-A", "KB-2026-09-B"};
    private static final String[] REASONS = {"USER", "USER", "USER", "USER", "USER", "USER", "CRASH", "CRASH",
        "UPDATE", "UNKNOWN", "POWER"};

    private final Scenario sc;
    private final DirectiveFeed feed;
    private final long directiveDelayMs;
    private final SplittableRandom random;
    private final AdmissionController admission;
    private final SimResult result;
    private final long startMs;
    private final int seconds;

    private final int[] regionLo;
    private final int[] regionHi;
    private final byte[] deviceRegion;
    private final byte[] devicePlatform;
    private final byte[] deviceBuild;
    private final byte[] deviceClient;
    private final String[] deviceUpdate;
    private final boolean[] armed;
    private final double[] jitter;
    private final long[] windowAdmitted;
    private final double[] load;
    private final long[] windowFailed;
    private final List<List<Integer>> windowLatency = new ArrayList<>();
    private final List<List<Attempt>> queues = new ArrayList<>();

    private final List<List<Action>> calendar;
    private final StringBuilder json = new StringBuilder(320);
    private long eventSeq;
    private int second;

    /** Something that happens to a device at a planned second. */
    private static final class Action {
        static final byte BOOT = 0;
        static final byte AUTO_LOGIN = 1;
        static final byte ATTEMPT = 2;
        static final byte INSTALL = 3;

        final byte type;
        final int device;
        final String reason;
        final String trigger;
        final int attempt;
        final long sessionStart;
        final boolean deferred;

        Action(byte type, int device, String reason, String trigger, int attempt, long sessionStart, boolean deferred) {
            this.type = type;
            this.device = device;
            this.reason = reason;
            this.trigger = trigger;
            this.attempt = attempt;
            this.sessionStart = sessionStart;
            this.deferred = deferred;
        }
    }

    /** A login attempt: its millisecond within the second it arrived, and that second. */
    private record Attempt(int device, String trigger, int attempt, long sessionStart, boolean deferred, int ms,
            long arrived) {}

    /** How much the tier queues when it is busy, in seconds of its capacity. */
    static final double QUEUE_SECONDS = 2;
    /** Queued attempts waiting longer than this time out. */
    static final long QUEUE_TIMEOUT_MS = 5_000;

    /**
     * @param feed Stampede's directives, or null to play the run in which nobody throttles
     * @param directiveDelayMs how long a directive takes to reach the front door
     */
    public FleetSimulator(Scenario scenario, DirectiveFeed feed, long directiveDelayMs) {
        this.sc = scenario;
        this.feed = feed;
        this.directiveDelayMs = directiveDelayMs;
        this.random = new SplittableRandom(scenario.seed());
        this.admission = new AdmissionController(random.split());
        this.startMs = scenario.start().toEpochMilli();
        this.seconds = (int) scenario.duration().toSeconds();
        List<String> names = new ArrayList<>();
        scenario.regions().forEach(r -> names.add(r.name()));
        this.result = new SimResult(startMs, seconds, names, feed != null);

        int n = scenario.devices();
        int regions = scenario.regions().size();
        regionLo = new int[regions];
        regionHi = new int[regions];
        deviceRegion = new byte[n];
        devicePlatform = new byte[n];
        deviceBuild = new byte[n];
        deviceClient = new byte[n];
        deviceUpdate = new String[n];
        armed = new boolean[n];
        double total = scenario.regions().stream().mapToDouble(Scenario.Region::share).sum();
        int next = 0;
        for (int r = 0; r < regions; r++) {
            regionLo[r] = next;
            next = r == regions - 1 ? n : next + (int) Math.round(n * scenario.regions().get(r).share() / total);
            regionHi[r] = next;
            for (int d = regionLo[r]; d < regionHi[r]; d++) {
                deviceRegion[d] = (byte) r;
                int p = random.nextInt(PLATFORMS.length);
                int family = PLATFORMS[p].equals("windows") ? 0 : PLATFORMS[p].equals("macos") ? 1 : 2;
                devicePlatform[d] = (byte) p;
                deviceBuild[d] = (byte) random.nextInt(OS_BUILDS[family].length);
                deviceClient[d] = (byte) random.nextInt(CLIENT_VERSIONS.length);
                deviceUpdate[d] = PRIOR_UPDATES[random.nextInt(PRIOR_UPDATES.length)];
            }
        }
        jitter = new double[regions];
        windowAdmitted = new long[regions];
        load = new double[regions];
        windowFailed = new long[regions];
        for (int r = 0; r < regions; r++) {
            queues.add(new ArrayList<>());
            windowLatency.add(new ArrayList<>());
        }
        calendar = new ArrayList<>(seconds + 1);
        for (int i = 0; i <= seconds; i++) {
            calendar.add(null);
        }
        planRollout();
        planPowerLoss();
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
        if (feed != null) {
            for (ThrottleDirective d : feed.poll(t - directiveDelayMs)) {
                if (admission.apply(d)) {
                    result.directivesApplied++;
                }
            }
        }
        if (second % 60 == 0) {
            for (int r = 0; r < jitter.length; r++) {
                jitter[r] = 0.8 * jitter[r] + random.nextGaussian() * sc.noise().trafficJitter() * 0.6;
            }
        }
        if (sc.rollout() != null && sc.rollout().forcedAt() != null && t == sc.rollout().forcedAt().toEpochMilli()) {
            planForcedReboots();
        }
        List<List<Attempt>> attempts = new ArrayList<>(sc.regions().size());
        for (int r = 0; r < sc.regions().size(); r++) {
            attempts.add(new ArrayList<>());
        }
        List<Action> planned = calendar.get(second);
        calendar.set(second, null);
        if (planned != null) {
            for (Action a : planned) {
                int ms = random.nextInt(1000);
                switch (a.type) {
                    case Action.BOOT -> boot(sink, a.device, a.reason, t + ms);
                    case Action.INSTALL -> install(sink, a.device, t + ms);
                    default -> attempts.get(deviceRegion[a.device]).add(
                            new Attempt(a.device, a.trigger, a.attempt, a.sessionStart, a.deferred, ms, t));
                }
            }
        }
        for (int r = 0; r < sc.regions().size(); r++) {
            background(sink, r, t, attempts.get(r));
            serve(sink, r, t, attempts.get(r));
            if (second % 10 == 9) {
                nodeHealth(sink, r, t + 999);
            }
        }
        second++;
    }

    // ------------------------------------------------------------------ traffic

    private void background(Sink sink, int r, long t, List<Attempt> attempts) {
        Scenario.Region region = sc.regions().get(r);
        int lo = regionLo[r];
        int size = regionHi[r] - lo;
        if (size == 0) {
            return;
        }
        double shape = dailyShape(region, t);
        double online = 0.7 + 0.3 * shape;
        double noise = Math.exp(jitter[r]);
        double refresh = size * online / sc.clients().tokenRefreshInterval().toSeconds();
        for (int i = poisson(refresh); i > 0; i--) {
            attempts.add(new Attempt(lo + random.nextInt(size), "TOKEN_REFRESH", 1, t, false, random.nextInt(1000), t));
        }
        double interactive = size / 1000.0 * region.interactivePerKDevices() * shape * noise * crowd(region, t);
        for (int i = poisson(interactive); i > 0; i--) {
            attempts.add(new Attempt(lo + random.nextInt(size), "INTERACTIVE", 1, t, false, random.nextInt(1000), t));
        }
        double reboots = size * sc.clients().rebootsPerDevicePerDay() / 86_400 * online;
        for (int i = poisson(reboots); i > 0; i--) {
            int d = lo + random.nextInt(size);
            boot(sink, d, armed[d] ? "UPDATE" : REASONS[random.nextInt(REASONS.length)], t + random.nextInt(1000));
        }
    }

    /**
     * Admission, then the tier. The tier serves up to its capacity per second; beyond that up to
     * {@link #QUEUE_SECONDS} of capacity waits for the next second (queued attempts that wait longer
     * than {@link #QUEUE_TIMEOUT_MS} time out), and the rest fail at once. Overload costs capacity
     * (congestion collapse). Failed clients retry with exponential backoff.
     */
    private void serve(Sink sink, int r, long t, List<Attempt> attempts) {
        Scenario.Region region = sc.regions().get(r);
        SimResult.RegionSeries series = result.regions.get(region.name());
        double capacity = region.nodes() * region.nodeCapacityPerSec();
        Instant now = Instant.ofEpochMilli(t);
        List<Attempt> admitted = new ArrayList<>(attempts.size());
        for (Attempt a : attempts) {
            series.attempts[second]++;
            if (a.attempt() == 1) {
                series.firstAttempts[second]++;
            }
            if (feed != null) {
                Decision decision = admission.decide(region.name(), AttemptClass.of(a.trigger(), a.attempt()), now);
                if (!decision.admitted()) {
                    series.throttled[second]++;
                    if (!a.deferred()) {
                        result.deferredLogins++;
                    }
                    login(sink, a, region, t + a.ms(), "THROTTLED", 2);
                    plan(second + Math.max(1, decision.retryAfterSeconds()),
                            new Action(Action.ATTEMPT, a.device(), null, a.trigger(), a.attempt() + 1, a.sessionStart(), true));
                    continue;
                }
            }
            admitted.add(a);
        }
        series.admitted[second] = admitted.size();
        series.capacity[second] = capacity;
        windowAdmitted[r] += admitted.size();
        for (int i = admitted.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Attempt tmp = admitted.get(i);
            admitted.set(i, admitted.get(j));
            admitted.set(j, tmp);
        }
        List<Attempt> waiting = queues.get(r);
        List<Attempt> candidates = new ArrayList<>(waiting.size() + admitted.size());
        candidates.addAll(waiting);
        admitted.sort(java.util.Comparator.comparingInt(Attempt::ms));
        candidates.addAll(admitted);
        waiting.clear();
        // Congestion collapse follows sustained overload (about 20 s), not a one-second burst.
        load[r] = 0.95 * load[r] + 0.05 * candidates.size() / capacity;
        double effective = load[r] <= 1 ? capacity : capacity * Math.max(0.5, 1 - 0.4 * (load[r] - 1));
        // A fluid queue: the tier works through attempts in arrival order at its effective rate.
        double serviceMs = 1000.0 / effective;
        double busyUntil = 0;
        int queueCap = (int) (QUEUE_SECONDS * capacity);
        for (Attempt a : candidates) {
            boolean carried = a.arrived() < t;
            double arrival = carried ? 0 : a.ms();
            double start = Math.max(arrival, busyUntil);
            long waitedBefore = t - a.arrived();
            if (start + serviceMs <= 1000) {
                busyUntil = start + serviceMs;
                int latency = (int) (40 + 40 * random.nextDouble() + (start - arrival)
                        + (carried ? waitedBefore - a.ms() : 0));
                login(sink, a, region, t + (long) start, "SUCCESS", latency);
                series.served[second]++;
                windowLatency.get(r).add(latency);
                if (a.deferred()) {
                    result.deferredLoginsServed++;
                    result.deferralSecondsSum += (t + start - a.sessionStart()) / 1000.0;
                }
            } else if (waiting.size() < queueCap && waitedBefore + 1000 <= QUEUE_TIMEOUT_MS) {
                waiting.add(a);
            } else {
                int latency = (int) Math.max(waitedBefore, QUEUE_TIMEOUT_MS);
                login(sink, a, region, t + a.ms(), random.nextInt(10) < 7 ? "TIMEOUT" : "FAILURE", latency);
                windowLatency.get(r).add(latency);
                series.failed[second]++;
                windowFailed[r]++;
                if (a.attempt() >= sc.clients().maxAttempts()) {
                    result.abandonedLogins++;
                } else {
                    long backoff = Math.min(sc.clients().retryBackoffMax().toMillis(),
                            sc.clients().retryBackoffBase().toMillis() << Math.min(20, a.attempt() - 1));
                    long wait = (long) (backoff * (0.5 + random.nextDouble()));
                    plan(second + (int) Math.max(1, wait / 1000),
                            new Action(Action.ATTEMPT, a.device(), null, a.trigger(), a.attempt() + 1, a.sessionStart(),
                                    a.deferred()));
                }
            }
        }
    }

    private void nodeHealth(Sink sink, int r, long t) {
        Scenario.Region region = sc.regions().get(r);
        double capacity = region.nodes() * region.nodeCapacityPerSec();
        double utilization = windowAdmitted[r] / 10.0 / capacity;
        double errorRate = windowAdmitted[r] == 0 ? 0 : windowFailed[r] / (double) windowAdmitted[r];
        List<Integer> latencies = windowLatency.get(r);
        latencies.sort(null);
        double p99 = latencies.isEmpty() ? 80 : Math.max(80, latencies.get((int) Math.floor(0.99 * (latencies.size() - 1))));
        for (int n = 0; n < region.nodes(); n++) {
            double share = utilization * (0.9 + 0.2 * random.nextDouble());
            // Each node sees its own share of the failures; it fails its health check at half.
            double nodeErrors = Math.min(1, errorRate * (0.6 + 0.8 * random.nextDouble()));
            json.setLength(0);
            json.append("{\"eventId\":\"").append(nextId()).append("\",\"eventTime\":").append(t)
                    .append(",\"type\":\"NODE_HEALTH\",\"authCluster\":\"").append(region.name())
                    .append("-auth\",\"authNode\":\"").append(region.name()).append("-auth-").append(n + 1)
                    .append("\",\"region\":\"").append(region.name()).append("\",\"capacityPerSec\":")
                    .append(region.nodeCapacityPerSec()).append(",\"inflight\":")
                    .append((long) (windowAdmitted[r] / 10.0 / region.nodes() * p99 / 1000.0)).append(",\"cpu\":")
                    .append(round(Math.min(1, share))).append(",\"p99LatencyMs\":").append((long) p99)
                    .append(",\"errorRate\":").append(round(nodeErrors)).append(",\"healthy\":")
                    .append(nodeErrors < 0.5).append('}');
            emit(sink, InputKind.TELEMETRY);
        }
        windowAdmitted[r] = 0;
        windowFailed[r] = 0;
        latencies.clear();
    }

    private void boot(Sink sink, int d, String reason, long t) {
        int r = deviceRegion[d];
        Scenario.Region region = sc.regions().get(r);
        armed[d] = false;
        result.regions.get(region.name()).boots[second]++;
        telemetry(sink, d, "BOOT", t, ",\"rebootReason\":\"" + reason + "\",\"updateId\":\"" + deviceUpdate[d] + "\"");
        if (random.nextDouble() < sc.clients().autoLoginShare()) {
            double mean = sc.clients().bootToLoginMean().toMillis();
            double delay = Math.max(5_000, mean * Math.exp(0.35 * random.nextGaussian() - 0.06));
            long at = t + (long) delay;
            int s = (int) ((at - startMs) / 1000);
            plan(s, new Action(Action.ATTEMPT, d, null, "AUTO", 1, at, false));
        }
    }

    private void install(Sink sink, int d, long t) {
        deviceUpdate[d] = sc.rollout().updateId();
        armed[d] = true;
        telemetry(sink, d, "UPDATE_INSTALLED", t,
                ",\"updateId\":\"" + sc.rollout().updateId() + "\",\"rebootRequired\":true");
    }

    // ------------------------------------------------------------------ scenario events

    private void planRollout() {
        Scenario.Rollout ro = sc.rollout();
        if (ro == null) {
            return;
        }
        long from = ro.installFrom().toEpochMilli();
        long span = Math.max(1, ro.installTo().toEpochMilli() - from);
        for (String name : ro.regions()) {
            int r = sc.regions().indexOf(sc.region(name));
            for (int d = regionLo[r]; d < regionHi[r]; d++) {
                if (random.nextDouble() < ro.share()) {
                    long at = from + (long) (random.nextDouble() * span);
                    plan((int) ((at - startMs) / 1000), new Action(Action.INSTALL, d, null, null, 0, 0, false));
                }
            }
        }
    }

    private void planForcedReboots() {
        Scenario.Rollout ro = sc.rollout();
        double up = ro.rampUp().toSeconds();
        double down = ro.rampDown().toSeconds();
        double total = up + down;
        for (String name : ro.regions()) {
            int r = sc.regions().indexOf(sc.region(name));
            for (int d = regionLo[r]; d < regionHi[r]; d++) {
                if (!armed[d]) {
                    continue;
                }
                // Triangular: rising for rampUp, falling for rampDown.
                double u = random.nextDouble();
                double offset = u < up / total ? Math.sqrt(u * total * up) : total - Math.sqrt((1 - u) * total * down);
                plan(second + (int) offset, new Action(Action.BOOT, d, "UPDATE", null, 0, 0, false));
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
        for (int d = regionLo[r]; d < regionHi[r]; d++) {
            if (random.nextDouble() < pl.share()) {
                plan(at + (int) (random.nextDouble() * pl.spread().toSeconds()),
                        new Action(Action.BOOT, d, "POWER", null, 0, 0, false));
            }
        }
    }

    private double crowd(Scenario.Region region, long t) {
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

    private void plan(int at, Action a) {
        if (at < 0 || at >= seconds) {
            return;
        }
        List<Action> list = calendar.get(at);
        if (list == null) {
            list = new ArrayList<>();
            calendar.set(at, list);
        }
        list.add(a);
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

    // ------------------------------------------------------------------ JSON

    private void login(Sink sink, Attempt a, Scenario.Region region, long time, String outcome, int latencyMs) {
        int d = a.device();
        time = disorder(time);
        json.setLength(0);
        json.append("{\"eventId\":\"").append(nextId()).append("\",\"eventTime\":\"")
                .append(Instant.ofEpochMilli(time)).append("\",\"deviceId\":\"dev-").append(d)
                .append("\",\"accountId\":\"acct-").append(d * 7919L % 1_000_003).append("\",\"region\":\"")
                .append(region.name()).append("\",\"authCluster\":\"").append(region.name())
                .append("-auth\",\"trigger\":\"").append(a.trigger()).append("\",\"attempt\":").append(a.attempt())
                .append(",\"outcome\":\"").append(outcome).append("\",\"latencyMs\":").append(latencyMs);
        attributes(d);
        json.append('}');
        emit(sink, InputKind.LOGIN);
    }

    private void telemetry(Sink sink, int d, String type, long t, String extra) {
        json.setLength(0);
        json.append("{\"eventId\":\"").append(nextId()).append("\",\"eventTime\":").append(disorder(t))
                .append(",\"type\":\"").append(type).append("\",\"deviceId\":\"dev-").append(d)
                .append("\",\"region\":\"").append(sc.regions().get(deviceRegion[d]).name()).append('"');
        attributes(d);
        json.append(extra).append('}');
        emit(sink, InputKind.TELEMETRY);
    }

    private void attributes(int d) {
        String platform = PLATFORMS[devicePlatform[d]];
        int family = platform.equals("windows") ? 0 : platform.equals("macos") ? 1 : 2;
        json.append(",\"platform\":\"").append(platform).append("\",\"osBuild\":\"")
                .append(OS_BUILDS[family][deviceBuild[d] % OS_BUILDS[family].length]).append("\",\"clientVersion\":\"")
                .append(CLIENT_VERSIONS[deviceClient[d]]).append('"');
    }

    private void emit(Sink sink, InputKind kind) {
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        sink.accept(kind, bytes);
        result.events++;
        Scenario.Noise noise = sc.noise();
        if (noise.duplicateShare() > 0 && random.nextDouble() < noise.duplicateShare()) {
            sink.accept(kind, bytes);
        }
        if (noise.malformedShare() > 0 && random.nextDouble() < noise.malformedShare()) {
            sink.accept(kind, malformed(bytes));
        }
    }

    /** A broken copy of a record, as real pipelines see them: cut short, mangled, or binary. */
    private byte[] malformed(byte[] good) {
        return switch (random.nextInt(4)) {
            case 0 -> java.util.Arrays.copyOf(good, good.length / 2);
            case 1 -> new String(good, StandardCharsets.UTF_8).replace("\"attempt\":", "\"attempt\":\"x")
                    .replace("\"type\":\"", "\"type\":\"X").getBytes(StandardCharsets.UTF_8);
            case 2 -> new byte[] {(byte) 0xC3, (byte) 0x28, 0x00, (byte) 0xFF, 0x7B};
            default -> new String(good, StandardCharsets.UTF_8).replace("\"eventTime\":", "\"eventTimeX\":")
                    .getBytes(StandardCharsets.UTF_8);
        };
    }

    private long disorder(long t) {
        long max = sc.noise().disorder().toMillis();
        return max <= 0 ? t : t - random.nextLong(max + 1);
    }

    private String nextId() {
        return "ev-" + Long.toString(sc.seed(), 36) + "-" + Long.toString(eventSeq++, 36);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
