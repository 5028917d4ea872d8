package io.stampede.io;

import io.stampede.admission.AttemptClass;
import io.stampede.detect.BucketStats;
import io.stampede.event.Outcome;
import java.util.List;

/**
 * One row of a counts file ({@link CountsCsv}): one segment's counts in the interval that starts at
 * {@code time}, and how they map to and from the {@link BucketStats} the segment stage evaluates.
 * Failures and throttled attempts are among the attempts ({@code interactive + tokenRefresh + auto +
 * retries}).
 *
 * @param line the file's line it was read from (1 for the first line), or 0 for a filled-in row
 */
public record CountsRow(long time, long line, long interactive, long tokenRefresh, long auto, long retries,
        long failures, long throttled, long boots, long armedBoots) {

    /** No counts at all: an interval the file left out. */
    public static CountsRow zero(long time) {
        return new CountsRow(time, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** The counts of an evaluated bucket, as a row. */
    public static CountsRow of(BucketStats b) {
        return new CountsRow(b.bucketStart, 0, b.logins(AttemptClass.INTERACTIVE),
                b.logins(AttemptClass.TOKEN_REFRESH), b.logins(AttemptClass.AUTO), b.logins(AttemptClass.RETRY),
                b.failedLogins(), b.throttledLogins(), b.boots, b.armedBoots);
    }

    /** This row's counts and {@code other}'s, added (for the fleet as the sum of its regions). */
    public CountsRow plus(CountsRow other) {
        return new CountsRow(time, 0, interactive + other.interactive, tokenRefresh + other.tokenRefresh,
                auto + other.auto, retries + other.retries, failures + other.failures, throttled + other.throttled,
                boots + other.boots, armedBoots + other.armedBoots);
    }

    public long attempts() {
        return interactive + tokenRefresh + auto + retries;
    }

    /**
     * The bucket the segment stage evaluates for this row. Every attempt starts as a success of
     * its class; the failures, then the throttled attempts, are moved to their outcome taking
     * retries first, then automatic, token-refresh and interactive attempts: each class keeps its
     * total, and so do failures, throttled attempts and all attempts, which is all the detectors
     * read.
     */
    public BucketStats toStats(String segment) {
        BucketStats b = new BucketStats(segment, time);
        b.boots = boots;
        b.sampledBoots = boots;
        b.armedBoots = armedBoots;
        b.logins[BucketStats.cell(AttemptClass.INTERACTIVE, Outcome.SUCCESS)] = interactive;
        b.logins[BucketStats.cell(AttemptClass.TOKEN_REFRESH, Outcome.SUCCESS)] = tokenRefresh;
        b.logins[BucketStats.cell(AttemptClass.AUTO, Outcome.SUCCESS)] = auto;
        b.logins[BucketStats.cell(AttemptClass.RETRY, Outcome.SUCCESS)] = retries;
        move(b, failures, Outcome.FAILURE);
        move(b, throttled, Outcome.THROTTLED);
        return b;
    }

    private static void move(BucketStats b, long n, Outcome to) {
        for (AttemptClass c : List.of(AttemptClass.RETRY, AttemptClass.AUTO, AttemptClass.TOKEN_REFRESH,
                AttemptClass.INTERACTIVE)) {
            int success = BucketStats.cell(c, Outcome.SUCCESS);
            long taken = Math.min(n, b.logins[success]);
            b.logins[success] -= taken;
            b.logins[BucketStats.cell(c, to)] += taken;
            n -= taken;
        }
    }
}
