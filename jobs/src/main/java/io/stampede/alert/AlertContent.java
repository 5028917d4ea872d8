package io.stampede.alert;

import java.util.List;

/**
 * The parts of an alert a detector fills in; the lifecycle ({@link AlertBook}) adds identity,
 * status, sequence and incident.
 *
 * @param causeKey what the alert attributes itself to (e.g. {@code updateId=KB5031}); a change of
 *     cause is worth an update
 */
public record AlertContent(
        String summary,
        Evidence evidence,
        List<Attribution> attribution,
        Forecast forecast,
        String causeKey) {}
