package io.etcdguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdguard.operator.GuardOperator;
import io.etcdguard.testkit.LocalEtcdCluster;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.testkit.Policies;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of the shipped jar with leader election and the default lease timings, a real etcd member
 * whose peer address is not its Node's: the leader is killed with SIGKILL (no Lease release), the standby
 * takes the Lease and checks within the lease bound, and no Warning Event is sent again for the violation
 * the first leader already reported.
 */
class LeaderFailoverIT {
  static final Path JAR = Path.of("target", "etcd-address-guard.jar");
  /** The replicas' logs, kept for a failed run. */
  static final Path LOGS = Path.of("target", "leader-failover");
  static final String MEMBER = "failover-etcd-0";
  /** The takeover bound of the default timings, plus time for a loaded CI machine to start processing and check. */
  static final Duration TAKEOVER_BOUND = GuardOperator.LeaseTimings.DEFAULT.worstTakeover().plusSeconds(5);
  @TempDir Path dir;

  @Test
  void aKilledLeadersStandbyChecksWithinTheLeaseBoundAndSendsNoWarningTwice() throws Exception {
    try (LocalEtcdCluster etcd = LocalEtcdCluster.builder(dir.resolve("etcd")).member(MEMBER, "127.0.0.47").start();
        MockApiServer api = new MockApiServer()) {
      // The Node's InternalIP is not the member's peer address: a standing violation, Warned about once.
      api.createK3sNode("failover-node", MEMBER, "127.0.0.48");
      api.client().resource(Policies.forEndpoints("failover", etcd.clientEndpoints(), "5s")).create();
      Path kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"));
      List<Process> started = new ArrayList<>();
      try {
        int portA = freePort();
        Process a = replica("replica-a", kubeconfig, portA, started);
        await().atMost(Duration.ofSeconds(60)).until(() -> "replica-a".equals(holder(api)));
        await().atMost(Duration.ofSeconds(60)).until(() -> checks(portA) > 0 && !warnings(api).isEmpty());

        int portB = freePort();
        replica("replica-b", kubeconfig, portB, started);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> status(portB, "/healthz") == 200);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(LOGS.resolve("replica-b.log")).contains("leader is replica-a"));
        // Let the leader check once more: the Warning stays one Event (that a leader's later checks send none is
        // OperatorEndToEndTest's; what only this test shows is the new leader's first checks).
        double checkedByA = checks(portA);
        await().atMost(Duration.ofSeconds(30)).until(() -> checks(portA) >= checkedByA + 1);
        Map<String, Integer> warningsBefore = warnings(api);
        assertThat(checks(portB)).as("the standby never checks").isZero();

        a.destroyForcibly(); // SIGKILL: the Lease is not released
        long killed = System.nanoTime();
        assertThat(a.waitFor(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(TAKEOVER_BOUND).pollInterval(Duration.ofMillis(100)).until(() -> checks(portB) > 0);
        Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
        System.err.println("LeaderFailoverIT: first check by the new leader " + takeover.toMillis() + " ms after SIGKILL");
        assertThat(holder(api)).isEqualTo("replica-b");

        // Its first check (the one that would repeat the Warning, knowing nothing of it) and the next one.
        await().atMost(Duration.ofSeconds(30)).until(() -> checks(portB) >= 2);
        assertThat(warnings(api)).as("Warning Events (name -> count) after the new leader's checks").isEqualTo(warningsBefore);
      } finally {
        for (Process p : started) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  Process replica(String name, Path kubeconfig, int port, List<Process> started) throws IOException {
    ProcessBuilder builder = new ProcessBuilder("java", "-jar", JAR.toString(), "operator", "--kubeconfig", kubeconfig.toString(),
        "--metrics-port", String.valueOf(port), "--leader-election", "--leader-election-namespace", "default")
        .redirectErrorStream(true).redirectOutput(Files.createDirectories(LOGS).resolve(name + ".log").toFile());
    builder.environment().put("POD_NAME", name);
    Process process = builder.start();
    started.add(process);
    return process;
  }

  static Map<String, Integer> warnings(MockApiServer api) {
    Map<String, Integer> byName = new TreeMap<>();
    for (Event e : api.client().v1().events().inAnyNamespace().list().getItems()) {
      if ("Warning".equals(e.getType())) {
        byName.put(e.getMetadata().getNamespace() + "/" + e.getMetadata().getName(), e.getCount() == null ? 1 : e.getCount());
      }
    }
    return byName;
  }

  static String holder(MockApiServer api) {
    Lease lease = api.client().leases().inNamespace("default").withName(GuardOperator.LEASE_NAME).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** The sum of etcdguard_checks_total on a replica's /metrics, 0 when it has none or does not answer. */
  static double checks(int port) {
    try {
      String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      return body.lines().filter(l -> l.startsWith("etcdguard_checks_total{"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  static int status(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  static int freePort() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    }
  }
}
