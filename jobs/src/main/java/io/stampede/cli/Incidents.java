package io.stampede.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import io.stampede.alert.Severity;
import io.stampede.event.Timestamps;
import io.stampede.io.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The incidents of a run: its alerts grouped by {@code incidentId}, as Alertmanager groups them and
 * PagerDuty deduplicates them. An incident pages when one of its firing states is CRITICAL and was
 * not announced: the routing in {@code deploy/k8s/alertmanager/alertmanager.yaml} sends
 * {@code expected="true"} to a receiver that does not page and {@code severity="critical"} to the
 * on-call.
 *
 * @param list the incidents in the order they began
 */
public record Incidents(List<Incident> list) {

    /** How many incidents the console line names; summary.json has them all. */
    static final int NAMED_ON_CONSOLE = 5;

    /**
     * @param regions the segments its alerts are in, in the order they joined it
     * @param types its alert types, in the order they first fired
     * @param firstAt when its first alert was detected, event-time epoch ms
     * @param expected every state of every alert of it was announced by a maintenance control
     * @param pages one of its firing states is CRITICAL and not expected
     */
    public record Incident(String incidentId, List<String> regions, List<AlertType> types, long firstAt,
            boolean expected, boolean pages) {}

    public Incidents {
        list = List.copyOf(list);
    }

    /** The incidents of these alert states, in any order (a sink at parallelism 2 interleaves them). */
    public static Incidents of(List<Alert> alerts) {
        List<Alert> sorted = new ArrayList<>(alerts);
        sorted.sort(Comparator.comparingLong((Alert a) -> Timestamps.parse(a.detectedAt()))
                .thenComparing(Alert::region).thenComparing(Alert::type).thenComparingInt(Alert::sequence));
        Map<String, List<Alert>> byIncident = new LinkedHashMap<>();
        for (Alert a : sorted) {
            byIncident.computeIfAbsent(a.incidentId(), id -> new ArrayList<>()).add(a);
        }
        List<Incident> list = new ArrayList<>();
        byIncident.forEach((id, states) -> {
            Set<String> regions = new LinkedHashSet<>();
            Set<AlertType> types = new LinkedHashSet<>();
            for (Alert a : states) {
                regions.add(a.region());
                types.add(a.type());
            }
            list.add(new Incident(id, List.copyOf(regions), List.copyOf(types),
                    Timestamps.parse(states.get(0).detectedAt()), states.stream().allMatch(Alert::expected),
                    states.stream().anyMatch(Incidents::pages)));
        });
        return new Incidents(list);
    }

    private static boolean pages(Alert a) {
        return a.isFiring() && !a.expected() && a.severity() == Severity.CRITICAL;
    }

    public int count() {
        return list.size();
    }

    public long pages() {
        return list.stream().filter(Incident::pages).count();
    }

    /** summary.json's {@code incidents}: count, pages and the list. */
    ObjectNode json() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("count", count());
        n.put("pages", pages());
        ArrayNode items = n.putArray("list");
        for (Incident i : list) {
            ObjectNode item = items.addObject();
            item.put("incidentId", i.incidentId());
            item.set("regions", Json.MAPPER.valueToTree(i.regions()));
            item.set("types", Json.MAPPER.valueToTree(i.types().stream().map(AlertType::name).toList()));
            item.put("firstAt", Timestamps.format(i.firstAt()));
            item.put("expected", i.expected());
            item.put("pages", i.pages());
        }
        return n;
    }

    /**
     * One console line: {@code incidents: 2 (pages: 1): inc-eu-west-… eu-west,us-east
     * REBOOT_WAVE+LOGIN_SURGE; …}, the first few incidents named.
     */
    String line() {
        StringBuilder s = new StringBuilder("incidents: ").append(count()).append(" (pages: ").append(pages())
                .append(")");
        if (list.isEmpty()) {
            return s.toString();
        }
        s.append(": ").append(list.stream().limit(NAMED_ON_CONSOLE).map(Incidents::words)
                .collect(Collectors.joining("; ")));
        if (list.size() > NAMED_ON_CONSOLE) {
            s.append("; ").append(list.size() - NAMED_ON_CONSOLE).append(" more in summary.json");
        }
        return s.toString();
    }

    private static String words(Incident i) {
        return i.incidentId() + " " + String.join(",", i.regions()) + " "
                + i.types().stream().map(AlertType::name).collect(Collectors.joining("+"))
                + (i.expected() ? " (expected)" : "");
    }
}
