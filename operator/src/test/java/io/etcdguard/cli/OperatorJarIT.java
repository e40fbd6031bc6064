package io.etcdguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdguard.api.v1alpha1.Conditions;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressPolicySpec;
import io.etcdguard.testkit.Policies;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.testkit.RefusedPort;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar, as a process: `java -jar etcd-address-guard.jar operator --kubeconfig F` serves its
 * probes, reconciles, and stops cleanly on SIGTERM (the container runtime's stop). Runs after `package`.
 */
class OperatorJarIT {
  static final Path JAR = Path.of("target", "etcd-address-guard.jar");
  @TempDir Path dir;

  @Test
  void runsAgainstAKubeconfigAndStopsOnSigterm() throws Exception {
    try (MockApiServer api = new MockApiServer()) {
      int port;
      try (ServerSocket free = new ServerSocket(0)) {
        port = free.getLocalPort();
      }
      Path log = dir.resolve("operator.log");
      Process operator = new ProcessBuilder("java", "-jar", JAR.toString(), "operator",
          "--kubeconfig", api.writeKubeconfig(dir.resolve("kubeconfig")).toString(), "--metrics-port", String.valueOf(port))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .until(() -> status(http, port, "/readyz") == 200 && status(http, port, "/healthz") == 200);

        api.client().resource(Policies.forEndpoints("nowhere", List.of("http://127.0.0.1:9"),
            NodeAddressPolicySpec.DEFAULT_CHECK_INTERVAL)).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          NodeAddressPolicy p = api.client().resources(NodeAddressPolicy.class).withName("nowhere").get();
          return p.getStatus() != null && "False".equals(Conditions.status(p.getStatus(), "EtcdReachable"));
        });
        // The one-line summary per check, logged once the status is persisted; conditions may be added between
        // these (QuorumHealthy is).
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readString(log))
            .containsPattern("policy nowhere: Ready=False EtcdReachable=False .*Compliant=Unknown")
            .contains("connection refused"));

        operator.destroy(); // SIGTERM
        assertThat(operator.waitFor(20, TimeUnit.SECONDS)).as("stops within the grace period").isTrue();
      } finally {
        operator.destroyForcibly();
      }
    }
  }

  @Test
  void anApiServerItCannotReachAtStartIsTheLastLineAndExit2() throws Exception {
    try (RefusedPort refused = new RefusedPort()) {
      Path kubeconfig = refused.writeKubeconfig(dir.resolve("nowhere"));
      Path log = dir.resolve("not-started.log");
      // fabric8 retries the first list for about 20 s before JOSDK gives up
      Process operator = new ProcessBuilder("java", "-jar", JAR.toString(), "operator",
          "--kubeconfig", kubeconfig.toString(), "--metrics-port", "0")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        assertThat(operator.waitFor(90, TimeUnit.SECONDS)).as("gives up: %s", log).isTrue();
        assertThat(operator.exitValue()).isEqualTo(Main.EXIT_USAGE_OR_INPUT);
        List<String> lines = Files.readAllLines(log);
        assertThat(lines.get(lines.size() - 1)).isEqualTo("error: the operator could not start against the Kubernetes API at"
            + " " + refused.url() + "/: cannot connect: nothing accepts connections there (refused or unreachable)");
      } finally {
        operator.destroyForcibly();
      }
    }
  }

  static int status(HttpClient http, int port, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
