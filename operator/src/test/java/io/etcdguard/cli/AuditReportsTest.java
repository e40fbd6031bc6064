package io.etcdguard.cli;

import static io.etcdguard.cli.AuditFileModeTest.NODES;
import static io.etcdguard.cli.AuditFileModeTest.REGISTERED;
import static io.etcdguard.cli.AuditFileModeTest.TEMPORARY;
import static io.etcdguard.cli.AuditFileModeTest.audit;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.host.AddressFlags;
import io.etcdguard.host.AddressPrediction;
import io.etcdguard.host.HostAddress;
import io.etcdguard.host.HostSnapshot;
import io.etcdguard.host.InterfaceSysctls;
import io.etcdguard.host.IpFamily;
import io.etcdguard.host.Lifetime;
import io.etcdguard.host.NetInterface;
import io.etcdguard.host.NodeAddressReports;
import io.etcdguard.host.NodeIpPredictions;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** audit --reports: the agents' reports offline, one `agent --once -o json` file or a kubectl List. */
class AuditReportsTest {
  static final String TEMP_V6 = "fd00:c0ff:ee:0:da69:8213:dd0b:aac3";

  @TempDir Path tmp;

  /** losangeles as its agent would print it: the temporary IPv6 first, the IPv4 beside it, a boot race onto the IPv6. */
  static String losangelesReportJson(Instant readAt) throws Exception {
    HostSnapshot host = new HostSnapshot(HostSnapshot.Source.NETLINK, List.of(new NetInterface(2, "eth0", true, false)),
        List.of(new HostAddress("eth0", 2, InetAddress.getByName(TEMP_V6), 64, 0, AddressFlags.fromBits(AddressFlags.IFA_F_TEMPORARY),
                Lifetime.seconds(172_000), Lifetime.seconds(86_000)),
            new HostAddress("eth0", 2, InetAddress.getByName("192.168.1.30"), 24, 0, AddressFlags.NONE, Lifetime.FOREVER, Lifetime.FOREVER)),
        List.of(), List.of(new InterfaceSysctls("eth0", 2, 86_400L, 172_800L)), List.of(), readAt);
    NodeIpPredictions predictions = new NodeIpPredictions(
        new AddressPrediction("192.168.1.30", IpFamily.IPV4, "eth0", "IPv4 default route", AddressPrediction.Certainty.CERTAIN),
        new AddressPrediction(TEMP_V6, IpFamily.IPV6, "eth0", "no IPv4 yet", AddressPrediction.Certainty.CERTAIN));
    return AgentCommand.OnceOutput.JSON.writeValueAsString(NodeAddressReports.toReport("losangeles", host, predictions));
  }

  @Test
  void theIncidentBeforeTheRebootIsCleanButTheRestartIsPredictedToFail() throws Exception {
    Path report = Files.writeString(tmp.resolve("losangeles.json"), losangelesReportJson(Instant.now()));
    var run = audit("--members", REGISTERED.toString(), "--nodes", NODES.toString(), "--reports", report.toString(), "-o", "json");
    assertThat(run.exit()).as(run.err()).isEqualTo(0);
    JsonNode json = JsonMapper.shared().readTree(run.out());
    assertThat(json.get("summary").get("compliant").asBoolean()).isTrue();
    assertThat(json.get("restartSafe").get("status").asString()).isEqualTo("False");
    JsonNode losangeles = json.get("nodesAtRisk").valueStream().filter(n -> n.get("node").asString().equals("losangeles"))
        .findFirst().orElseThrow();
    assertThat(losangeles.get("risk").asString()).isEqualTo("RestartRisk");
    assertThat(losangeles.get("message").asString()).contains("this server is a not a member of the etcd cluster. Found [",
        "expect: losangeles-0ac72af5=https://[" + TEMP_V6 + "]:2380");

    var table = audit("--members", REGISTERED.toString(), "--nodes", NODES.toString(), "--reports", report.toString());
    assertThat(table.out()).contains("All 3 members comply.", "Restart safe: False", "node losangeles (member losangeles-0ac72af5): RestartRisk",
        "Fix: 1. Pin the node address in /etc/rancher/k3s/config.yaml");
  }

  @Test
  void aKubectlListOfReportsConfirmsTheTemporaryAddress() throws Exception {
    String item = losangeles(Instant.now());
    Path list = Files.writeString(tmp.resolve("list.json"), "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + item + "]}");
    var run = audit("--members", TEMPORARY.toString(), "--nodes", NODES.toString(), "--reports", list.toString(), "-o", "json");
    assertThat(run.exit()).isEqualTo(1);
    JsonNode member = JsonMapper.shared().readTree(run.out()).get("members").valueStream()
        .filter(m -> m.get("name").asString().equals("losangeles-0ac72af5")).findFirst().orElseThrow();
    JsonNode temporary = member.get("reasons").valueStream().filter(r -> r.get("reason").asString().equals("TemporaryIPv6Address"))
        .findFirst().orElseThrow();
    assertThat(temporary.get("confidence").asString()).isEqualTo("Confirmed");
  }

  @Test
  void aStaleReportIsIgnoredAndSaid() throws Exception {
    Path report = Files.writeString(tmp.resolve("old.json"), losangeles(Instant.now().minusSeconds(3600)));
    var run = audit("--members", REGISTERED.toString(), "--nodes", NODES.toString(), "--reports", report.toString(), "-o", "json");
    JsonNode json = JsonMapper.shared().readTree(run.out());
    assertThat(json.get("restartSafe").get("status").asString()).isEqualTo("Unknown");
    JsonNode losangeles = json.get("nodesAtRisk").valueStream().filter(n -> n.get("node").asString().equals("losangeles"))
        .findFirst().orElseThrow();
    assertThat(losangeles.get("report").asString()).contains("stale (older than 3 heartbeats): ignored");
    assertThat(losangeles.get("risks").valueStream().map(JsonNode::asString).toList()).containsExactly("NodeIPNotPinned");
  }

  @Test
  void aMalformedReportIsOneLineNamingTheFileAndField() throws Exception {
    Path report = Files.writeString(tmp.resolve("bad.json"), "{\"apiVersion\":\"etcdguard.io/v1alpha1\",\"kind\":\"NodeAddressReport\","
        + "\"metadata\":{\"name\":\"losangeles\"},\"spec\":{\"nodeName\":\"losangeles\"}}");
    var run = audit("--members", REGISTERED.toString(), "--nodes", NODES.toString(), "--reports", report.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: " + report).contains("spec.observedAt").doesNotContain("\tat ");
    Path policy = Files.writeString(tmp.resolve("p.json"), "{\"kind\":\"NodeAddressPolicy\"}");
    assertThat(audit("--members", REGISTERED.toString(), "--nodes", NODES.toString(), "--reports", policy.toString()).err())
        .contains("kind: expected NodeAddressReport or a List of them, found 'NodeAddressPolicy'");
  }

  private static String losangeles(Instant at) throws Exception {
    return losangelesReportJson(at);
  }
}
