package io.etcdguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.etcdguard.api.v1alpha1.NodeAddressReportSpec;
import io.etcdguard.host.HostReader;
import io.etcdguard.host.HostSnapshot;
import io.etcdguard.testkit.ChildProcesses;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.testkit.RefusedPort;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The node agent runs from the class path the image gives it (/app/agent-java-args, written by the build from
 * operator/pom.xml's agent.artifactIds), in a child JVM started exactly as the chart's DaemonSet starts it: a jar the
 * agent comes to need and that is not on that class path fails here, not on a node.
 */
class AgentClasspathTest {
  static AgentJavaArgs args;

  @TempDir Path dir;

  @BeforeAll
  static void readTheBuildsArgumentFile() throws IOException {
    args = AgentJavaArgs.ofBuild(Path.of("target").toAbsolutePath());
  }

  @Test
  void theAgentsClassPathLeavesOutTheOperatorsLibraries() {
    assertThat(args.mainClass()).isEqualTo(Main.class.getName());
    assertThat(args.jvmFlags()).contains("-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp");
    assertThat(args.imageClasspath()).contains("/app/classes")
        .anyMatch(e -> e.matches("/app/libs/picocli-[^/]+\\.jar"))
        .anyMatch(e -> e.matches("/app/libs/kubernetes-httpclient-jdk-[^/]+\\.jar"));
    assertThat(args.imageClasspath()).as("the operator's libraries (etcd, gRPC, Netty, JOSDK, metrics) on the agent's class path")
        .noneMatch(e -> e.matches(".*/(jetcd|grpc|netty|vertx|operator-framework|micrometer|prometheus|guava|protobuf|bcp)[^/]*\\.jar"));
    assertThat(args.imageClasspath()).hasSizeLessThan(24);
  }

  @Test
  void onceAsJsonRunsFromTheAgentsClassPath() throws Exception {
    Path out = dir.resolve("once.json");
    Path err = dir.resolve("once.err");
    Process process = start(List.of("agent", "--once", "-o", "json", "--node-name", "classpath-once"), Map.of(), out, err);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("agent --once ended within 60 s").isTrue();
    assertThat(process.exitValue()).as(Files.readString(err)).isZero();
    NodeAddressReport report = JsonMapper.shared().readValue(out.toFile(), NodeAddressReport.class);
    assertThat(report.getMetadata().getName()).isEqualTo("classpath-once");
    assertThat(report.getSpec().getAddresses()).as("this host has at least a loopback address").isNotEmpty();
    // The /proc fallback must not hide a missing JNA: the child reads the way this JVM (full class path) does.
    String expectedSource = HostReader.live().read().source() == HostSnapshot.Source.NETLINK
        ? NodeAddressReport.SOURCE_NETLINK : NodeAddressReport.SOURCE_PROC;
    assertThat(report.getSpec().getSource()).isEqualTo(expectedSource);
    assertThat(Files.readString(err)).doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
  }

  @Test
  void thePublishingAgentRunsFromTheAgentsClassPathInCluster() throws Exception {
    try (MockApiServer api = new MockApiServer(true)) {
      Map<String, String> inCluster = api.writeInClusterEnvironment(dir);
      Path log = dir.resolve("publishing.log");
      publishingAgentUntil("classpath-publishing", inCluster, log, () ->
          api.client().resources(NodeAddressReport.class).withName("classpath-publishing").get() != null);
      assertThat(Files.readString(log)).contains("agent: CREATED").doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
    }
  }

  @Test
  void thePublishingAgentPatchesAStaleReportFromTheAgentsClassPath() throws Exception {
    try (MockApiServer api = new MockApiServer(true)) {
      Map<String, String> inCluster = api.writeInClusterEnvironment(dir);
      NodeAddressReport stale = new NodeAddressReport();
      stale.setMetadata(new ObjectMetaBuilder().withName("classpath-stale").build());
      stale.setSpec(new NodeAddressReportSpec());
      stale.getSpec().setNodeName("classpath-stale");
      api.client().resource(stale).create();
      Path log = dir.resolve("stale.log");
      publishingAgentUntil("classpath-stale", inCluster, log, () -> {
        NodeAddressReport now = api.client().resources(NodeAddressReport.class).withName("classpath-stale").get();
        return now.getSpec().getAddresses() != null && !now.getSpec().getAddresses().isEmpty();
      });
      assertThat(Files.readString(log)).contains("agent: PATCHED_CHANGED").doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
    }
  }

  @Test
  void anUnreachableApiServerIsReportedFromTheAgentsClassPath() throws Exception {
    try (RefusedPort refused = new RefusedPort(); MockApiServer api = new MockApiServer(true)) {
      Map<String, String> environment = new HashMap<>(api.writeInClusterEnvironment(dir));
      environment.put("KUBERNETES_SERVICE_PORT", Integer.toString(refused.port()));
      Path log = dir.resolve("unreachable.log");
      publishingAgentUntil("classpath-unreachable", environment, log, () ->
          Files.readString(log).contains("agent: cannot publish NodeAddressReport classpath-unreachable"));
      // the cause, not a timeout: fabric8's retries end before the request timeout (AgentCommand.REQUEST_RETRIES)
      assertThat(Files.readString(log)).contains("cannot connect: nothing accepts connections there")
          .doesNotContain("no answer within", "NoClassDefFoundError", "ClassNotFoundException");
    }
  }

  /**
   * Runs the publishing agent for {@code nodeName} (1 s reads) from the agent's class path until {@code done}, the
   * agent running all along (else the assertion shows its log), then stops it.
   */
  private void publishingAgentUntil(String nodeName, Map<String, String> environment, Path log, Callable<Boolean> done)
      throws IOException {
    Process process = start(List.of("agent", "--node-name", nodeName, "--read-interval", "1s", "--heartbeat", "5m"),
        environment, log, log);
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
        assertThat(process.isAlive()).as("the agent is running: %s", Files.readString(log)).isTrue();
        return done.call();
      });
    } finally {
      ChildProcesses.stop(process, Duration.ofSeconds(10));
    }
  }

  private Process start(List<String> agentArgs, Map<String, String> environment, Path out, Path err) throws IOException {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    ProcessBuilder builder = new ProcessBuilder(args.localCommand(tmp, agentArgs));
    if (out.equals(err)) {
      builder.redirectErrorStream(true).redirectOutput(out.toFile());
    } else {
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    }
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("KUBERNETES_") || name.equals("KUBECONFIG")
        || name.equals("JAVA_TOOL_OPTIONS") || name.equals("NODE_NAME"));
    env.putAll(environment);
    return builder.start();
  }
}
