package io.stampede.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.alert.AlertType;
import io.stampede.io.Json;
import io.stampede.sim.CountScenario;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The scorecard's table: the runs grouped by scenario and region size, one row each, with the
 * median and max detection delay over the seeds per expected alert type, the misses, the false
 * alarms over all seeds, and whether every seed met the target; then, in one line, the targets
 * that were missed.
 */
public final class Scorecard {

    /** The runs of one scenario at one region size, one per seed. */
    public record Row(CountScenario scenario, int devices, List<RunScore> runs) {

        public Expectation expectation() {
            return Expectation.of(scenario);
        }

        /** The delays of the runs that detected {@code type}, in seconds, sorted. */
        public List<Long> delays(AlertType type) {
            List<Long> out = new ArrayList<>();
            for (RunScore r : runs) {
                for (RunScore.Detection d : r.detections()) {
                    if (d.type() == type && !d.missed()) {
                        out.add(d.delaySeconds());
                    }
                }
            }
            out.sort(null);
            return out;
        }

        public int missed(AlertType type) {
            int n = 0;
            for (RunScore r : runs) {
                for (RunScore.Detection d : r.detections()) {
                    if (d.type() == type && d.missed()) {
                        n++;
                    }
                }
            }
            return n;
        }

        public int falseAlarms() {
            return runs.stream().mapToInt(r -> r.falseAlarms().size()).sum();
        }

        public int historyAlarms() {
            return runs.stream().mapToInt(RunScore::historyAlarms).sum();
        }

        public boolean targetMet() {
            return runs.stream().allMatch(RunScore::targetMet);
        }

        /** Why the target was missed, in a few words; empty when it was met. */
        public String whyMissed() {
            if (targetMet()) {
                return "";
            }
            Expectation e = expectation();
            List<String> why = new ArrayList<>();
            for (AlertType type : e.detect()) {
                int missed = missed(type);
                long slow = delays(type).stream().filter(d -> d > Expectation.TARGET_DELAY_SECONDS).count();
                if (missed > 0) {
                    why.add(type + " missed in " + missed + " of " + runs.size());
                }
                if (slow > 0) {
                    why.add(type + " later than " + Expectation.TARGET_DELAY_SECONDS + " s in " + slow + " of "
                            + runs.size());
                }
            }
            if (e.kind() != Expectation.Kind.DETECT && falseAlarms() > 0) {
                why.add(falseAlarms() + " false alarm" + (falseAlarms() == 1 ? "" : "s"));
            }
            long open = runs.stream().filter(r -> r.newNormal() != null && r.newNormal().alert() != null
                    && !r.newNormal().resolved()).count();
            if (open > 0) {
                why.add("the alert never resolved in " + open + " of " + runs.size());
            }
            return String.join(", ", why);
        }

        /** What the columns do not say: alerts per day, how long an alert stayed open, alerts during the history. */
        public String notes() {
            List<String> notes = new ArrayList<>();
            Expectation.Kind kind = expectation().kind();
            if (kind == Expectation.Kind.LEARNS_DAILY) {
                int[] perDay = new int[scenario.days()];
                for (RunScore r : runs) {
                    for (int d = 0; d < r.alarmsPerDay().size(); d++) {
                        perDay[d] += r.alarmsPerDay().get(d);
                    }
                }
                StringBuilder b = new StringBuilder("new alerts by day, all seeds:");
                for (int d = 0; d < perDay.length; d++) {
                    b.append(d == 0 ? " " : ", ").append(perDay[d]);
                }
                notes.add(b.toString());
            }
            if (kind == Expectation.Kind.NEW_NORMAL) {
                List<Long> open = new ArrayList<>();
                int resolved = 0;
                for (RunScore r : runs) {
                    if (r.newNormal().alert() != null) {
                        open.add(r.newNormal().openSeconds());
                        resolved += r.newNormal().resolved() ? 1 : 0;
                    }
                }
                open.sort(null);
                notes.add(open.isEmpty() ? "no alert" : String.format(Locale.ROOT,
                        "alert in %d of %d, resolved in %d, open %s median / %s max", open.size(), runs.size(),
                        resolved, hours(median(open)), hours(open.get(open.size() - 1))));
            }
            int history = historyAlarms();
            if (history > 0 && scenario.labelledFrom().isAfter(scenario.start())) {
                notes.add(history + " alert" + (history == 1 ? "" : "s") + " in the " + CountScenario.HISTORY_DAYS
                        + "-day history (not scored)");
            }
            return String.join("; ", notes);
        }
    }

    private final List<Row> rows;

    private Scorecard(List<Row> rows) {
        this.rows = rows;
    }

