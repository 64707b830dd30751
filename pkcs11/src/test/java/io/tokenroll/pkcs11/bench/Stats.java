package io.tokenroll.pkcs11.bench;

import java.util.Arrays;

/** Mean, median and a 95 % confidence interval of the mean, in milliseconds. */
public record Stats(int n, double meanMs, double medianMs, double ci95Ms) {
  public static Stats of(long[] nanos) {
    double[] ms = Arrays.stream(nanos).mapToDouble(v -> v / 1e6).sorted().toArray();
    double mean = Arrays.stream(ms).average().orElse(0);
    double var = Arrays.stream(ms).map(v -> (v - mean) * (v - mean)).sum() / Math.max(1, ms.length - 1);
    double median = ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
    return new Stats(ms.length, mean, median, 1.96 * Math.sqrt(var / ms.length));
  }

  /** Relative difference of the means, with the interval of the ratio (first-order error propagation). */
  public static String overhead(Stats layer, Stats raw) {
    double ratio = layer.meanMs / raw.meanMs;
    double rel = Math.sqrt(Math.pow(layer.ci95Ms / layer.meanMs, 2) + Math.pow(raw.ci95Ms / raw.meanMs, 2));
    return String.format("%+.1f %% ± %.1f", (ratio - 1) * 100, ratio * rel * 100);
  }

  public String format() {
    return String.format("%.3f ± %.3f (median %.3f, n=%d)", meanMs, ci95Ms, medianMs, n);
  }
}
