package io.etcdguard.operator;

import io.etcdguard.etcd.EtcdWarmUp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work done once at start, on a daemon thread of its own, so that it overlaps JOSDK's start (configuration, the
 * policy and report informers' first lists) on the second core instead of running inside the first check.
 * Each step is best effort: a step that fails or throws is logged and skipped; the operator never waits for the
 * warm-up and never fails because of it (a check simply finds that code still cold).
 */
public final class StartupWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(StartupWarmUp.class);

  /** One step: true when it did its work, false (or an exception) when it could not. */
  public record Step(String name, Callable<Boolean> work) {}

  /** The operator's steps: the etcd client code (gRPC, netty, protobuf, jetcd) against an in-process stand-in. */
  public static List<Step> operatorSteps() {
    return List.of(new Step("etcd client", () -> {
      EtcdWarmUp.Result result = EtcdWarmUp.run();
      if (result.failure() != null) {
        throw new IllegalStateException(result.failure().toString(), result.failure());
      }
      return result.succeeded();
    }));
  }

  private final CompletableFuture<Map<String, String>> outcome = new CompletableFuture<>();

  private StartupWarmUp() {}

  /** Starts the steps, in order, on one daemon thread, and returns at once. */
  public static StartupWarmUp start(List<Step> steps) {
    StartupWarmUp warmUp = new StartupWarmUp();
    Thread thread = new Thread(() -> warmUp.outcome.complete(runAll(List.copyOf(steps))), "etcdguard-warm-up");
    thread.setDaemon(true);
    thread.setPriority(Thread.NORM_PRIORITY - 1);
    thread.start();
    return warmUp;
  }

  private static Map<String, String> runAll(List<Step> steps) {
    Map<String, String> outcomes = new LinkedHashMap<>();
    for (Step step : steps) {
      long t0 = System.nanoTime();
      String outcome;
      try {
        outcome = Boolean.TRUE.equals(step.work().call()) ? "done" : "not done";
      } catch (Exception | LinkageError | StackOverflowError e) {
        outcome = "failed: " + e;
      }
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      outcomes.put(step.name(), outcome);
      if (outcome.equals("done")) {
        LOG.debug("warm-up {}: done in {} ms", step.name(), ms);
      } else {
        LOG.info("warm-up {} {} after {} ms (harmless: the first check loads that code itself)", step.name(), outcome, ms);
      }
    }
    return outcomes;
  }

  /**
   * Each step's outcome ("done", "not done", "failed: ..."), in order, once all have run; for tests and logs.
   *
   * @throws java.util.concurrent.TimeoutException when the steps have not finished within the time given
   */
  public Map<String, String> outcomes(long timeout, TimeUnit unit) throws Exception {
    return outcome.get(timeout, unit);
  }
}
