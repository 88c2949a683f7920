package dev.federation.benchmarks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The statistics of the forks of one benchmark point: JMH's confidence interval, and the modes of the forks. */
final class ForkStatistics {

    /** Forks' bytes per call more than this fraction apart (sorted, neighbour to neighbour) are two modes. */
    static final double BYTES_GAP = 0.005;
    /** Forks' times per call more than this fraction apart (sorted, neighbour to neighbour) are two modes. */
    static final double TIME_GAP = 0.15;

    /** Student's t quantiles at 0.9995 for 1 to 29 degrees of freedom. */
    private static final double[] T_9995 = {636.61925, 31.59905, 12.92398, 8.6103, 6.86883, 5.95882, 5.40788,
        5.04131, 4.78091, 4.58689, 4.43698, 4.31779, 4.22083, 4.14045, 4.07277, 4.015, 3.96513, 3.92165, 3.88341,
        3.84952, 3.81928, 3.79213, 3.76763, 3.7454, 3.72514, 3.70661, 3.68959, 3.67391, 3.65941};

    private ForkStatistics() {
    }

    static double mean(List<Double> xs) {
        double sum = 0;
        for (double x : xs) {
            sum += x;
        }
        return xs.isEmpty() ? Double.NaN : sum / xs.size();
    }

    /** Half the width of the 99.9 % confidence interval of the mean of {@code xs}, as JMH computes it. */
    static double interval(List<Double> xs) {
        int n = xs.size();
        if (n < 2) {
            return Double.NaN;
        }
        double m = mean(xs);
        double squares = 0;
        for (double x : xs) {
            squares += (x - m) * (x - m);
        }
        return studentT9995(n - 1) * Math.sqrt(squares / (n - 1)) / Math.sqrt(n);
    }

    /** Student's t quantile at 0.9995: a table to 29 degrees of freedom, the Cornish-Fisher expansion above. */
    static double studentT9995(int df) {
        if (df <= T_9995.length) {
            return T_9995[df - 1];
        }
        double z = 3.2905267314919255; // the normal quantile at 0.9995
        double d = df;
        return z + (z * z * z + z) / (4 * d)
                + (5 * Math.pow(z, 5) + 16 * Math.pow(z, 3) + 3 * z) / (96 * d * d)
                + (3 * Math.pow(z, 7) + 19 * Math.pow(z, 5) + 17 * Math.pow(z, 3) - 15 * z) / (384 * d * d * d)
                + (79 * Math.pow(z, 9) + 776 * Math.pow(z, 7) + 1482 * Math.pow(z, 5) - 1920 * Math.pow(z, 3)
                        - 945 * z) / (92160 * d * d * d * d);
    }

    /**
     * The forks' values (bytes or time per call) grouped into modes, printed as {@code 257,740 ×5}: sorted, a
     * value more than {@code gap} above its neighbour starts a mode. graphql-java's allocation per call
     * settles, per JVM, on one of a few values (how the JIT compiled its execution strategy), and its time
     * spreads more between forks than within one, so a mean over few forks depends on how many forks fell in
     * each mode.
     */
    static String modes(List<Double> forks, double gap) {
        List<double[]> modes = clusters(forks, gap);
        if (modes.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (double[] m : modes) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(Summary.fmt(m[0])).append(" ×").append((int) m[1]);
        }
        return sb.toString();
    }

    /** The modes of {@code forks}, smallest first, as {mean, forks}; see {@link #modes(List, double)}. */
    static List<double[]> clusters(List<Double> forks, double gap) {
        List<Double> sorted = new ArrayList<>(forks);
        sorted.sort(Comparator.naturalOrder());
        List<double[]> out = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            int j = i + 1;
            double sum = sorted.get(i);
            while (j < sorted.size() && sorted.get(j) <= sorted.get(j - 1) * (1 + gap)) {
                sum += sorted.get(j);
                j++;
            }
            out.add(new double[] {sum / (j - i), j - i});
            i = j;
        }
        return out;
    }
}
