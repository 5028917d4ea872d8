package io.stampede.report;

import io.stampede.alert.AlertType;
import java.util.List;

/**
 * The figures of one scorecard run (one scenario, region size and seed), as {@link Scoring}
 * measured them from its alerts. A "new alert" is the first FIRING state of a dedupKey: the one
 * notification a person gets; updates and resolutions of it are not counted again.
 *
 * @param detections per expected type, the delay from the onset to its first new alert
 * @param falseAlarms new alerts the scenario's expectation does not allow, in the labelled part
 * @param historyAlarms new alerts during the history before the labelled part (learning; not scored)
 * @param alarmsPerDay new alerts on each day of the series, from day 1 ({@link Expectation.Kind#LEARNS_DAILY})
 * @param newNormal the alert a lasting change raised ({@link Expectation.Kind#NEW_NORMAL}), or null
 * @param targetMet whether the run meets its scenario's target
 */
public record RunScore(String scenario, int devices, long seed, List<Detection> detections, List<Alarm> falseAlarms,
        int historyAlarms, List<Integer> alarmsPerDay, NewNormal newNormal, boolean targetMet) {

    /** @param delaySeconds from the onset to the alert's bucket end; null when it was missed */
    public record Detection(AlertType type, Long delaySeconds) {
        public boolean missed() {
            return delaySeconds == null;
        }
    }

    /** A new alert, at its detection time (RFC 3339). */
    public record Alarm(AlertType type, String at) {}

    /**
     * @param alert the first new alert after the change, or null if none fired
     * @param resolved whether it resolved before the series ended
     * @param openSeconds from its firing to its resolution, or to the end of the series
     */
    public record NewNormal(Alarm alert, boolean resolved, long openSeconds) {}
}
