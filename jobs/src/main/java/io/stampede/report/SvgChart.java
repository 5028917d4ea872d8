package io.stampede.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A time-series line chart as inline SVG: a few series, a time axis, a value axis, event markers. */
final class SvgChart {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final int WIDTH = 920;
    private static final int HEIGHT = 280;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 48;
    private static final int BOTTOM = 30;

    /** One line: values at times (epoch ms), drawn in a colour, optionally dashed or filled below. */
    record Series(String label, long[] times, double[] values, String colour, boolean dashed, boolean filled) {}

    /** A vertical marker at a time, e.g. an alert firing. */
    record Marker(long time, String label, String colour) {}

    private final String title;
    private final String unit;
    private final List<Series> series = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();

    SvgChart(String title, String unit) {
        this.title = title;
        this.unit = unit;
    }

    SvgChart add(Series s) {
        series.add(s);
        return this;
    }

    SvgChart mark(Marker m) {
        markers.add(m);
        return this;
    }

    String render() {
        long t0 = Long.MAX_VALUE;
        long t1 = Long.MIN_VALUE;
        double max = 0;
        for (Series s : series) {
            if (s.times().length == 0) {
                continue;
            }
            t0 = Math.min(t0, s.times()[0]);
            t1 = Math.max(t1, s.times()[s.times().length - 1]);
            for (double v : s.values()) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">");
        b.append("<text x=\"").append(LEFT).append("\" y=\"16\" class=\"title\">").append(escape(title)).append("</text>");
        if (t0 >= t1) {
            b.append("<text x=\"").append(LEFT).append("\" y=\"60\" class=\"axis\">no data</text></svg>");
            return b.toString();
        }
        double top = niceCeiling(max * 1.08);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        for (int i = 0; i <= 4; i++) {
            double v = top * i / 4;
            double y = TOP + plotH - plotH * i / 4.0;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", LEFT,
                    WIDTH - RIGHT, y, y));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"axis\" text-anchor=\"end\">%s</text>",
                    LEFT - 6, y + 4, number(v)));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"axis\">%s</text>", 4, TOP - 4, escape(unit)));
        long span = t1 - t0;
        long step = tickStep(span);
        for (long t = (t0 / step + 1) * step; t < t1; t += step) {
            double x = LEFT + plotW * (t - t0) / (double) span;
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" class=\"grid\"/>", x, x,
                    TOP, TOP + plotH));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">%s</text>",
                    x, HEIGHT - 10, HH_MM.format(Instant.ofEpochMilli(t))));
        }
        for (Series s : series) {
            StringBuilder path = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < s.times().length; i++) {
                double v = s.values()[i];
                if (Double.isNaN(v)) {
                    pen = false;
                    continue;
                }
                double x = LEFT + plotW * (s.times()[i] - t0) / (double) span;
                double y = TOP + plotH - plotH * Math.min(v, top) / top;
                path.append(pen ? 'L' : 'M').append(String.format(Locale.ROOT, "%.1f %.1f ", x, y));
                pen = true;
            }
            if (s.filled() && s.times().length > 1) {
                double x0 = LEFT + plotW * (s.times()[0] - t0) / (double) span;
                double x1 = LEFT + plotW * (s.times()[s.times().length - 1] - t0) / (double) span;
                b.append(String.format(Locale.ROOT, "<path d=\"%sL%.1f %d L%.1f %d Z\" fill=\"%s\" fill-opacity=\"0.15\" stroke=\"none\"/>",
                        path, x1, TOP + plotH, x0, TOP + plotH, s.colour()));
            }
            b.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(s.colour())
                    .append("\" stroke-width=\"1.6\"").append(s.dashed() ? " stroke-dasharray=\"6 4\"" : "").append("/>");
        }
        int row = 0;
        for (Marker m : markers) {
            if (m.time() < t0 || m.time() > t1) {
                continue;
            }
            double x = LEFT + plotW * (m.time() - t0) / (double) span;
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1\" stroke-dasharray=\"2 3\"/>",
                    x, x, TOP, TOP + plotH, m.colour()));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"marker\" fill=\"%s\">%s</text>", x + 3,
                    TOP + 12 + 12 * (row++ % 6), m.colour(), escape(m.label())));
        }
        int lx = LEFT;
        for (Series s : series) {
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"30\" y2=\"30\" stroke=\"%s\" stroke-width=\"2\"%s/>",
                    lx, lx + 18, s.colour(), s.dashed() ? " stroke-dasharray=\"5 3\"" : ""));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"34\" class=\"legend\">%s</text>", lx + 22,
                    escape(s.label())));
            lx += 34 + 6 * s.label().length();
        }
        b.append("</svg>");
        return b.toString();
    }

    private static long tickStep(long span) {
        long[] steps = {60_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000};
        for (long s : steps) {
            if (span / s <= 10) {
                return s;
            }
        }
        return 43_200_000;
    }

    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * magnitude >= v) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String number(double v) {
        return v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
