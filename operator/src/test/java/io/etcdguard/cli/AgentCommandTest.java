package io.etcdguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.etcdguard.testkit.MockApiServer;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The agent subcommand on this machine's own host: --once output, and the publishing loop on the mock API server. */
class AgentCommandTest {
  @TempDir Path dir;

  @Test
  void onceAsJsonIsTheReportWithEveryAddressAsAnObject() {
    CliRun run = CliRun.of("agent", "--once", "-o", "json", "--node-name", "node-a");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode report = JsonMapper.shared().readTree(run.out());
    assertThat(report.path("kind").asText()).isEqualTo("NodeAddressReport");
    assertThat(report.at("/metadata/name").asText()).isEqualTo("node-a");
    JsonNode spec = report.path("spec");
    assertThat(spec.path("nodeName").asText()).isEqualTo("node-a");
    assertThat(spec.path("source").asText()).isIn("Netlink", "Proc");
    assertThat(spec.path("addresses").isArray()).isTrue();
    assertThat(spec.path("addresses").size()).as("this host has at least a loopback address").isPositive();
    for (JsonNode address : spec.path("addresses")) {
      for (String field : List.of("interface", "address", "prefixLength", "scope", "temporary", "deprecated", "tentative", "permanent")) {
        assertThat(address.has(field)).as("%s in %s", field, address).isTrue();
      }
    }
    assertThat(spec.at("/predictions/now/why").asText()).isNotBlank();
    assertThat(spec.at("/predictions/bootRace/certainty").asText()).isIn("Certain", "Uncertain");
  }

  @Test
  void onceAsTableNamesThePredictions() {
    CliRun run = CliRun.of("agent", "--once", "--node-name", "node-a");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("Node node-a", "INTERFACE", "Auto-detected node address now:", "Auto-detected node address boot race:");
  }

  @Test
  void badDurationsAreUsageErrorsNamingTheOption() {
    CliRun run = CliRun.of("agent", "--node-name", "node-a", "--read-interval", "soon");
    assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE_OR_INPUT);
    assertThat(run.err()).contains("--read-interval");
  }

  @Test
  void publishesTheReportNamedAfterTheNodeUntilStopped() throws Exception {
    try (MockApiServer api = new MockApiServer()) {
      Path kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"));
      AtomicInteger exit = new AtomicInteger(-1);
      StringWriter err = new StringWriter();
      Thread agent = new Thread(() -> {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        exit.set(cli.execute("agent", "--node-name", "node-a", "--kubeconfig", kubeconfig.toString(), "--read-interval", "1s"));
      }, "agent-under-test");
      agent.start();
      try {
        NodeAddressReport report = await().atMost(Duration.ofSeconds(30))
            .until(() -> api.client().resources(NodeAddressReport.class).withName("node-a").get(), r -> r != null);
        assertThat(report.getSpec().getNodeName()).isEqualTo("node-a");
        assertThat(report.getSpec().getAddresses()).isNotEmpty();
        // The object exists once the API server stored it; the agent logs after the response arrived.
        await().atMost(Duration.ofSeconds(30)).until(() -> err.toString().contains("CREATED"));
      } finally {
        agent.interrupt();
        agent.join(Duration.ofSeconds(30).toMillis());
      }
      assertThat(agent.isAlive()).as("the agent stops when interrupted").isFalse();
      assertThat(exit.get()).as(err.toString()).isZero();
      assertThat(err.toString()).contains("publishing NodeAddressReport node-a", "CREATED", "stopped");
    }
  }
}
