package io.stampede.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), 5);

    @Test
    void waitDoublesPerFailedAttemptUpToTheMaximumWithJitterInTheUpperHalf() {
        SplittableRandom random = new SplittableRandom(7);
        long[] steps = {500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000};
        for (int failed = 1; failed <= steps.length; failed++) {
            long step = steps[failed - 1];
            for (int i = 0; i < 1_000; i++) {
                long wait = policy.delay(failed, Optional.empty(), random.nextDouble()).toMillis();
                assertThat(wait).as("wait after %d failed attempts", failed).isBetween(step / 2, step);
            }
            assertThat(policy.delay(failed, Optional.empty(), 0.0).toMillis()).isEqualTo(step / 2);
            assertThat(policy.delay(failed, Optional.empty(), 0.999_999).toMillis()).isEqualTo(step);
        }
    }

    @Test
    void jitterSpreadsTheWaitsOfSendersFailingTogether() {
        SplittableRandom random = new SplittableRandom(11);
        long distinct = IntStream.range(0, 100)
                .mapToLong(i -> policy.delay(3, Optional.empty(), random.nextDouble()).toMillis())
                .distinct().count();
        assertThat(distinct).isGreaterThan(50);
    }

    @Test
    void retryAfterRaisesTheWaitButNeverBeyondTheMaximum() {
        assertThat(policy.delay(1, Optional.of(Duration.ofSeconds(7)), 0.5)).isEqualTo(Duration.ofSeconds(7));
        assertThat(policy.delay(1, Optional.of(Duration.ofMillis(10)), 0.0)).isEqualTo(Duration.ofMillis(250));
        assertThat(policy.delay(1, Optional.of(Duration.ofMinutes(10)), 0.5)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");
        assertThat(RetryPolicy.retryAfter(Optional.of("12"), now)).contains(Duration.ofSeconds(12));
        assertThat(RetryPolicy.retryAfter(Optional.of("Fri, 27 Nov 2026 10:00:05 GMT"), now))
                .contains(Duration.ofSeconds(5));
        assertThat(RetryPolicy.retryAfter(Optional.of("Fri, 27 Nov 2026 09:00:00 GMT"), now)).contains(Duration.ZERO);
        assertThat(RetryPolicy.retryAfter(Optional.of("soon"), now)).isEmpty();
        assertThat(RetryPolicy.retryAfter(Optional.empty(), now)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"429, true", "500, true", "502, true", "503, true", "400, false", "401, false", "403, false",
            "404, false", "413, false"})
    void overloadAndServerErrorsAreRetriedOtherRefusalsNot(int status, boolean retried) {
        assertThat(RetryPolicy.retryable(status)).isEqualTo(retried);
    }
}
