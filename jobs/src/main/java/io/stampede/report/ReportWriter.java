package io.stampede.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import io.stampede.alert.Severity;
import io.stampede.detect.SegmentSnapshot;
import io.stampede.detect.Segments;
import io.stampede.event.Timestamps;
import io.stampede.io.RunOutputs;
import io.stampede.plan.ScalingSignal;
import io.stampede.sim.Scenario;
import io.stampede.sim.SimResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes report.html: one self-contained page (inline SVG, no scripts, no network) with the
 * charts a person would rather look at than read: demand against capacity per region, boots, and
 * where Stampede's alerts and directives came in.
 */
public final class ReportWriter {

    private static final String RED = "#c0392b";
    private static final String BLUE = "#1f6fb2";
    private static final String LIGHT_BLUE = "#7fb3e0";
    private static final String BLACK = "#222";
    private static final String GREY = "#888";
    private static final String ORANGE = "#d68910";
    private static final String GREEN = "#1e8449";
    private static final int RESOLUTION_S = 30;

    private ReportWriter() {}

    /** The demo's report: both runs side by side. {@code without} may be null (--no-compare). */
    public static Path demo(Path file, Scenario sc, SimResult with, RunOutputs withOut, SimResult without,
            RunOutputs withoutOut, JsonNode summary) throws IOException {
        StringBuilder b = new StringBuilder();
        head(b, "Stampede demo: " + sc.name());
        b.append("<h1>Stampede demo: ").append(esc(sc.name())).append("</h1>");
        b.append(String.format(Locale.ROOT, "<p class=\"sub\">%,d simulated devices in %d regions, event time %s to %s (UTC). "
                + "The same scenario was played twice through the same pipeline: once with the front door following "
                + "Stampede's throttle directives and the autoscaler its scaling signals, once ignoring them.%s</p>", sc.devices(), sc.regions().size(),
                sc.start(), sc.end(), sc.onset() == null ? ""
                        : " The charts start twenty minutes before the disturbance at " + sc.onset() + "."));
        if (without != null) {
            List<String> scaled = with.regions.keySet().stream()
                    .filter(r -> with.regions.get(r).firstSecondWithAddedNodes() >= 0
                            || without.regions.get(r).firstSecondWithAddedNodes() >= 0)
                    .toList();
            b.append("<div class=\"cards\">");
            card(b, "Without Stampede", "bad", without, scaled);
            card(b, "With Stampede", "good", with, scaled);
            b.append("</div>");
        }
        facts(b, summary);
        List<String> regions = new ArrayList<>(with.regions.keySet());
        regions.sort(Comparator.comparingDouble((String r) -> -peakUtilisation(without != null ? without : with, r)));
        for (String region : regions) {
            b.append("<h2>").append(esc(region)).append("</h2>");
            SimResult.RegionSeries w = with.regions.get(region);
            long[] times = times(with);
            int from = firstShown(with, sc, withOut.alerts());
            SvgChart load = new SvgChart("Login attempts reaching the auth tier, per second", "logins/s");
            if (without != null) {
                load.add(series("without Stampede", times, rate(without.regions.get(region).admitted), from, RED, false,
                        false));
            }
            load.add(series("with Stampede", times, rate(w.admitted), from, BLUE, false, true));
            load.add(series("asked (incl. deferred)", times, rate(w.attempts), from, LIGHT_BLUE, true, false));
            load.add(series("capacity", times, rate(w.capacity), from, BLACK, true, false));
            load.add(series("safe capacity", times, safeCapacity(withOut.snapshots(), region, times), from, GREY, true,
                    false));
            markers(load, withOut.alerts(), withOut.directives(), withOut.signals(), region);
            b.append(load.render());
            SvgChart boots = new SvgChart("Devices booting, per second", "boots/s");
            boots.add(series("boots", times, rate(w.boots), from, ORANGE, false, true));
            markers(boots, withOut.alerts(), List.of(), List.of(), region);
            b.append(boots.render());
            if (without != null) {
                SvgChart failed = new SvgChart("Failed login attempts, per second", "failures/s");
                failed.add(series("without Stampede", times, rate(without.regions.get(region).failed), from, RED, false,
                        true));
                failed.add(series("with Stampede", times, rate(w.failed), from, BLUE, false, false));
                b.append(failed.render());
            }
        }
        alertTable(b, "Alerts (run with Stampede's actions)", withOut.alerts());
        foot(b);
        Files.writeString(file, b);
        return file;
    }

