package io.pqbridge.bench;

import java.util.Locale;
import java.util.Map;

/**
 * The report's chart as SVG: one panel per workload, one pair of bars per contestant on the
 * panel's own scale: wall time (light) and client CPU time (dark) medians, with a whisker for the
 * client CPU's min–max. W11, which runs for a fixed time, is left to its table.
 */
final class SvgChart {

    private static final int WIDTH = 900;
    private static final int LABEL = 150;
    private static final int VALUES = 190;
    private static final int BAR = 9;
    private static final int ROW = 2 * BAR + 6;

    private SvgChart() {
    }

    static String render(Report report) {
        StringBuilder body = new StringBuilder();
        int y = 40;
        for (Map.Entry<Workload, Map<Contestant, Stats>> e : report.all().entrySet()) {
            Workload w = e.getKey();
            if (w.fixedTime()) {
                continue; // W11 runs for the same time on every contestant: its figures are the rates in its table
            }
            double scale = 0;
            for (Stats s : e.getValue().values()) {
                scale = Math.max(scale, Math.max(s.median(Measurement.WALL), s.max(Measurement.CPU)));
            }
            body.append(text(10, y, "bold", w.label() + ": " + w.description()));
            y += 8;
            for (Stats s : e.getValue().values()) {
                double wall = s.median(Measurement.WALL);
                double cpu = s.median(Measurement.CPU);
                int plot = WIDTH - LABEL - VALUES;
                body.append(text(10, y + BAR + 4, "normal", s.contestant.label()));
                body.append(rect(LABEL, y, width(wall, scale, plot), BAR, "#b9cde5"));
                if (cpu >= 0) {
                    body.append(rect(LABEL, y + BAR, width(cpu, scale, plot), BAR, "#1f4e79"));
                    int lo = LABEL + width(s.min(Measurement.CPU), scale, plot);
                    int hi = LABEL + width(s.max(Measurement.CPU), scale, plot);
                    int mid = y + BAR + BAR / 2;
                    body.append(String.format(Locale.ROOT,
                            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#c00000\"/>%n", lo, mid, hi, mid));
                }
                body.append(text(WIDTH - VALUES + 10, y + BAR + 4, "normal", String.format(Locale.ROOT,
                        "wall %s s, cpu %s s", Report.seconds(wall), cpu >= 0 ? Report.seconds(cpu) : "–")));
                y += ROW;
            }
            y += 24;
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, y));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, y));
        svg.append(text(10, 20, "bold", "pqbridge benchmarks: medians (light: wall time, dark: client CPU,"
                + " red: client CPU min–max); each panel has its own scale"));
        svg.append(body).append("</svg>\n");
        return svg.toString();
    }

    private static int width(double value, double scale, int plot) {
        return scale <= 0 || value <= 0 ? 0 : (int) Math.round(value / scale * plot);
    }

    private static String rect(int x, int y, int w, int h, String fill) {
        return String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
                x, y, w, h, fill);
    }

    private static String text(int x, int y, String weight, String s) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"%s\">%s</text>%n", x, y, weight,
                s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
    }
}
