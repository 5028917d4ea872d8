package io.stampede.deliver;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/**
 * One {@code postableAlert} of Alertmanager's API v2. Alertmanager identifies an alert by its
 * labels alone, so they hold only what stays the same for the alert's whole life.
 *
 * @param endsAt {@code null} while firing: Alertmanager then keeps the alert active for its
 *     resolve_timeout after each post, which is why firing alerts are re-posted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertmanagerAlert(
        Map<String, String> labels,
        Map<String, String> annotations,
        String startsAt,
        String endsAt,
        @JsonProperty("generatorURL") String generatorUrl) {

    /** The same alert, ended at {@code time}. */
    AlertmanagerAlert endingAt(Instant time) {
        return new AlertmanagerAlert(labels, annotations, startsAt, Rfc3339.format(time), generatorUrl);
    }
}