    /** The backtest's report: what the pipeline saw in the recorded events. */
    public static Path backtest(Path file, String title, RunOutputs out, JsonNode summary) throws IOException {
        StringBuilder b = new StringBuilder();
        head(b, "Stampede backtest");
        b.append("<h1>Stampede backtest</h1><p class=\"sub\">").append(esc(title)).append("</p>");
        facts(b, summary);
        Map<String, List<SegmentSnapshot>> bySegment = new LinkedHashMap<>();
        out.snapshots().stream().sorted(Comparator.comparing(SegmentSnapshot::segment)
                        .thenComparingLong(SegmentSnapshot::bucketStart))
                .forEach(s -> bySegment.computeIfAbsent(s.segment(), k -> new ArrayList<>()).add(s));
        List<String> segments = new ArrayList<>(bySegment.keySet());
        segments.sort(Comparator.comparing((String s) -> Segments.isFleet(s) ? 1 : 0).thenComparing(s -> s));
        for (String segment : segments) {
            List<SegmentSnapshot> snaps = bySegment.get(segment);
            int n = snaps.size();
            long[] t = new long[n];
            double[] attempts = new double[n];
            double[] admitted = new double[n];
            double[] failures = new double[n];
            double[] healthy = new double[n];
            double[] safe = new double[n];
            double[] forecast = new double[n];
            double[] boots = new double[n];
            double[] expectedBoots = new double[n];
            for (int i = 0; i < n; i++) {
                SegmentSnapshot s = snaps.get(i);
                t[i] = s.bucketStart();
                attempts[i] = s.attemptsPerSec();
                admitted[i] = s.admittedPerSec();
                failures[i] = s.failuresPerSec();
                healthy[i] = s.healthyCapacityPerSec() > 0 ? s.healthyCapacityPerSec() : Double.NaN;
                safe[i] = s.safeCapacityPerSec() > 0 ? s.safeCapacityPerSec() : Double.NaN;
                forecast[i] = s.forecastPeakPerSec() > 0 ? s.forecastPeakPerSec() : Double.NaN;
                boots[i] = s.bootsPerSec();
                expectedBoots[i] = s.expectedBootsPerSec();
            }
            b.append("<h2>").append(esc(segment)).append("</h2>");
            SvgChart load = new SvgChart("Login attempts per second", "logins/s")
                    .add(new SvgChart.Series("attempts", t, attempts, LIGHT_BLUE, false, false))
                    .add(new SvgChart.Series("admitted", t, admitted, BLUE, false, true))
                    .add(new SvgChart.Series("failed", t, failures, RED, false, false));
            if (!Segments.isFleet(segment)) {
                load.add(new SvgChart.Series("healthy capacity", t, healthy, BLACK, true, false))
                        .add(new SvgChart.Series("safe capacity", t, safe, GREY, true, false))
                        .add(new SvgChart.Series("forecast peak", t, forecast, GREEN, true, false));
            }
            markers(load, out.alerts(), out.directives(), out.signals(), segment);
            b.append(load.render());
            SvgChart bootChart = new SvgChart("Devices booting per second", "boots/s")
                    .add(new SvgChart.Series("boots", t, boots, ORANGE, false, true))
                    .add(new SvgChart.Series("baseline", t, expectedBoots, GREY, true, false));
            markers(bootChart, out.alerts(), List.of(), List.of(), segment);
            b.append(bootChart.render());
        }
        alertTable(b, "Alerts", out.alerts());
        foot(b);
        Files.writeString(file, b);
        return file;
    }

    /** @param scaled the regions whose node count changed in either run: their peak is shown */
    private static void card(StringBuilder b, String title, String kind, SimResult r, List<String> scaled) {
        SimResult.Outcome o = r.outcome();
        b.append("<div class=\"card ").append(kind).append("\"><h3>").append(esc(title)).append("</h3><table>");
        row(b, "overloaded minutes", String.format(Locale.ROOT, "%d", o.overloadedMinutes()));
        row(b, "peak utilisation (1 min)", String.format(Locale.ROOT, "%.0f%%", 100 * o.peakUtilization()));
        row(b, "failed login attempts", String.format(Locale.ROOT, "%,d", o.failedLogins()));
        row(b, "logins given up", String.format(Locale.ROOT, "%,d", o.abandonedLogins()));
        row(b, "deferred logins", String.format(Locale.ROOT, "%,d", o.deferredLogins()));
        row(b, "mean deferral", o.deferredLogins() == 0 ? "-" : String.format(Locale.ROOT, "%.0f s", o.meanDeferralSeconds()));
        for (String region : scaled) {
            row(b, "peak nodes (" + region + ")", Integer.toString(r.regions.get(region).peakNodes()));
        }
        b.append("</table></div>");
    }

    private static void row(StringBuilder b, String label, String value) {
        b.append("<tr><td>").append(esc(label)).append("</td><td class=\"num\">").append(esc(value)).append("</td></tr>");
    }

