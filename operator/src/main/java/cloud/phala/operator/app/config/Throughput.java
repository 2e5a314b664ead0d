package cloud.phala.operator.app.config;

import java.util.Map;

/**
 * How much work the operator does at once: reconcile threads (JOSDK's {@code
 * concurrentReconciliationThreads}), which queued pass runs first ({@code rolloutsFirst}: a running
 * rollout's next pass before first passes; otherwise arrival order, JOSDK's), and a client-side
 * rate limit on Kubernetes API requests, which fabric8 7.5.2 does not have of its own ({@code qps}
 * 0: no limit, fabric8's behaviour), and whether the intents of updates go to the shard's intent
 * journal, one write for every pass waiting ({@code intentJournal}, {@code INTENT_JOURNAL=on}), or
 * each to its app's status (off, the default).
 */
public record Throughput(
    int reconcileThreads,
    boolean rolloutsFirst,
    double kubeQps,
    int kubeBurst,
    boolean intentJournal) {
  /** JOSDK's default of 50 threads in arrival order; no Kubernetes rate limit; no journal. */
  public static final Throughput DEFAULT = new Throughput(50, false, 0, 0);

  public Throughput(int reconcileThreads, boolean rolloutsFirst, double kubeQps, int kubeBurst) {
    this(reconcileThreads, rolloutsFirst, kubeQps, kubeBurst, false);
  }

  static final int MAX_THREADS = 1000;

  static Throughput fromEnvironment(Map<String, String> env) {
    int threads = whole(env, "RECONCILE_THREADS", "50", 1, MAX_THREADS);
    String order = env.getOrDefault("PASS_ORDER", "arrival").trim();
    if (!order.equals("arrival") && !order.equals("rollouts-first")) {
      throw new IllegalArgumentException(
          "PASS_ORDER must be arrival or rollouts-first, not '" + order + "'");
    }
    double qps = rate(env.getOrDefault("KUBE_CLIENT_QPS", "0").trim());
    String burst = env.get("KUBE_CLIENT_BURST");
    if (burst != null && !burst.isBlank() && qps == 0) {
      throw new IllegalArgumentException(
          "KUBE_CLIENT_BURST needs KUBE_CLIENT_QPS: without a rate there is no limit to burst over");
    }
    int defaultBurst = qps == 0 ? 0 : (int) Math.max(1, Math.ceil(qps * 2));
    String journal = env.getOrDefault("INTENT_JOURNAL", "off").trim();
    if (!journal.equals("on") && !journal.equals("off")) {
      throw new IllegalArgumentException("INTENT_JOURNAL must be on or off, not '" + journal + "'");
    }
    return new Throughput(
        threads,
        order.equals("rollouts-first"),
        qps,
        qps == 0
            ? 0
            : whole(env, "KUBE_CLIENT_BURST", String.valueOf(defaultBurst), 1, Integer.MAX_VALUE),
        journal.equals("on"));
  }

  private static int whole(
      Map<String, String> env, String name, String fallback, int min, int max) {
    String text = env.getOrDefault(name, fallback).trim();
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below with the same message
    }
    throw new IllegalArgumentException(
        name
            + " must be a whole number from "
            + min
            + (max == Integer.MAX_VALUE ? " up" : " to " + max)
            + ", not '"
            + text
            + "'");
  }

  private static double rate(String text) {
    try {
      double value = Double.parseDouble(text);
      if (value >= 0 && Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below with the same message
    }
    throw new IllegalArgumentException(
        "KUBE_CLIENT_QPS must be requests per second, a number such as 50 or 0.5 (0: no limit), not '"
            + text
            + "'");
  }
}
