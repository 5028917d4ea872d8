package io.stampede.sim;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What the fleet simulator plays: the fleet and its regions, their auth tiers, the normal daily
 * traffic, and the events that disturb it (an update rollout followed by a forced reboot wave, a
 * power loss, a flash crowd). All randomness derives from {@code seed}, so a scenario plays the
 * same every time.
 */
public record Scenario(
        String name,
        long seed,
        int devices,
        Instant start,
        Duration duration,
        List<Region> regions,
        Clients clients,
        Noise noise,
        Rollout rollout,
        PowerLoss powerLoss,
        FlashCrowd flashCrowd) implements Serializable {

    /**
     * @param share share of the fleet in this region
     * @param utcOffsetHours local time of the region, for its daily shape
     * @param interactivePerKDevices interactive logins per second per 1,000 devices at the daily peak
     */
    public record Region(String name, double share, double utcOffsetHours, int nodes, double nodeCapacityPerSec,
            double interactivePerKDevices) implements Serializable {}

    /** How clients behave. */
    public record Clients(
            Duration tokenRefreshInterval,
            double rebootsPerDevicePerDay,
            double autoLoginShare,
            Duration bootToLoginMean,
            Duration retryBackoffBase,
            Duration retryBackoffMax,
            int maxAttempts) implements Serializable {}

    /** Imperfections of real input: duplicates, disorder, malformed records. */
    public record Noise(double duplicateShare, Duration disorder, double malformedShare, double trafficJitter)
            implements Serializable {}

    /**
     * An update installed by a share of each listed region's devices during the rollout window,
     * each needing a reboot, then forced: the armed devices reboot from {@code forcedAt}, the
     * reboot rate rising for {@code rampUp} and falling for {@code rampDown}.
     */
    public record Rollout(String updateId, List<String> regions, double share, Instant installFrom,
            Instant installTo, Instant forcedAt, Duration rampUp, Duration rampDown) implements Serializable {}

    /** A share of a region's devices lose power and boot again within {@code spread}. */
    public record PowerLoss(String region, Instant at, double share, Duration spread) implements Serializable {}

    /** Interactive logins of a region jump by {@code multiplier} for {@code duration}. */
    public record FlashCrowd(String region, Instant at, Duration duration, double multiplier) implements Serializable {}

    /** When the scenario's disturbance begins (forced reboots, power loss or flash crowd), or null. */
    public Instant onset() {
        if (rollout != null && rollout.forcedAt() != null) {
            return rollout.forcedAt();
        }
        if (powerLoss != null) {
            return powerLoss.at();
        }
        return flashCrowd == null ? null : flashCrowd.at();
    }

    public Instant end() {
        return start.plus(duration);
    }

    public Region region(String name) {
        for (Region r : regions) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no region " + name + " in scenario " + this.name);
    }

    public Scenario withSeed(long newSeed) {
        return new Scenario(name, newSeed, devices, start, duration, regions, clients, noise, rollout, powerLoss,
                flashCrowd);
    }

    public Scenario withDuration(Duration newDuration) {
        return new Scenario(name, seed, devices, start, newDuration, regions, clients, noise, rollout, powerLoss,
                flashCrowd);
    }

    public Scenario withNoise(Noise newNoise) {
        return new Scenario(name, seed, devices, start, duration, regions, clients, newNoise, rollout, powerLoss,
                flashCrowd);
    }

    /** The same scenario with its update rolled out to these regions only (a wave in one region, or in several). */
    public Scenario withRolloutRegions(List<String> names) {
        names.forEach(this::region);
        Rollout r = new Rollout(rollout.updateId(), List.copyOf(names), rollout.share(), rollout.installFrom(),
                rollout.installTo(), rollout.forcedAt(), rollout.rampUp(), rollout.rampDown());
        return new Scenario(name, seed, devices, start, duration, regions, clients, noise, r, powerLoss, flashCrowd);
    }

    // ------------------------------------------------------------------ presets

    /** The scenarios {@code --scenario} knows. */
    public static final List<String> PRESETS = List.of("update-wave", "power-loss", "flash-crowd", "quiet-day");

    static final Instant DAY = Instant.parse("2026-11-24T00:00:00Z");

    /** The fleet size the presets' auth tiers are sized for; other sizes scale node capacity alike. */
    public static final int REFERENCE_DEVICES = 300_000;

    /**
     * A preset by name, for {@code devices} devices. Auth node capacity scales with the fleet, so a
     * smaller fleet plays the same story (the same utilisation) with fewer events.
     */
    public static Scenario preset(String name, int devices, long seed) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "update-wave" -> updateWave(devices, seed);
            case "power-loss" -> powerLoss(devices, seed);
            case "flash-crowd" -> flashCrowd(devices, seed);
            case "quiet-day" -> quietDay(devices, seed);
            default -> throw new IllegalArgumentException("unknown scenario \"" + name + "\"; known: "
                    + String.join(", ", PRESETS));
        };
    }

    static List<Region> defaultRegions(int devices) {
        double scale = devices / (double) REFERENCE_DEVICES;
        return List.of(
                new Region("us-east", 0.40, -5, 4, 40 * scale, 0.20),
                new Region("eu-west", 0.35, 0, 4, 25 * scale, 0.20),
                new Region("ap-south", 0.25, 5.5, 3, 30 * scale, 0.20));
    }

    static Clients defaultClients() {
        return new Clients(Duration.ofMinutes(60), 1.0, 0.9, Duration.ofSeconds(40), Duration.ofSeconds(5),
                Duration.ofSeconds(60), 8);
    }

    static Noise defaultNoise() {
        return new Noise(0.002, Duration.ofSeconds(2), 0.0, 0.08);
    }

    /**
     * The default: an update rolled out to eu-west and us-east during the night, then forced at
     * 08:00 UTC; eu-west's auth tier cannot take the wave of automatic logins it brings.
     */
    public static Scenario updateWave(int devices, long seed) {
        Instant start = DAY.plus(Duration.ofHours(6));
        return new Scenario("update-wave", seed, devices, start, Duration.ofMinutes(150), defaultRegions(devices), defaultClients(), defaultNoise(),
                new Rollout("KB-2026-11-A", List.of("eu-west", "us-east"), 0.55, start.plus(Duration.ofMinutes(5)),
                        start.plus(Duration.ofMinutes(90)), start.plus(Duration.ofMinutes(120)), Duration.ofMinutes(8),
                        Duration.ofMinutes(12)),
                null, null);
    }

    /** A power loss in ap-south: a fifth of its devices boot again within two minutes. */
    public static Scenario powerLoss(int devices, long seed) {
        Instant start = DAY.plus(Duration.ofHours(6));
        return new Scenario("power-loss", seed, devices, start, Duration.ofMinutes(60), defaultRegions(devices), defaultClients(), defaultNoise(),
                new Rollout("KB-2026-10-C", List.of("us-east", "eu-west", "ap-south"), 0.6,
                        start.plus(Duration.ofMinutes(1)), start.plus(Duration.ofMinutes(25)), null, null, null),
                new PowerLoss("ap-south", start.plus(Duration.ofMinutes(40)), 0.2, Duration.ofMinutes(2)), null);
    }

    /** A flash crowd: interactive logins in us-east jump fivefold for fifteen minutes. */
    public static Scenario flashCrowd(int devices, long seed) {
        Instant start = DAY.plus(Duration.ofHours(13));
        return new Scenario("flash-crowd", seed, devices, start, Duration.ofMinutes(60), defaultRegions(devices), defaultClients(), defaultNoise(),
                null, null, new FlashCrowd("us-east", start.plus(Duration.ofMinutes(35)), Duration.ofMinutes(15), 5.0));
    }

    /** A whole day of normal traffic with its daily shape, benign noise and nothing else. */
    public static Scenario quietDay(int devices, long seed) {
        return new Scenario("quiet-day", seed, devices, DAY, Duration.ofHours(24), defaultRegions(devices), defaultClients(), defaultNoise(), null,
                null, null);
    }
}