    private static void facts(StringBuilder b, JsonNode summary) {
        if (summary == null) {
            return;
        }
        List<String> items = new ArrayList<>();
        for (JsonNode d : summary.path("detection")) {
            if (d.has("secondsAfterOnset")) {
                items.add(String.format("First %s (%s) at %s, %d s after the onset.", d.path("type").asText(),
                        d.path("region").asText(), d.path("detectedAt").asText(), d.path("secondsAfterOnset").asLong()));
            }
        }
        for (JsonNode l : summary.path("leadTime")) {
            if (l.has("leadSeconds")) {
                items.add(String.format("%s: first %s %d s before demand would have crossed capacity (%s)%s%s.",
                        l.path("region").asText(), l.path("firstWarning").asText(), l.path("leadSeconds").asLong(),
                        l.path("demandCrossesCapacityAt").asText(),
                        l.has("warningLeadSeconds") && l.path("warningLeadSeconds").asLong() != l.path("leadSeconds").asLong()
                                ? "; its WARNING " + l.path("warningLeadSeconds").asLong() + " s before" : "",
                        l.has("scaleUpLeadSeconds")
                                ? "; first scale-up signal " + l.path("scaleUpLeadSeconds").asLong() + " s before" : ""));
            }
        }
        JsonNode counts = summary.path("counts");
        if (counts.isObject()) {
            counts.fields().forEachRemaining(e -> items.add(e.getKey() + ": " + e.getValue().asText()));
        }
        if (!items.isEmpty()) {
            b.append("<ul class=\"facts\">");
            items.forEach(i -> b.append("<li>").append(esc(i)).append("</li>"));
            b.append("</ul>");
        }
    }

    private static void markers(SvgChart chart, List<Alert> alerts, List<ThrottleDirective> directives,
            List<ScalingSignal> signals, String region) {
        boolean warned = false;
        for (Alert a : alerts) {
            if (a.region().equals(region) && a.sequence() == 1) {
                boolean latent = a.severity() == Severity.INFO;
                chart.mark(new SvgChart.Marker(Timestamps.parse(a.detectedAt()),
                        latent ? "latent " + a.type().name() : a.type().name(),
                        a.severity() == Severity.CRITICAL ? RED : latent ? GREY : ORANGE));
                warned |= a.type() == AlertType.CAPACITY_RISK && !latent;
            }
            if (!warned && a.region().equals(region) && a.type() == AlertType.CAPACITY_RISK && a.isFiring()
                    && a.sequence() > 1 && a.severity() != Severity.INFO) {
                // A latent risk that rose to a warning as the forced reboots came near.
                chart.mark(new SvgChart.Marker(Timestamps.parse(a.detectedAt()), "CAPACITY_RISK " + a.severity(),
                        a.severity() == Severity.CRITICAL ? RED : ORANGE));
                warned = true;
            }
            if (a.region().equals(region) && !a.isFiring() && a.type() == AlertType.REBOOT_WAVE) {
                chart.mark(new SvgChart.Marker(Timestamps.parse(a.detectedAt()), "wave over", GREEN));
            }
        }
        for (ThrottleDirective d : directives) {
            if (d.region().equals(region)) {
                chart.mark(new SvgChart.Marker(Timestamps.parse(d.issuedAt()), "first directive", BLUE));
                break;
            }
        }
        for (ThrottleDirective d : directives) {
            if (d.region().equals(region) && d.state() == ThrottleDirective.State.LIFTED) {
                chart.mark(new SvgChart.Marker(Timestamps.parse(d.issuedAt()), "lifted", GREEN));
            }
        }
        for (ScalingSignal sig : signals) {
            if (sig.region().equals(region) && sig.direction() == ScalingSignal.Direction.UP) {
                chart.mark(new SvgChart.Marker(Timestamps.parse(sig.issuedAt()), "first scale-up", BLUE));
                break;
            }
        }
    }

    private static void alertTable(StringBuilder b, String title, List<Alert> alerts) {
        b.append("<h2>").append(esc(title)).append("</h2>");
        if (alerts.isEmpty()) {
            b.append("<p>No alerts.</p>");
            return;
        }
        b.append("<table class=\"alerts\"><tr><th>detected</th><th>severity</th><th>type</th><th>status</th>"
                + "<th>summary</th></tr>");
        for (Alert a : alerts) {
            b.append("<tr class=\"").append(a.severity().name().toLowerCase(Locale.ROOT)).append("\"><td>")
                    .append(esc(a.detectedAt())).append("</td><td>").append(a.severity()).append("</td><td>")
                    .append(a.type()).append("</td><td>")
                    .append(a.isFiring() ? (a.sequence() == 1 ? "FIRING" : "update " + a.sequence()) : "RESOLVED")
                    .append("</td><td>").append(esc(a.summary())).append("</td></tr>");
        }
        b.append("</table>");
    }

