package io.stampede.detect;

import io.stampede.alert.Alert;
import io.stampede.alert.AlertBook;
import io.stampede.alert.AlertContent;
import io.stampede.alert.AlertType;
import io.stampede.alert.Marking;
import io.stampede.detect.Detector.Condition;
import io.stampede.detect.Detector.Finding;
import io.stampede.detect.Detector.Step;

/**
 * The lifecycle every detector shares, written once: the detector judges the bucket, its episode
 * ({@link Hysteresis}) turns hot and calm into FIRED and RESOLVED without flapping, and the
 * segment's {@link AlertBook} turns those into alert states (FIRING, updates worth sending,
 * RESOLVED) linked into the open incident.
 */
final class Lifecycle {

    private final AlertBook.Rules rules;

    Lifecycle(AlertBook.Rules rules) {
        this.rules = rules;
    }

    /** How the controls in force mark a detector's alert, given what it says. */
    interface Marker {
        Marking mark(AlertType type, AlertContent content);

        Marker NONE = (type, content) -> Marking.NONE;
    }

    /** Runs one detector over one closed bucket; returns the alert state to emit, or null. */
    Alert run(Detector d, SegmentState s, ClosedBucket b) {
        return run(d, s, b, Marker.NONE);
    }

    /** Runs one detector over one closed bucket, its alert marked by the controls in force. */
    Alert run(Detector d, SegmentState s, ClosedBucket b, Marker marker) {
        Hysteresis episode = s.episode(d.type());
        Condition c = d.judge(s, b);
        boolean wasDisturbed = episode.isDisturbed();
        Hysteresis.Transition tr = episode.update(b.start(), b.end(), c.hot(), c.calm(), c.fireAfterMs(),
                c.clearAfterMs());
        Step step = new Step(tr, wasDisturbed, episode.isDisturbed());
        d.learn(s, b, step);
        if (tr == Hysteresis.Transition.NONE && !episode.isActive()) {
            return null;
        }
        Finding f = d.report(s, b, c, step);
        Marking m = tr == Hysteresis.Transition.RESOLVED ? Marking.NONE : marker.mark(d.type(), f.content());
        return switch (tr) {
            case FIRED -> s.alerts.fire(d.type(), episode.onset(), b.end(), f.severity(), f.content(), rules, m);
            case RESOLVED -> s.alerts.resolve(d.type(), episode.endedAt(), b.end(), f.content(), rules);
            case NONE -> c.ongoing() ? s.alerts.update(d.type(), b.end(), f.severity(), f.content(), rules, m) : null;
        };
    }
}
