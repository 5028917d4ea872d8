package io.stampede.deliver;

/**
 * What became of the items (Alertmanager alerts, PagerDuty events) handed to one receiver.
 *
 * @param droppedResends re-sends dropped because the receiver's queue was full
 * @param droppedFresh new states dropped because the queue was full of them
 * @param recorded alert states written to the failed-deliveries file (refused, given up or dropped)
 */
public record ReceiverCounts(String receiver, long delivered, long rejected, long gaveUp, long droppedResends,
        long droppedFresh, long recorded) {

    /** Items that did not reach the receiver (re-sends dropped for room aside: later re-sends stand in for them). */
    public long lost() {
        return rejected + gaveUp + droppedFresh;
    }
}
