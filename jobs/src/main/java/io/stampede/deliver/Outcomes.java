package io.stampede.deliver;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What became of the items handed to one receiver: counted, and every alert state that did not
 * get there (refused, given up, dropped for room) written to the failed-deliveries file and logged
 * with its alertId, so nothing is lost without a trace. Thread-safe.
 */
final class Outcomes<T> {

    private static final Logger LOG = LoggerFactory.getLogger(Outcomes.class);

    private final String receiver;
    private final Function<T, String> describe;
    private final FailedDeliveryFile failures;
    private final Clock clock;
    private long delivered;
    private long rejected;
    private long gaveUp;
    private long recorded;

    /** @param describe says what an item posts, for people (never a secret) */
    Outcomes(String receiver, Function<T, String> describe, FailedDeliveryFile failures, Clock clock) {
        this.receiver = receiver;
        this.describe = describe;
        this.failures = failures;
        this.clock = clock;
    }

    /** A batch was sent, retries included, with {@code result}. */
    void sent(List<Outgoing<T>> batch, SendResult result) {
        synchronized (this) {
            switch (result.outcome()) {
                case DELIVERED -> delivered += batch.size();
                case REJECTED -> rejected += batch.size();
                case GAVE_UP -> gaveUp += batch.size();
            }
        }
        FailedDelivery.Outcome outcome = switch (result.outcome()) {
            case DELIVERED -> null;
            case REJECTED -> FailedDelivery.Outcome.REJECTED;
            case GAVE_UP -> FailedDelivery.Outcome.GAVE_UP;
        };
        for (Outgoing<T> item : batch) {
            if (outcome == null || item.isResend()) {
                item.ticket().settled();
            } else {
                record(item, outcome, result.httpStatus(), result.attempts(), result.reason());
            }
        }
    }

    /** An item was dropped from the full queue before it was sent. */
    void dropped(Outgoing<T> item, int capacity) {
        if (!item.isResend()) {
            record(item, FailedDelivery.Outcome.DROPPED, null, 0, "queue full (" + capacity + " entries): the "
                    + "receiver is slow or unreachable");
        }
    }

    /**
     * Writes the failure down and settles the item; an item that could not be written down stays
     * unsettled, so a restarted deliverer tries it again.
     */
    private void record(Outgoing<T> item, FailedDelivery.Outcome outcome, Integer httpStatus, int attempts,
            String reason) {
        FailedDelivery failure = FailedDelivery.of(clock.instant(), receiver, outcome, item.state(),
                describe.apply(item.payload()), httpStatus, attempts, reason);
        try {
            failures.append(failure);
        } catch (IOException e) {
            LOG.error("{}: alert state {} not delivered ({}, {} attempt(s)): {}; and it could not be recorded in {} "
                            + "({}): a restart will try it again", receiver, failure.alertId(), outcome, attempts, reason,
                    failures.path(), e.toString());
            return;
        }
        synchronized (this) {
            recorded++;
        }
        item.ticket().settled();
        LOG.error("{}: alert state {} not delivered ({}, {} attempt(s)): {}; recorded in {}", receiver,
                failure.alertId(), outcome, attempts, reason, failures.path());
    }

    synchronized ReceiverCounts counts(DeliveryQueue.Drops drops) {
        return new ReceiverCounts(receiver, delivered, rejected, gaveUp, drops.resends(), drops.fresh(), recorded);
    }
}
