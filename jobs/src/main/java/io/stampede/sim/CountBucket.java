package io.stampede.sim;

import io.stampede.admission.AttemptClass;
import io.stampede.event.Outcome;
import io.stampede.event.RebootReason;

/**
 * What a region's devices did in one bucket of a {@link CountSeries}, counted the way the job's
 * per-device stage counts it: distinct devices booting (by reason; armed ones by the update that
 * armed them), devices installing an update that needs a reboot, login attempts by class and
 * outcome, and the automatic logins that followed a boot of the same device with their delays.
 */
public final class CountBucket {

    /** Boot-to-login delays are counted by whole seconds, below this. */
    public static final int MAX_DELAY_SECONDS = 128;

    private static final int OUTCOMES = Outcome.values().length;

    private final long start;
    private final long[] bootsByReason;
    private final long armedBoots;
    private final long installs;
    private final String updateId;
    private final long[] logins;
    private final long[] delays;

    CountBucket(long start, long[] bootsByReason, long armedBoots, long installs, String updateId, long[] logins,
            long[] delays) {
        this.start = start;
        this.bootsByReason = bootsByReason;
        this.armedBoots = armedBoots;
        this.installs = installs;
        this.updateId = updateId;
        this.logins = logins;
        this.delays = delays;
    }

    static int cell(AttemptClass cls, Outcome outcome) {
        return cls.ordinal() * OUTCOMES + outcome.ordinal();
    }

    /** Start of the bucket, epoch ms. */
    public long start() {
        return start;
    }

    public long boots() {
        long n = 0;
        for (long b : bootsByReason) {
            n += b;
        }
        return n;
    }

    public long boots(RebootReason reason) {
        return bootsByReason[reason.ordinal()];
    }

    /** Booting devices that had installed {@link #updateId} and not rebooted since. */
    public long armedBoots() {
        return armedBoots;
    }

    /** Devices that installed {@link #updateId}, which needs a reboot: they are armed from now on. */
    public long installs() {
        return installs;
    }

    /** The update that armed devices in this bucket's installs and armed boots, or null when there are none. */
    public String updateId() {
        return updateId;
    }

    public long logins(AttemptClass cls, Outcome outcome) {
        return logins[cell(cls, outcome)];
    }

    public long logins(AttemptClass cls) {
        long n = 0;
        for (Outcome o : Outcome.values()) {
            n += logins[cell(cls, o)];
        }
        return n;
    }

    /** First attempts of every class: what clients newly ask for, before retries. */
    public long firstAttempts() {
        return logins(AttemptClass.INTERACTIVE) + logins(AttemptClass.TOKEN_REFRESH) + logins(AttemptClass.AUTO);
    }

    /** Automatic logins in this bucket whose boot-to-login delay was {@code seconds} (whole seconds). */
    public long autoLoginsAfterBoot(int seconds) {
        return delays[seconds];
    }

    /** Every automatic login in the series follows a boot of its device. */
    public long autoLoginsAfterBoot() {
        return logins(AttemptClass.AUTO);
    }
}
