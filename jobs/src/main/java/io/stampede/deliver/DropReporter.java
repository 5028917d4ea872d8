package io.stampede.deliver;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in the log when a receiver's queue dropped entries for room, with counts: at most once per
 * {@link #EVERY} while drops go on, so a long outage is visible but does not flood the log.
 */
final class DropReporter {

    private static final Logger LOG = LoggerFactory.getLogger(DropReporter.class);
    private static final Duration EVERY = Duration.ofSeconds(30);

    private final String receiver;
    private final int capacity;
    private DeliveryQueue.Drops reported = new DeliveryQueue.Drops(0, 0);
    private Instant lastReport = Instant.MIN;

    DropReporter(String receiver, int capacity) {
        this.receiver = receiver;
        this.capacity = capacity;
    }

    /** Logs the drops since the last report, unless the last report is less than {@link #EVERY} ago. */
    void report(DeliveryQueue.Drops drops, Instant now) {
        if (drops.total() > reported.total() && !now.isBefore(lastReport.plus(EVERY))) {
            log(drops);
            lastReport = now;
        }
    }

    /** Logs the drops not reported yet, whatever the time (when delivery ends). */
    void reportRemaining(DeliveryQueue.Drops drops) {
        if (drops.total() > reported.total()) {
            log(drops);
        }
    }

    private void log(DeliveryQueue.Drops drops) {
        LOG.warn("{}: queue full ({} entries): dropped {} re-send(s) and {} first send(s) since the last report "
                        + "({} and {} in all); the receiver is slow or unreachable",
                receiver, capacity, drops.resends() - reported.resends(), drops.fresh() - reported.fresh(),
                drops.resends(), drops.fresh());
        reported = drops;
    }
}
