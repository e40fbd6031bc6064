package io.etcdguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void compliantClusterHasNothingToDo() {
    CliRun run = plan("--members", AuditFileModeTest.REGISTERED.toString(), "--nodes", AuditFileModeTest.NODES.toString());
    assertThat(run.exit()).as(run.err()).isEqualTo(0);
    assertThat(run.out()).contains("Nothing to do: all 3 members comply.");
  }

  @Test
  void badInputExitsTwo() {
    CliRun run = plan("--members", tmp.resolve("nope.json").toString(), "--nodes", AuditFileModeTest.NODES.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("nope.json: no such file");
    assertThat(plan("--nodes", AuditFileModeTest.NODES.toString()).exit()).isEqualTo(2);
  }
}
