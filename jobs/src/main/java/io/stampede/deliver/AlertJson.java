package io.stampede.deliver;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.stampede.alert.Alert;
import io.stampede.io.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads alert states as Stampede writes them (one JSON object per Kafka record or line). Fields
 * added by a newer Stampede are ignored; an alert without what delivery needs is refused.
 */
public final class AlertJson {

    private static final ObjectReader READER = Json.MAPPER.readerFor(Alert.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private AlertJson() {}

    /** @throws IOException if the bytes are not an alert, saying why */
    public static Alert read(byte[] json) throws IOException {
        return checked(READER.readValue(json));
    }

    /** @throws IOException if the text is not an alert, saying why */
    public static Alert read(String json) throws IOException {
        return checked(READER.readValue(json));
    }

    private static Alert checked(Alert a) throws IOException {
        if (a == null) {
            throw new IOException("not an alert: null");
        }
        require(a.dedupKey(), "dedupKey");
        require(a.incidentId(), "incidentId");
        require(a.type(), "type");
        require(a.status(), "status");
        require(a.severity(), "severity");
        require(a.region(), "region");
        require(a.startsAt(), "startsAt");
        require(a.detectedAt(), "detectedAt");
        require(a.summary(), "summary");
        require(a.runbook(), "runbook");
        require(a.attribution(), "attribution");
        require(a.evidence(), "evidence");
        require(a.evidence().window(), "evidence.window");
        if (!a.isFiring()) {
            require(a.endsAt(), "endsAt (a resolved alert has one)");
        }
        time(a.startsAt(), "startsAt");
        time(a.detectedAt(), "detectedAt");
        if (a.endsAt() != null) {
            time(a.endsAt(), "endsAt");
        }
        return a;
    }

    private static void time(String value, String field) throws IOException {
        try {
            Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IOException(field + " \"" + value + "\" is not an RFC 3339 time");
        }
    }

    private static void require(Object value, String field) throws IOException {
        if (value == null) {
            throw new IOException("alert without " + field);
        }
    }
}
