package io.stampede.deliver;

import io.stampede.alert.Alert;
import io.stampede.alert.Severity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps Stampede alerts to PagerDuty events; which events to send is {@link OpenIncidents}' call. */
final class PagerDutyMapping {

    static final int MAX_SUMMARY = 1024;
    static final int MAX_DEDUP_KEY = 255;
    /** What Stampede guards: the login tier of the region. */
    static final String COMPONENT = "auth-tier";
    static final String CLIENT = "Stampede";

    private final GeneratorUrl generatorUrl;

    PagerDutyMapping(String generatorUrlTemplate) {
        this.generatorUrl = new GeneratorUrl(generatorUrlTemplate);
    }

    PagerDutyEvent trigger(Alert a) {
        var payload = new PagerDutyEvent.Payload(
                summary(a.summary()),
                "stampede/" + a.region(),
                a.expected() ? "info" : severity(a.severity()),
                a.detectedAt(),
                COMPONENT,
                a.region(),
                a.type().name(),
                details(a));
        return new PagerDutyEvent(PagerDutyEvent.TRIGGER, dedupKey(a.incidentId()), payload, links(a), CLIENT);
    }

    PagerDutyEvent resolve(Alert a) {
        return new PagerDutyEvent(PagerDutyEvent.RESOLVE, dedupKey(a.incidentId()), null, List.of(), CLIENT);
    }

    /** PagerDuty's four severities; Stampede has no level between warning and critical to call error. */
    static String severity(Severity s) {
        return switch (s) {
            case CRITICAL -> "critical";
            case WARNING -> "warning";
            case INFO -> "info";
        };
    }

    /**
     * The incidentId, which Stampede keeps short; one longer than PagerDuty accepts is replaced by
     * its digest, which is just as stable.
     */
    static String dedupKey(String incidentId) {
        if (incidentId.length() <= MAX_DEDUP_KEY) {
            return incidentId;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(incidentId.getBytes(StandardCharsets.UTF_8));
            return "stampede-" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String summary(String summary) {
        return summary.length() <= MAX_SUMMARY ? summary : summary.substring(0, MAX_SUMMARY - 1) + "…";
    }

    private static Map<String, Object> details(Alert a) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("type", a.type().name());
        d.put("region", a.region());
        d.put("severity", a.severity().name());
        // Announced by an operator (a maintenance window): such alerts do not page, and OpenIncidents
        // does not send them; the mapping still says so plainly for anyone who maps one.
        d.put("expected", a.expected());
        if (a.controlId() != null) {
            d.put("controlId", a.controlId());
        }
        d.put("incidentId", a.incidentId());
        d.put("alertId", a.alertId());
        d.put("dedupKey", a.dedupKey());
        d.put("sequence", a.sequence());
        d.put("startsAt", a.startsAt());
        d.put("detectedAt", a.detectedAt());
        d.put("description", AlertDescription.of(a));
        d.put("evidence", a.evidence());
        d.put("attribution", a.attribution());
        if (a.forecast() != null) {
            d.put("forecast", a.forecast());
        }
        if (a.relatedRegions() != null && !a.relatedRegions().isEmpty()) {
            d.put("relatedRegions", a.relatedRegions());
        }
        d.put("runbook", a.runbook());
        return d;
    }

    /** PagerDuty shows links as clickable: only absolute ones are worth sending. */
    private List<PagerDutyEvent.Link> links(Alert a) {
        List<PagerDutyEvent.Link> links = new ArrayList<>(2);
        if (a.runbook().startsWith("https://") || a.runbook().startsWith("http://")) {
            links.add(new PagerDutyEvent.Link(a.runbook(), "Runbook: " + a.type().runbookAnchor()));
        }
        generatorUrl.of(a).ifPresent(url -> links.add(new PagerDutyEvent.Link(url, "Stampede: " + a.dedupKey())));
        return links;
    }
}
