package io.etcdguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.audit.RealisticNodeList;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A 5,000-Node `kubectl get nodes -o json` (about 67 MB, generated) audits through the CLI with the right
 * verdict. Not timed here: the time and memory are measured by AuditBench (-Pbench), see docs/performance.md.
 */
class AuditLargeClusterTest {
  @TempDir static Path tmp;
  static Path nodes;

  @BeforeAll
  static void generate() throws Exception {
    nodes = RealisticNodeList.write(tmp.resolve("nodes-5000.json"), 5_000);
    // Above snakeyaml's default 3 MiB code-point limit by far: the old reader refused this file.
    assertThat(Files.size(nodes)).isGreaterThan(50L * 1024 * 1024);
  }

  @Test
  void fiveThousandNodeClusterAsRegisteredComplies() {
    CliRun run = AuditFileModeTest.audit("--members", AuditFileModeTest.REGISTERED.toString(), "--nodes", nodes.toString(), "-o", "json");
    assertThat(run.exit()).as(run.err()).isEqualTo(0);
    JsonNode json = JsonMapper.shared().readTree(run.out());
    assertThat(json.get("summary").get("members").asInt()).isEqualTo(3);
    assertThat(json.get("summary").get("compliant").asBoolean()).isTrue();
    assertThat(json.get("members").get(1).get("node").asString()).isEqualTo("losangeles");
  }

  @Test
  void temporaryIpv6MemberIsFoundAmongFiveThousandNodes() {
    CliRun run = AuditFileModeTest.audit("--members", AuditFileModeTest.TEMPORARY.toString(), "--nodes", nodes.toString(),
        "--policy", AuditFileModeTest.POLICY.toString());
    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    assertThat(run.out()).contains("losangeles-0ac72af5", "1 of 3 members do not comply");
    assertThat(run.err()).isEmpty();
  }
}
