package io.stampede.deliver;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times as receivers read them: RFC 3339, UTC, to the millisecond. */
final class Rfc3339 {

    private Rfc3339() {}

    static String format(Instant time) {
        return time.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** {@code time}, or {@code now} if that is earlier. */
    static Instant notAfter(String time, Instant now) {
        Instant t = Instant.parse(time);
        return t.isAfter(now) ? now : t;
    }
}
