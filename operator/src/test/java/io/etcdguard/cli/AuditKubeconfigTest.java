package io.etcdguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.testkit.RefusedPort;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** `audit --kubeconfig`: Nodes come from an API server, selected by the default etcd-role selector. */
class AuditKubeconfigTest {
  @TempDir Path tmp;

  @Test
  void readsNodesFromTheClusterAndAppliesTheDefaultSelector() throws Exception {
    try (MockApiServer api = new MockApiServer()) {
      api.createK3sNode("losangeles", "losangeles-0ac72af5", "192.168.1.30");
      api.createK3sNode("k3s-1", "k3s-1-b2495bc5", "192.168.1.31");
      // k3s-2 exists but lacks the etcd role label: the default selector leaves it out.
      api.client().nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder()
          .withNewMetadata().withName("k3s-2").endMetadata()
          .withNewStatus().addNewAddress().withType("InternalIP").withAddress("192.168.1.32").endAddress().endStatus()
          .build()).create();
      Path kubeconfig = api.writeKubeconfig(tmp.resolve("kubeconfig"));

      CliRun run = AuditFileModeTest.audit("--members", AuditFileModeTest.TEMPORARY.toString(),
          "--kubeconfig", kubeconfig.toString(), "-o", "json");

      assertThat(run.exit()).as(run.err()).isEqualTo(1);
      JsonNode members = JsonMapper.shared().readTree(run.out()).get("members");
      assertThat(members.get(0).get("node").asString()).isEqualTo("k3s-1");
      assertThat(members.get(1).get("node").asString()).isEqualTo("losangeles");
      assertThat(members.get(2).get("node").isNull()).isTrue();
      assertThat(members.get(2).get("reasons").get(0).get("reason").asString()).isEqualTo("NoMatchingNode");
    }
  }

  @Test
  void unreachableApiServerIsOneLineNamingIt() throws Exception {
    try (RefusedPort refused = new RefusedPort()) {
      Path kubeconfig = refused.writeKubeconfig(tmp.resolve("nowhere"));
      CliRun run = AuditFileModeTest.audit("--members", AuditFileModeTest.REGISTERED.toString(), "--kubeconfig", kubeconfig.toString());
      assertThat(run.exit()).isEqualTo(2);
      assertThat(run.err()).contains("cannot list Nodes", refused.url(), "cannot connect: nothing accepts connections there")
          .doesNotContain("\tat ", "Operation: [list]");
    }
  }
}
