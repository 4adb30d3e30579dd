package io.pqbridge.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The measured (not warm-up) runs of one workload by one contestant, summarised: median, minimum
 * and maximum of each figure, or of a figure derived from each run (W11's rates: the median of
 * per-run rates, not a rate of medians). A figure some run lacks (-1: server CPU of a remote
 * server, heap figures of a C client) has no median.
 */
final class Stats {

    final Workload workload;
    final Contestant contestant;
    final int runs;
    final long rows;
    private final List<Measurement> ms;

    Stats(Workload workload, Contestant contestant, List<Measurement> ms) {
        if (ms.isEmpty()) {
            throw new IllegalArgumentException("no measured run of " + contestant.label() + " on " + workload.label());
        }
        this.workload = workload;
        this.contestant = contestant;
        this.runs = ms.size();
        this.rows = ms.get(0).get(Measurement.ROWS);
        this.ms = List.copyOf(ms);
    }

    /** Median of a figure, or -1 when some run lacks it. */
    double median(String key) {
        return median(m -> m.get(key));
    }

    double min(String key) {
        return min(m -> m.get(key));
    }

    double max(String key) {
        return max(m -> m.get(key));
    }

    /** Median of a figure derived from each run, or -1 when some run's is negative. */
    double median(ToDoubleFunction<Measurement> figure) {
        double[] v = values(figure);
        if (v == null) {
            return -1;
        }
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    double min(ToDoubleFunction<Measurement> figure) {
        double[] v = values(figure);
        return v == null ? -1 : v[0];
    }

    double max(ToDoubleFunction<Measurement> figure) {
        double[] v = values(figure);
        return v == null ? -1 : v[v.length - 1];
    }

    /** Sorted values of a figure, null when a run lacks it. */
    private double[] values(ToDoubleFunction<Measurement> figure) {
        double[] v = new double[ms.size()];
        for (int i = 0; i < v.length; i++) {
            double x = figure.applyAsDouble(ms.get(i));
            if (x < 0) {
                return null;
            }
            v[i] = x;
        }
        Arrays.sort(v);
        return v;
    }
}