    /** Index of the first point shown: twenty minutes before the disturbance, when there is one. */
    /** From 20 minutes before the onset, or a little before the first alert when that came earlier (a latent risk). */
    private static int firstShown(SimResult r, Scenario sc, List<Alert> alerts) {
        if (sc.onset() == null) {
            return 0;
        }
        long from = sc.onset().toEpochMilli() - 20 * 60_000L;
        for (Alert a : alerts) {
            from = Math.min(from, Timestamps.parse(a.detectedAt()) - 5 * 60_000L);
        }
        return (int) Math.max(0, (from - r.startMillis) / (RESOLUTION_S * 1000L));
    }

    private static SvgChart.Series series(String label, long[] times, double[] values, int from, String colour,
            boolean dashed, boolean filled) {
        return new SvgChart.Series(label, java.util.Arrays.copyOfRange(times, Math.min(from, times.length), times.length),
                java.util.Arrays.copyOfRange(values, Math.min(from, values.length), values.length), colour, dashed, filled);
    }

    private static long[] times(SimResult r) {
        int n = (r.seconds + RESOLUTION_S - 1) / RESOLUTION_S;
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.startMillis + i * RESOLUTION_S * 1000L;
        }
        return t;
    }

    /** Per-second counts averaged into the report's resolution. */
    private static double[] rate(double[] perSecond) {
        int n = (perSecond.length + RESOLUTION_S - 1) / RESOLUTION_S;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            int count = 0;
            for (int j = i * RESOLUTION_S; j < Math.min(perSecond.length, (i + 1) * RESOLUTION_S); j++) {
                sum += perSecond[j];
                count++;
            }
            out[i] = count == 0 ? Double.NaN : sum / count;
        }
        return out;
    }

    private static double[] safeCapacity(List<SegmentSnapshot> snapshots, String region, long[] times) {
        double[] out = new double[times.length];
        java.util.Arrays.fill(out, Double.NaN);
        for (SegmentSnapshot s : snapshots) {
            if (s.segment().equals(region) && s.safeCapacityPerSec() > 0) {
                int i = (int) ((s.bucketStart() - times[0]) / (RESOLUTION_S * 1000L));
                if (i >= 0 && i < out.length) {
                    out[i] = s.safeCapacityPerSec();
                }
            }
        }
        return out;
    }

    private static double peakUtilisation(SimResult r, String region) {
        SimResult.RegionSeries s = r.regions.get(region);
        double peak = 0;
        for (int i = 0; i < r.seconds; i++) {
            if (s.capacity[i] > 0) {
                peak = Math.max(peak, s.attempts[i] / s.capacity[i]);
            }
        }
        return peak;
    }

    private static void head(StringBuilder b, String title) {
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><style>")
                .append("body{font:14px/1.45 -apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px auto;max-width:960px;color:#222}")
                .append("h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 6px;border-bottom:1px solid #ddd}")
                .append(".sub{color:#555;margin-top:0}.cards{display:flex;gap:16px;margin:16px 0}")
                .append(".card{flex:1;border-radius:6px;padding:10px 14px;border:1px solid #ddd}")
                .append(".card.bad{background:#fdf0ee;border-color:#e6b0aa}.card.good{background:#eef6fc;border-color:#a9cce3}")
                .append(".card h3{margin:0 0 6px;font-size:15px}.card table{width:100%}.num{text-align:right;font-weight:600}")
                .append(".chart{width:100%;height:auto;margin:6px 0 2px}.title{font-size:13px;font-weight:600}")
                .append(".axis{font-size:11px;fill:#666}.legend{font-size:11px;fill:#333}.marker{font-size:10px}")
                .append(".grid{stroke:#eee}.facts li{margin:2px 0}")
                .append("table.alerts{border-collapse:collapse;width:100%;font-size:12px}")
                .append("table.alerts td,table.alerts th{border-bottom:1px solid #eee;padding:3px 6px;text-align:left;vertical-align:top}")
                .append("tr.critical td:nth-child(2){color:").append(RED).append(";font-weight:600}")
                .append("tr.warning td:nth-child(2){color:").append(ORANGE).append("}")
                .append("</style></head><body>");
    }

    private static void foot(StringBuilder b) {
        b.append("<p class=\"sub\">Written by Stampede. Times are event time, UTC.</p></body></html>");
    }

    private static String esc(String s) {
        return SvgChart.escape(s == null ? "" : s);
    }
}