    /** Groups {@code runs} into rows, scenario by scenario, in the order of {@code scenarios} and {@code sizes}. */
    public static Scorecard of(List<CountScenario> scenarios, List<Integer> sizes, List<RunScore> runs) {
        List<Row> rows = new ArrayList<>();
        for (CountScenario s : scenarios) {
            for (int size : sizes) {
                List<RunScore> of = runs.stream()
                        .filter(r -> r.scenario().equals(s.name()) && r.devices() == size).toList();
                rows.add(new Row(s, size, of));
            }
        }
        return new Scorecard(rows);
    }

    public List<Row> rows() {
        return rows;
    }

    /** The table in Markdown. */
    public String markdown() {
        Set<AlertType> types = EnumSet.noneOf(AlertType.class);
        rows.forEach(r -> types.addAll(r.expectation().detect()));
        StringBuilder b = new StringBuilder("| scenario | devices |");
        StringBuilder rule = new StringBuilder("|---|---:|");
        for (AlertType t : types) {
            b.append(' ').append(t).append(" delay median / max |");
            rule.append("---|");
        }
        b.append(" missed | false alarms | target | notes |\n");
        rule.append("---:|---:|:---:|---|\n");
        b.append(rule);
        for (Row r : rows) {
            b.append("| ").append(r.scenario().name()).append(" | ").append(String.format(Locale.ROOT, "%,d", r.devices()))
                    .append(" |");
            List<String> missed = new ArrayList<>();
            for (AlertType t : types) {
                if (!r.expectation().detect().contains(t)) {
                    b.append(" – |");
                    continue;
                }
                List<Long> delays = r.delays(t);
                b.append(' ').append(delays.isEmpty() ? "missed"
                        : seconds(median(delays)) + " / " + seconds(delays.get(delays.size() - 1))).append(" |");
                if (r.missed(t) > 0) {
                    missed.add(r.missed(t) + " " + t);
                }
            }
            b.append(' ').append(r.expectation().kind() == Expectation.Kind.DETECT
                    ? (missed.isEmpty() ? "0" : String.join(", ", missed)) : "–").append(" | ")
                    .append(r.falseAlarms()).append(" | ").append(r.targetMet() ? "✓" : "✗").append(" | ")
                    .append(r.notes()).append(" |\n");
        }
        return b.toString();
    }

    /** Every row's figures and every run's, for scorecard.json. */
    public ObjectNode json() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode scenarios = root.putArray("scenarios");
        rows.stream().map(Row::scenario).distinct().forEach(s -> {
            ObjectNode n = scenarios.addObject();
            n.put("name", s.name());
            n.put("summary", s.summary());
            n.put("start", s.start().toString());
            n.put("end", s.end().toString());
            n.put("labelledFrom", s.labelledFrom().toString());
            n.put("onset", s.onset() == null ? null : s.onset().toString());
            n.put("disturbanceEnd", s.disturbanceEnd() == null ? null : s.disturbanceEnd().toString());
            n.put("target", Expectation.of(s).target());
        });
        ArrayNode table = root.putArray("rows");
        for (Row r : rows) {
            ObjectNode n = table.addObject();
            n.put("scenario", r.scenario().name());
            n.put("devices", r.devices());
            n.put("seeds", r.runs().size());
            ObjectNode delays = n.putObject("delaySeconds");
            for (AlertType t : r.expectation().detect()) {
                List<Long> d = r.delays(t);
                ObjectNode of = delays.putObject(t.name());
                if (!d.isEmpty()) {
                    of.put("median", median(d));
                    of.put("max", d.get(d.size() - 1));
                }
                of.put("missed", r.missed(t));
            }
            n.put("falseAlarms", r.falseAlarms());
            n.put("historyAlarms", r.historyAlarms());
            n.put("targetMet", r.targetMet());
            n.put("whyMissed", r.whyMissed());
            n.put("notes", r.notes());
        }
        root.set("runs", Json.MAPPER.valueToTree(rows.stream().flatMap(r -> r.runs().stream()).toList()));
        return root;
    }

    /** The targets missed, one clause per row, or empty when every target was met. */
    public List<String> missedTargets() {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            if (!r.targetMet()) {
                out.add(String.format(Locale.ROOT, "%s at %,d devices (%s)", r.scenario().name(), r.devices(),
                        r.whyMissed()));
            }
        }
        return out;
    }

    /** The targets of the scenarios in the table, in one line. */
    public String targets() {
        List<String> out = new ArrayList<>();
        rows.stream().map(Row::scenario).distinct()
                .forEach(s -> out.add(s.name() + ": " + Expectation.of(s).target()));
        return "Targets: " + String.join("; ", out) + ".";
    }

    /** The closing line: which targets were missed, or that none was. */
    public String verdict() {
        List<String> missed = missedTargets();
        return missed.isEmpty() ? "Every target met."
                : "Targets missed: " + String.join("; ", missed) + ".";
    }

    static double median(List<Long> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    private static String seconds(double s) {
        return s == Math.rint(s) ? String.format(Locale.ROOT, "%.0f s", s) : String.format(Locale.ROOT, "%.1f s", s);
    }

    private static String hours(double seconds) {
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
}
