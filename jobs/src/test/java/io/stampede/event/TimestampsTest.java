package io.stampede.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    @Test
    void agreesWithJavaTimeOnManyInstants() {
        Random r = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            long ms = (long) (r.nextDouble() * 253402300799999L);
            String text = Instant.ofEpochMilli(ms).toString();
            assertThat(Timestamps.parse(text)).as(text).isEqualTo(ms);
            String offset = OffsetDateTime.ofInstant(Instant.ofEpochMilli(ms), java.time.ZoneOffset.ofHoursMinutes(-3, -30))
                    .toString();
            if (offset.length() > 19 && offset.charAt(16) == ':') {
                assertThat(Timestamps.parse(offset)).as(offset).isEqualTo(ms);
            }
        }
    }

    @Test
    void keepsMillisecondsAndDropsFinerDigits() {
        assertThat(Timestamps.parse("2026-11-26T10:00:00.123456789Z")).isEqualTo(1795687200123L);
        assertThat(Timestamps.parse("2026-11-26T10:00:00.1Z")).isEqualTo(1795687200100L);
    }

    @Test
    void knowsLeapYears() {
        assertThat(Timestamps.parse("2024-02-29T00:00:00Z")).isEqualTo(Instant.parse("2024-02-29T00:00:00Z").toEpochMilli());
        assertThatThrownBy(() -> Timestamps.parse("2026-02-29T00:00:00Z")).hasMessageContaining("day out of range");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-26T10:00:00", "2026-11-26 10:00:00Z", "2026-11-26T25:00:00Z", "2026-13-01T00:00:00Z",
        "2026-11-26T10:00:60Z", "2026-11-26T10:00:00.Z", "2026-11-26T10:00:00+0100", "2026-11-26T10:00:00z", "nonsense"})
    void refusesWhatRfc3339DoesNotAllow(String text) {
        assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an RFC 3339 date-time");
    }

    @Test
    void writesUtcWithMillisecondsWhenThereAreAny() {
        assertThat(Timestamps.format(1795687200000L)).isEqualTo("2026-11-26T10:00:00Z");
        assertThat(Timestamps.format(1795687200120L)).isEqualTo("2026-11-26T10:00:00.120Z");
    }
}
