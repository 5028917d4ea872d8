package io.stampede.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.admission.ThrottleDirective.ClassPolicy;
import io.stampede.admission.ThrottleDirective.RetryAfter;
import io.stampede.admission.ThrottleDirective.TriggerPolicy;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdmissionControllerTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private final AdmissionController controller = new AdmissionController(new SplittableRandom(1));

    private static ThrottleDirective directive(String issued, String expires, double autoFraction) {
        return new ThrottleDirective("d-" + issued, "eu", issued, expires, ThrottleDirective.State.THROTTLE, 85.0,
                new TriggerPolicy(ClassPolicy.ADMIT_ALL, ClassPolicy.ADMIT_ALL, ClassPolicy.admitting(autoFraction),
                        ClassPolicy.admitting(0)),
                new RetryAfter(20, 80), "a1", "inc", "test");
    }

    @Test
    void admitsEverythingWithoutADirective() {
        assertThat(controller.decide("eu", AttemptClass.AUTO, NOW).admitted()).isTrue();
    }

    @Test
    void followsTheDirectivesFractionsPerClass() {
        controller.apply(directive("2026-11-26T09:59:50Z", "2026-11-26T10:01:50Z", 0.25));
        int admitted = 0;
        for (int i = 0; i < 10_000; i++) {
            if (controller.decide("eu", AttemptClass.AUTO, NOW).admitted()) {
                admitted++;
            }
        }
        assertThat(admitted).isBetween(2300, 2700);
        assertThat(controller.decide("eu", AttemptClass.INTERACTIVE, NOW).admitted()).isTrue();
        assertThat(controller.decide("eu", "AUTO", 3, NOW).admitted()).as("a retry").isFalse();
        assertThat(controller.decide("us", AttemptClass.RETRY, NOW).admitted()).as("another region").isTrue();
    }

    @Test
    void deferredClientsAreToldJitteredRetryAfterWithinTheWindow() {
        controller.apply(directive("2026-11-26T09:59:50Z", "2026-11-26T10:01:50Z", 0));
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int i = 0; i < 2000; i++) {
            Decision d = controller.decide("eu", AttemptClass.AUTO, NOW);
            assertThat(d.admitted()).isFalse();
            min = Math.min(min, d.retryAfterSeconds());
            max = Math.max(max, d.retryAfterSeconds());
        }
        assertThat(min).isEqualTo(20);
        assertThat(max).isEqualTo(80);
    }

    @Test
    void failsOpenOnceTheDirectiveExpires() {
        controller.apply(directive("2026-11-26T09:57:00Z", "2026-11-26T09:59:00Z", 0));
        Decision d = controller.decide("eu", AttemptClass.AUTO, NOW);
        assertThat(d.admitted()).isTrue();
        assertThat(d.reason()).contains("expired");
    }

    @Test
    void anOlderDirectiveDoesNotReplaceANewerOne() {
        assertThat(controller.apply(directive("2026-11-26T09:59:50Z", "2026-11-26T10:01:50Z", 0))).isTrue();
        assertThat(controller.apply(directive("2026-11-26T09:59:00Z", "2026-11-26T10:05:00Z", 1))).isFalse();
        assertThat(controller.decide("eu", AttemptClass.AUTO, NOW).admitted()).isFalse();
    }

    @Test
    void aLiftedDirectiveAdmitsAll() {
        controller.apply(new ThrottleDirective("d2", "eu", "2026-11-26T09:59:59Z", "2026-11-26T10:01:59Z",
                ThrottleDirective.State.LIFTED, null, TriggerPolicy.ADMIT_ALL, new RetryAfter(0, 0), null, null, "lifted"));
        assertThat(controller.decide("eu", AttemptClass.RETRY, NOW).admitted()).isTrue();
    }
}
