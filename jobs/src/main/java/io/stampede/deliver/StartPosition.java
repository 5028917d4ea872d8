package io.stampede.deliver;

/**
 * Where the deliverer starts reading one partition of the alerts topic, and up to where what it
 * reads is history: states delivered before (or, on a first start, before it existed) that are
 * read only to learn which alerts still fire, so Alertmanager goes on hearing about them.
 *
 * @param start the first offset to read
 * @param restoreUntil offsets below this are history, from this on new
 */
record StartPosition(long start, long restoreUntil) {

    /**
     * @param committed the group's committed offset, or {@code null} on a first start
     * @param atLookback the first offset at or after now − lookback, or {@code null} if none
     * @param end the offset the next record will get
     */
    static StartPosition of(Long committed, Long atLookback, long end) {
        long lookbackStart = atLookback == null ? end : atLookback;
        if (committed == null) {
            // Never delivered from here: page only what happens from now on, but let
            // Alertmanager hear of every alert that still fires.
            return new StartPosition(lookbackStart, end);
        }
        // Re-read the lookback to learn what still fires; a committed offset older still (the
        // deliverer was down longer) means everything since it is yet to be delivered.
        return new StartPosition(Math.min(committed, lookbackStart), committed);
    }
}
