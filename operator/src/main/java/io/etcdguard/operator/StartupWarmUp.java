package io.etcdguard.operator;

import io.etcdguard.api.v1alpha1.Conditions;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.check.CheckOutcome;
import io.etcdguard.check.CheckResult;
import io.etcdguard.check.Checker;
import io.etcdguard.check.HostnameResolver;
import io.etcdguard.classify.EtcdMember;
import io.etcdguard.classify.HostReports;
import io.etcdguard.classify.MembershipHealth;
import io.etcdguard.classify.NodeInfo;
import io.etcdguard.classify.PolicyRules;
import io.etcdguard.etcd.EtcdWarmUp;
import io.etcdguard.etcd.MemberListing;
import io.etcdguard.status.EventPlanner;
import io.etcdguard.status.StatusComposer;
import io.etcdguard.status.PlannedEvent;
import java.time.Duration;
import java.time.Instant;
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

  /**
   * The operator's steps: the etcd client code (gRPC, netty, protobuf, jetcd) against an in-process stand-in,
   * then a check's pure part (classification, advice, status and Event planning) on a made-up member.
   */
  public static List<Step> operatorSteps() {
    return List.of(new Step("etcd client", () -> {
      EtcdWarmUp.Result result = EtcdWarmUp.run();
      if (result.failure() != null) {
        throw new IllegalStateException(result.failure().toString(), result.failure());
      }
      return result.succeeded();
    }), new Step("classification and status", StartupWarmUp::classifyAndCompose));
  }

  /**
   * Runs what a check does after etcd answered, on the incident's shape (a K3s member registered on a temporary
   * IPv6 address its Node does not list), so the rules, the advice, the status types and the Event planning are
   * loaded before the first policy is checked. Nothing is written anywhere. True when it came to a non-compliant
   * status with Events planned, i.e. the whole path ran.
   */
  static boolean classifyAndCompose() {
    NodeInfo node = new NodeInfo("warm-up", Map.of("node-role.kubernetes.io/etcd", "true"),
        Map.of("etcd.k3s.cattle.io/node-name", "warm-up-0"), List.of("192.0.2.30"), List.of());
    MemberListing listing = new MemberListing(1, List.of(new EtcdMember(2, "warm-up-0",
        List.of("https://[fd00::da69:8213:dd0b:aac3]:2380"), List.of("https://192.0.2.30:2379"), false)));
    CheckResult result = new Checker(new HostnameResolver(Duration.ofMillis(100)))
        .check(listing, List.of(node), PolicyRules.defaults(), MembershipHealth.unknown(), HostReports.NONE);
    NodeAddressPolicyStatus status = StatusComposer.compose(null, 1, new CheckOutcome.Checked(result), Instant.now());
    List<PlannedEvent> events = EventPlanner.plan(null, status);
    return "False".equals(Conditions.status(status, NodeAddressPolicyStatus.CONDITION_COMPLIANT)) && !events.isEmpty();
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
