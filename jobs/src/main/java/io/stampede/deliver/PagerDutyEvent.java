package io.stampede.deliver;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One event of PagerDuty's Events API v2, without its routing key: the key is a secret, added only
 * when the event is posted, so an event can be logged or printed as it is.
 *
 * @param payload {@code null} for a resolve
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PagerDutyEvent(
        @JsonProperty("event_action") String eventAction,
        @JsonProperty("dedup_key") String dedupKey,
        Payload payload,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Link> links,
        String client) {

    public static final String TRIGGER = "trigger";
    public static final String RESOLVE = "resolve";

    /** What the page shows. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Payload(
            String summary,
            String source,
            String severity,
            String timestamp,
            String component,
            String group,
            @JsonProperty("class") String eventClass,
            @JsonProperty("custom_details") Map<String, Object> customDetails) {}

    public record Link(String href, String text) {}
}
