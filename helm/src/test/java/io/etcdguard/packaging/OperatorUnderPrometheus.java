package io.etcdguard.packaging;

import io.etcdguard.testkit.Policies;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.testkit.LocalEtcdCluster;
import io.etcdguard.operator.GuardOperator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed incident under real monitoring: a real 3-member etcd on loopback in which member
 * losangeles-0ac72af5 advertises a temporary IPv6 peer URL, the real operator (against the CRUD mock API
 * server, policy checked every 5 s), and a real Prometheus scraping it every second as job
 * etcd-address-guard, with the shipped alert rules loaded.
 */
final class OperatorUnderPrometheus implements AutoCloseable {
  static final String JOB = "etcd-address-guard";
  static final String POLICY = "k3s-etcd";
  static final String LOSANGELES = "losangeles-0ac72af5";
  static final String LOSANGELES_NODE = "losangeles";
  static final String TEMPORARY_IPV6 = "fd00:c0ff:ee:0:da69:8213:dd0b:aac3";
  private static final Pattern HOLD_DURATION = Pattern.compile("(?m)^([ \\t]+)for:[ \\t]*\\S+[ \\t]*$");
  private static final Duration PROMETHEUS_START_TIMEOUT = Duration.ofSeconds(45);

  LocalEtcdCluster etcd;
  MockApiServer api;
  GuardOperator operator;
  PrometheusServer prometheus;
  private boolean advertisesTemporaryAddress;

  private OperatorUnderPrometheus() {
  }

  static OperatorUnderPrometheus start(Path dir) throws Exception {
    OperatorUnderPrometheus stack = new OperatorUnderPrometheus();
    try {
      stack.startAll(dir);
      return stack;
    } catch (Exception | AssertionError e) {
      stack.close();
      throw e;
    }
  }

  private void startAll(Path dir) throws Exception {
    api = new MockApiServer();
    api.createK3sNode(LOSANGELES_NODE, LOSANGELES, "127.0.0.50");
    api.createK3sNode("k3s-1", "k3s-1-b2495bc5", "127.0.0.51");
    api.createK3sNode("k3s-2", "k3s-2-5a3e0192", "127.0.0.52");
    // The metrics port is bound here; the reconciler only runs after start().
    operator = new GuardOperator(api.client(), new GuardOperator.Settings(0, null, "prometheus-e2e", Duration.ofSeconds(1)));

    // Prometheus starts while etcd does: each takes a moment.
    Path rules = dir.resolve("etcdguard-alerts-for-0s.yaml");
    Files.writeString(rules, withoutHoldDurations(ProjectFiles.read(ProjectFiles.alertsFile())));
    String config = config(operator.metricsPort(), rules);
    Path prometheusDir = Files.createDirectories(dir.resolve("prometheus"));
    CompletableFuture<PrometheusServer> prometheusStarting = CompletableFuture.supplyAsync(() -> {
      try {
        return PrometheusServer.start(prometheusDir, config);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      etcd = LocalEtcdCluster.builder(dir.resolve("etcd"))
          .member(LOSANGELES, "127.0.0.50").member("k3s-1-b2495bc5", "127.0.0.51").member("k3s-2-5a3e0192", "127.0.0.52")
          .start();
      advertiseTemporaryAddress();
    } catch (Exception | AssertionError etcdFailure) {
      // close() needs the server's handle to stop it.
      try {
        prometheus = awaitStarted(prometheusStarting);
      } catch (AssertionError prometheusFailure) {
        etcdFailure.addSuppressed(prometheusFailure);
      }
      throw etcdFailure;
    }
    prometheus = awaitStarted(prometheusStarting);

    operator.start();
    api.client().resource(Policies.forEndpoints(POLICY, etcd.clientEndpoints(), "5s")).create();
  }

  private static PrometheusServer awaitStarted(CompletableFuture<PrometheusServer> starting) throws InterruptedException {
    try {
      return starting.get(PROMETHEUS_START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof AssertionError a ? a : new AssertionError("Prometheus did not start", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("Prometheus did not start within " + PROMETHEUS_START_TIMEOUT, e);
    }
  }

  /** The peer URL the seed incident's member advertised: its real port on the temporary IPv6 address. */
  String temporaryPeerUrl() {
    return "http://[" + TEMPORARY_IPV6 + "]:" + etcd.member(LOSANGELES).peerPort();
  }

  /** etcdctl member update to the temporary address (the seed incident), unless the member already advertises it. */
  void advertiseTemporaryAddress() {
    if (!advertisesTemporaryAddress) {
      etcd.updatePeerUrl(LOSANGELES, temporaryPeerUrl());
      advertisesTemporaryAddress = true;
    }
  }

  /** etcdctl member update back to the address the member listens on. */
  void restoreLosAngeles() {
    etcd.updatePeerUrl(LOSANGELES, etcd.member(LOSANGELES).peerUrl());
    advertisesTemporaryAddress = false;
  }

  String memberIdHex(String member) {
    return Long.toHexString(etcd.memberId(member));
  }

  /**
   * The rules file with every {@code for:} set to 0s, so that an alert fires at the first evaluation that
   * finds it instead of after minutes; every other line is kept as it is.
   */
  static String withoutHoldDurations(String rules) {
    Matcher matcher = HOLD_DURATION.matcher(rules);
    String rewritten = matcher.replaceAll("$1for: 0s");
    String[] before = rules.split("\n", -1);
    String[] after = rewritten.split("\n", -1);
    if (before.length != after.length) {
      throw new IllegalStateException("rewriting for: changed the number of lines");
    }
    for (int i = 0; i < before.length; i++) {
      if (!before[i].equals(after[i]) && !HOLD_DURATION.matcher(before[i]).matches()) {
        throw new IllegalStateException("rewriting for: changed line " + (i + 1) + ": " + before[i]);
      }
    }
    return rewritten;
  }

  private static String config(int metricsPort, Path rules) {
    return """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        rule_files:
          - %s
        scrape_configs:
          - job_name: %s
            static_configs:
              - targets: ['127.0.0.1:%d']
        """.formatted(rules, JOB, metricsPort);
  }

  /** Stops what was started: Prometheus first (no scrape of a half-stopped operator), etcd last. */
  @Override
  public void close() {
    List<Throwable> failures = new ArrayList<>();
    for (AutoCloseable component : new AutoCloseable[] {prometheus, operator, api, etcd}) {
      try {
        if (component != null) {
          component.close();
        }
      } catch (Exception | AssertionError e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      IllegalStateException failure = new IllegalStateException("stopping the test stack failed");
      failures.forEach(failure::addSuppressed);
      throw failure;
    }
  }
}
