package io.stampede.deliver;

import java.net.URI;

/** The receivers' API paths under their configured base URLs. */
final class Endpoints {

    static final String ALERTMANAGER_ALERTS = "/api/v2/alerts";
    static final String PAGERDUTY_ENQUEUE = "/v2/enqueue";

    private Endpoints() {}

    /** {@code base} with {@code path} appended, whether or not base ends with a slash. */
    static URI resolve(String base, String path) {
        String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return URI.create(trimmed + path);
    }
}
