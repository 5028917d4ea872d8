package io.stampede.deliver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in for PagerDuty's Events API v2 on 127.0.0.1: it checks every request against the API's
 * contract and answers like PagerDuty (202 for a valid event, 400 with the errors otherwise), or
 * with the statuses a test scripts first.
 */
final class PagerDutyStub implements AutoCloseable {

    /** One request as received: its event, what was wrong with it, the status it got. */
    record Received(JsonNode event, List<String> violations, int status) {
        String action() {
            return event.path("event_action").asText();
        }

        String dedupKey() {
            return event.path("dedup_key").asText();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP_LEVEL = Set.of("routing_key", "event_action", "dedup_key", "payload",
            "images", "links", "client", "client_url");
    private static final Set<String> PAYLOAD = Set.of("summary", "source", "severity", "timestamp", "component",
            "group", "class", "custom_details");
    private static final Set<String> ACTIONS = Set.of("trigger", "acknowledge", "resolve");
    private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");

    private final HttpServer server;
    private final String routingKey;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Integer> scripted = new ArrayDeque<>();
    private volatile CountDownLatch hold;

    PagerDutyStub(String routingKey) throws IOException {
        this.routingKey = routingKey;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v2/enqueue", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next requests get these statuses, whatever they hold; then the contract decides again. */
    synchronized void answerNext(int... statuses) {
        for (int s : statuses) {
            scripted.addLast(s);
        }
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** Requests PagerDuty would have accepted. */
    List<Received> accepted() {
        return received.stream().filter(r -> r.status() == 202).toList();
    }

    /**
     * From now on every request is taken as usual but answered only on {@link #release}: a client
     * that dies meanwhile never learns that PagerDuty took its event. (One request at a time: the
     * server has one thread.)
     */
    void holdAnswers() {
        hold = new CountDownLatch(1);
    }

    /** Answers the held request and stops holding. */
    void release() {
        CountDownLatch h = hold;
        hold = null;
        if (h != null) {
            h.countDown();
        }
    }

    /**
     * The incidents PagerDuty would have opened, by dedup_key, from the events it accepted: a
     * trigger opens one when none is open under its key (that is a page), a resolve closes it.
     */
    Map<String, Integer> incidentsOpened() {
        Map<String, Integer> opened = new LinkedHashMap<>();
        Set<String> open = new HashSet<>();
        for (Received r : accepted()) {
            if (r.action().equals("trigger") && open.add(r.dedupKey())) {
                opened.merge(r.dedupKey(), 1, Integer::sum);
            } else if (r.action().equals("resolve")) {
                open.remove(r.dedupKey());
            }
        }
        return opened;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        List<String> violations = new ArrayList<>();
        JsonNode event = JSON.createObjectNode();
        if (!exchange.getRequestMethod().equals("POST")) {
            violations.add("method " + exchange.getRequestMethod() + " is not POST");
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.startsWith("application/json")) {
            violations.add("Content-Type " + contentType + " is not application/json");
        }
        try {
            event = JSON.readTree(body);
            violations.addAll(check(event));
        } catch (IOException e) {
            violations.add("body is not JSON: " + e.getMessage());
        }
        int status;
        synchronized (this) {
            status = !scripted.isEmpty() ? scripted.removeFirst() : violations.isEmpty() ? 202 : 400;
        }
        received.add(new Received(event, violations, status));
        CountDownLatch held = hold;
        if (held != null) {
            try {
                held.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String answer = status == 202
                ? "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":"
                        + JSON.writeValueAsString(event.path("dedup_key").asText()) + "}"
                // Echoes the routing key, as a careless server might: the client must not log it.
                : "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\",\"errors\":"
                        + JSON.writeValueAsString(violations) + ",\"routing_key\":"
                        + JSON.writeValueAsString(event.path("routing_key").asText()) + "}";
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private List<String> check(JsonNode e) {
        List<String> v = new ArrayList<>();
        if (!e.isObject()) {
            return List.of("event is not a JSON object");
        }
        unknownFields(e, TOP_LEVEL, "", v);
        if (!e.path("routing_key").asText().equals(routingKey)) {
            v.add("routing_key missing or not the integration's key");
        }
        String action = e.path("event_action").asText();
        if (!ACTIONS.contains(action)) {
            v.add("event_action \"" + action + "\" is not trigger, acknowledge or resolve");
        }
        JsonNode dedup = e.path("dedup_key");
        if (!dedup.isMissingNode() && (!dedup.isTextual() || dedup.asText().isEmpty() || dedup.asText().length() > 255)) {
            v.add("dedup_key must be a string of 1 to 255 characters");
        }
        if (!action.equals("trigger") && dedup.isMissingNode()) {
            v.add("dedup_key is required for " + action);
        }
        JsonNode p = e.path("payload");
        if (action.equals("trigger")) {
            if (!p.isObject()) {
                v.add("payload is required for trigger");
            } else {
                unknownFields(p, PAYLOAD, "payload.", v);
                text(p, "summary", 1024, v);
                text(p, "source", 255, v);
                if (!SEVERITIES.contains(p.path("severity").asText())) {
                    v.add("payload.severity \"" + p.path("severity").asText() + "\" is not critical, error, warning or info");
                }
                if (p.has("timestamp")) {
                    try {
                        OffsetDateTime.parse(p.path("timestamp").asText());
                    } catch (DateTimeParseException ex) {
                        v.add("payload.timestamp is not an ISO 8601 time: " + p.path("timestamp").asText());
                    }
                }
                for (String f : List.of("component", "group", "class")) {
                    if (p.has(f) && !p.get(f).isTextual()) {
                        v.add("payload." + f + " must be a string");
                    }
                }
                if (p.has("custom_details") && !p.get("custom_details").isObject()) {
                    v.add("payload.custom_details must be an object");
                }
            }
        }
        JsonNode links = e.path("links");
        if (!links.isMissingNode()) {
            for (JsonNode link : links) {
                if (!link.path("href").isTextual() || link.path("href").asText().isEmpty()) {
                    v.add("every link needs an href");
                }
            }
        }
        return v;
    }

    private static void text(JsonNode p, String field, int max, List<String> v) {
        String s = p.path(field).asText("");
        if (!p.path(field).isTextual() || s.isEmpty() || s.length() > max) {
            v.add("payload." + field + " must be a string of 1 to " + max + " characters");
        }
    }

    private static void unknownFields(JsonNode node, Set<String> known, String prefix, List<String> v) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                v.add("unknown field " + prefix + f);
            }
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
