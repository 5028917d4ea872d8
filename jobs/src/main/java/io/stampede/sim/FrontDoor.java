package io.stampede.sim;

import io.stampede.admission.AdmissionController;
import io.stampede.admission.AttemptClass;
import io.stampede.admission.Decision;
import io.stampede.admission.ThrottleDirective;
import io.stampede.event.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The auth tier's front door. When Stampede's directives are followed it applies them with
 * Stampede's own {@link AdmissionController}: a deferred client is told to come back later and
 * does, after the retry-after it was told. Without directives it admits everything.
 */
final class FrontDoor {

    private final FleetSimulator.DirectiveFeed feed;
    private final long directiveDelayMs;
    private final AdmissionController admission;
    private final SimResult result;
    private final EventRecords records;
    private final Calendar calendar;

    FrontDoor(FleetSimulator.DirectiveFeed feed, long directiveDelayMs, AdmissionController admission,
            SimResult result, EventRecords records, Calendar calendar) {
        this.feed = feed;
        this.directiveDelayMs = directiveDelayMs;
        this.admission = admission;
        this.result = result;
        this.records = records;
        this.calendar = calendar;
    }

    /** Applies the directives that have reached the front door by event time {@code t}. */
    void follow(long t) {
        if (feed == null) {
            return;
        }
        for (ThrottleDirective d : feed.poll(t - directiveDelayMs)) {
            if (admission.apply(d)) {
                result.directivesApplied++;
            }
        }
    }

    /** Counts the attempts of a second in a region and returns those admitted; the others are told to wait. */
    List<Attempt> admit(FleetSimulator.Sink sink, Scenario.Region region, long t, int second, List<Attempt> attempts) {
        SimResult.RegionSeries series = result.regions.get(region.name());
        Instant now = Instant.ofEpochMilli(t);
        List<Attempt> admitted = new ArrayList<>(attempts.size());
        for (Attempt a : attempts) {
            series.attempts[second]++;
            if (a.attempt() == 1) {
                series.firstAttempts[second]++;
            }
            if (feed != null) {
                Decision decision = admission.decide(region.name(), AttemptClass.of(a.trigger().name(), a.attempt()),
                        now);
                if (!decision.admitted()) {
                    series.throttled[second]++;
                    if (!a.deferred()) {
                        result.deferredLogins++;
                    }
                    records.login(sink, a, t + a.ms(), Outcome.THROTTLED, 2);
                    calendar.plan(second + Math.max(1, decision.retryAfterSeconds()),
                            Calendar.Action.attempt(a.device(), a.trigger(), a.attempt() + 1, a.sessionStart(), true));
                    continue;
                }
            }
            admitted.add(a);
        }
        return admitted;
    }
}
