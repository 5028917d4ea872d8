package io.stampede.deliver;

import io.stampede.alert.Alert;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The link that leads from a delivered alert back to where it can be looked into (a dashboard, the
 * Flink UI), from {@code delivery.alertmanager.generatorUrl}: {@code {dedupKey}}, {@code {incident}},
 * {@code {region}} and {@code {type}} are filled in; a template without any gets
 * {@code ?dedupKey=<dedupKey>} appended, so each alert's link still names the alert.
 */
final class GeneratorUrl {

    private static final String[] PLACEHOLDERS = {"{dedupKey}", "{incident}", "{region}", "{type}"};

    private final String template;

    GeneratorUrl(String template) {
        this.template = template;
    }

    Optional<String> of(Alert a) {
        if (template.isBlank()) {
            return Optional.empty();
        }
        boolean templated = false;
        for (String p : PLACEHOLDERS) {
            templated |= template.contains(p);
        }
        if (!templated) {
            return Optional.of(template + (template.contains("?") ? "&" : "?") + "dedupKey=" + encode(a.dedupKey()));
        }
        return Optional.of(template
                .replace("{dedupKey}", encode(a.dedupKey()))
                .replace("{incident}", encode(a.incidentId()))
                .replace("{region}", encode(a.region()))
                .replace("{type}", encode(a.type().name())));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
