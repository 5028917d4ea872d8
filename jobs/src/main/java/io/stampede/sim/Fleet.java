package io.stampede.sim;

import java.util.SplittableRandom;

/**
 * The simulated population: which region each device is in, its platform, OS build and client
 * version, the last update it installed, and whether an installed update waits for a reboot.
 * Devices are numbered; each region holds one contiguous range of them.
 */
final class Fleet {

    private static final String[] PLATFORMS = {"windows", "windows", "windows", "windows", "windows", "windows",
        "windows", "macos", "macos", "linux"};
    private static final String[][] OS_BUILDS = {
        {"win-22631.4460", "win-22631.4541", "win-26100.2314", "win-19045.5131"},
        {"macos-15.1", "macos-15.1.1", "macos-14.7"},
        {"linux-6.8", "linux-6.11"}};
    private static final String[] CLIENT_VERSIONS = {"7.4.2", "7.4.3", "7.5.0", "7.5.1", "7.3.9"};
    private static final String[] PRIOR_UPDATES = {"KB-2026-10-A", "KB-2026-10-A", "KB-2026-10-A", "KB-2026-09-B"};

    private final int[] regionLo;
    private final int[] regionHi;
    private final byte[] deviceRegion;
    private final byte[] devicePlatform;
    private final byte[] deviceBuild;
    private final byte[] deviceClient;
    private final String[] deviceUpdate;
    private final boolean[] armed;

    /** Splits the devices between the regions by their share and draws each device's attributes. */
    Fleet(Scenario scenario, SplittableRandom random) {
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
                devicePlatform[d] = (byte) p;
                deviceBuild[d] = (byte) random.nextInt(OS_BUILDS[family(PLATFORMS[p])].length);
                deviceClient[d] = (byte) random.nextInt(CLIENT_VERSIONS.length);
                deviceUpdate[d] = PRIOR_UPDATES[random.nextInt(PRIOR_UPDATES.length)];
            }
        }
    }

    /** The first device of region {@code r}. */
    int first(int r) {
        return regionLo[r];
    }

    /** One past the last device of region {@code r}. */
    int end(int r) {
        return regionHi[r];
    }

    int region(int d) {
        return deviceRegion[d];
    }

    String platform(int d) {
        return PLATFORMS[devicePlatform[d]];
    }

    String osBuild(int d) {
        String[] builds = OS_BUILDS[family(platform(d))];
        return builds[deviceBuild[d] % builds.length];
    }

    String clientVersion(int d) {
        return CLIENT_VERSIONS[deviceClient[d]];
    }

    /** The last update the device installed. */
    String updateId(int d) {
        return deviceUpdate[d];
    }

    /** Whether the device installed an update and has not rebooted since. */
    boolean armed(int d) {
        return armed[d];
    }

    void installed(int d, String updateId) {
        deviceUpdate[d] = updateId;
        armed[d] = true;
    }

    void booted(int d) {
        armed[d] = false;
    }

    private static int family(String platform) {
        return platform.equals("windows") ? 0 : platform.equals("macos") ? 1 : 2;
    }
}
