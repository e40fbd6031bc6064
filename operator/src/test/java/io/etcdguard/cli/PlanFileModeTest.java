package io.etcdguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** `plan` on files: the runbook for the seed incident, exit codes like audit, nothing written. */
class PlanFileModeTest {
  @TempDir Path tmp;

  static CliRun plan(String... args) {
    return CliRun.command("plan", args);
  }

  @Test
  void seedIncidentPrintsANumberedK3sRunbookWithPreconditions() throws IOException {
    Path members = Files.copy(AuditFileModeTest.TEMPORARY, tmp.resolve("members.json"));
    Path nodes = Files.copy(AuditFileModeTest.NODES, tmp.resolve("nodes.json"));
    byte[] membersBefore = Files.readAllBytes(members);

    CliRun run = plan("--members", members.toString(), "--nodes", nodes.toString());

    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    String out = run.out();
    assertThat(out).contains("Remediation plan for 1 of 3 etcd members",
        "member losangeles-0ac72af5 (91bc3c398fb3c146) on node losangeles: TemporaryIPv6Address",
        "Evidence: AddressFamilyMismatch (fd00:c0ff:ee:0:da69:8213:dd0b:aac3), NotNodeInternalIP",
        "Preconditions checked:", "distribution: K3s", "quorum margin: unknown",
        "   1. ", "/etc/rancher/k3s/config.yaml", "node-ip: 192.168.1.30", "ipv4.may-fail no", "use_tempaddr=0",
        "etcdctl member update 91bc3c398fb3c146 --peer-urls=https://192.168.1.30:2380", "systemctl restart k3s");
    assertThat(out.indexOf("node-ip: 192.168.1.30")).isLessThan(out.indexOf("etcdctl member update 91bc3c398fb3c146"));
    assertThat(out).doesNotContain("member remove", "k3s-1-b2495bc5 (");
    assertThat(Files.readAllBytes(members)).as("plan writes nothing").isEqualTo(membersBefore);
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("members.json", "nodes.json");
    }
  }

  @Test
  void pinnedCompliantClusterHasNothingToDo() throws IOException {
    Path pinned = Files.writeString(tmp.resolve("nodes.json"), pinNodeIps(Files.readString(AuditFileModeTest.NODES)));
    CliRun run = plan("--members", AuditFileModeTest.REGISTERED.toString(), "--nodes", pinned.toString());
    assertThat(run.exit()).as(run.err()).isEqualTo(0);
    assertThat(run.out()).isEqualTo("Nothing to do: all 3 members comply.\n");
  }

  /** The incident before the reboot: every member complies, but no server pins its address: the plan says to pin it. */
  @Test
  void compliantMembersOnUnpinnedNodesGetAPlanForTheNodes() {
    CliRun run = plan("--members", AuditFileModeTest.REGISTERED.toString(), "--nodes", AuditFileModeTest.NODES.toString());
    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    assertThat(run.out()).startsWith("All 3 members comply today; 3 etcd Nodes are at risk at the next restart.")
        .contains("== 1. node k3s-1 (member k3s-1-b2495bc5): NodeIPNotPinned", "== 2. node losangeles (member losangeles-0ac72af5): NodeIPNotPinned",
            "Diagnosis: node losangeles (K3s) records no --node-ip in k3s.io/node-args",
            "   1. Pin `node-ip: 192.168.1.30` and `advertise-address: 192.168.1.30` in /etc/rancher/k3s/config.yaml.",
            "== 3. node k3s-2 (member k3s-2-5a3e0192): NodeIPNotPinned")
        .doesNotContain("Remediation plan for", "member remove");
  }

  /** With the agent's report the restart is predicted to fail: the node's section leads with RestartRisk and its three steps. */
  @Test
  void predictedRestartFailureGetsTheRestartRunbook() throws Exception {
    Path report = Files.writeString(tmp.resolve("losangeles.json"), AuditReportsTest.losangelesReportJson(java.time.Instant.now()));
    CliRun run = plan("--members", AuditFileModeTest.REGISTERED.toString(), "--nodes", AuditFileModeTest.NODES.toString(),
        "--reports", report.toString());
    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    String out = run.out();
    assertThat(out).contains("== 1. node losangeles (member losangeles-0ac72af5): RestartRisk",
        "expect: losangeles-0ac72af5=https://[" + AuditReportsTest.TEMP_V6 + "]:2380",
        "Evidence: TemporaryAddressesEnabled, NodeIPNotPinned",
        "   1. Pin the node address in /etc/rancher/k3s/config.yaml: `node-ip: 192.168.1.30`",
        "   2. Make boot wait for IPv4 before k3s.service", "   3. Stop temporary addresses on eth0");
  }

  /** The seed's Nodes with `--node-ip <InternalIP>` recorded in k3s.io/node-args, as a pinned server records it. */
  static String pinNodeIps(String nodesJson) {
    JsonMapper json = JsonMapper.shared();
    JsonNode list = json.readTree(nodesJson);
    for (JsonNode node : list.get("items")) {
      if (!node.get("metadata").path("annotations").has("k3s.io/node-args")) {
        continue; // an agent (worker) Node
      }
      String internalIp = node.get("status").get("addresses").valueStream()
          .filter(a -> a.get("type").asString().equals("InternalIP")).findFirst().orElseThrow().get("address").asString();
      ((ObjectNode) node.get("metadata").get("annotations")).put("k3s.io/node-args",
          json.writeValueAsString(List.of("server", "--node-ip", internalIp)));
    }
    return json.writeValueAsString(list);
  }

  @Test
  void badInputExitsTwo() {
    CliRun run = plan("--members", tmp.resolve("nope.json").toString(), "--nodes", AuditFileModeTest.NODES.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("nope.json: no such file");
    assertThat(plan("--nodes", AuditFileModeTest.NODES.toString()).exit()).isEqualTo(2);
  }
}
