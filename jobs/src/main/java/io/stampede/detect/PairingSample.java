package io.stampede.detect;

import java.io.Serializable;

/**
 * The devices whose first automatic logins are paired with their boots (setting
 * {@code forecast.pairingSample}: one device in N). What the pairs teach, the share of booted
 * devices that log in by themselves and the delay until they do, is a ratio and a distribution: a
 * sample of devices gives it, with the boots of the same devices as its denominator
 * ({@link BucketStats#sampledBoots}). The other devices' first automatic logins need no device
 * history and are counted where they are parsed, like every other login.
 *
 * <p>Membership is a function of the device id alone, the same on every machine and run (a replay
 * equals the live run), and independent of the key group Flink gives the device (so the sampled
 * devices spread over every parallel instance).
 */
public final class PairingSample implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int oneIn;

    /** @param oneIn one device in this many is in the sample; 1: every device */
    public PairingSample(int oneIn) {
        if (oneIn < 1) {
            throw new IllegalArgumentException("one device in " + oneIn + ": must be at least 1");
        }
        this.oneIn = oneIn;
    }

    public static PairingSample everyDevice() {
        return new PairingSample(1);
    }

    public boolean contains(String deviceId) {
        if (oneIn == 1) {
            return true;
        }
        // String.hashCode is fixed by the language; Flink's key groups take murmur of it, so a
        // different mix (SplitMix64's finalizer) keeps the sample from following the key groups.
        long z = deviceId.hashCode() * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return Long.remainderUnsigned(z, oneIn) == 0;
    }
}
