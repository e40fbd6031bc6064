package io.etcdguard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdguard.api.v1alpha1.Conditions;
import io.etcdguard.api.v1alpha1.MemberStatus;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.etcdguard.api.v1alpha1.ReasonStatus;
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
import io.etcdguard.testkit.LocalEtcdCluster;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.testkit.PrinterColumns;
import io.etcdguard.testkit.TestPki;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restart failure predicted before it happens: the real JOSDK operator on the CRUD mock API server, a real
 * 3-member etcd over TLS registered on its members' IPv4 addresses (the incident's state before the reboot), K3s
 * Nodes with node-args, and NodeAddressReports as the agents publish them. The steps build on each other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostureEndToEndTest {
  static final String TEMP_V6 = "fd00:c0ff:ee:0:da69:8213:dd0b:aac3";
  static final String OTHER_TEMP_V6 = "fd00:c0ff:ee:0:5c1e:77a0:9b3d:1f42";
  static final String POLICY = "k3s-etcd";
  static final String LOSANGELES = "losangeles-0ac72af5";
  static final String K3S_2 = "k3s-2-5a3e0192";

  @TempDir static Path dir;
  static LocalEtcdCluster etcd;
  static MockApiServer api;
  static KubernetesClient client;
  static GuardOperator operator;

  @BeforeAll
  static void start() throws Exception {
    TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")), List.of("127.0.0.30", "127.0.0.31", "127.0.0.32"));
    etcd = EndToEndSetup.tlsEtcd(dir.resolve("etcd"), pki,
        LOSANGELES, "127.0.0.30", "k3s-1-b2495bc5", "127.0.0.31", K3S_2, "127.0.0.32");
    api = new MockApiServer();
    client = api.client();
    k3sNode("losangeles", LOSANGELES, "127.0.0.30", "[\"server\",\"--cluster-init\",\"--disable\",\"traefik\"]");
    k3sNode("k3s-1", "k3s-1-b2495bc5", "127.0.0.31", "[\"server\",\"--node-ip\",\"127.0.0.31\"]");
    k3sNode("k3s-2", K3S_2, "127.0.0.32", "[\"server\",\"--node-ip=127.0.0.32\"]");
    EndToEndSetup.clientSecret(api, pki);
    operator = EndToEndSetup.startOperator(client);
  }

  @AfterAll
  static void stop() throws Exception {
    EndToEndSetup.closeAll(operator, api, etcd);
  }

  static void k3sNode(String name, String member, String ip, String nodeArgs) {
    api.createK3sNode(name, member, ip, nodeArgs);
  }

  @Test
  @Order(1)
  void theIncidentsRegisteredStateIsCleanButTheRestartCannotBeJudgedWithoutAReport() {
    // A long interval: only Node and report changes make the operator look again.
    client.resource(EndToEndSetup.tlsPolicy(POLICY, etcd.clientEndpoints(), "10m")).create();
    NodeAddressPolicyStatus status = awaitStatus(s -> "True".equals(Conditions.status(s, "Compliant"))
        && Conditions.status(s, "RestartSafe") != null);
    assertThat(status.getSummary().getViolations()).isZero();
    assertThat(Conditions.status(status, "RestartSafe")).isEqualTo("Unknown");
    assertThat(Conditions.message(status, "RestartSafe")).contains("node losangeles", "no report from its agent");
    assertThat(status.getNodesAtRisk()).singleElement().satisfies(n -> {
      assertThat(n.getNode()).isEqualTo("losangeles");
      assertThat(n.getRisk()).isEqualTo("NodeIPNotPinned");
    });
  }

  @Test
  @Order(2)
  void aBootRaceReportPredictsTheNotAMemberLineOnTheNode() {
    publish("losangeles", List.of(temporary(TEMP_V6), stable("127.0.0.30", 8)), 2, "127.0.0.30", TEMP_V6);

    NodeAddressPolicyStatus status = awaitStatus(s -> "False".equals(Conditions.status(s, "RestartSafe")));
    assertThat(Conditions.message(status, "RestartSafe")).startsWith("node losangeles: RestartRisk: ");
    assertThat(Conditions.status(status, "Compliant")).as("posture Warn: the member list stays compliant").isEqualTo("True");
    List<String> found = List.of(LOSANGELES + "=https://127.0.0.30:" + etcd.member(LOSANGELES).peerPort(),
        "k3s-1-b2495bc5=https://127.0.0.31:" + etcd.member("k3s-1-b2495bc5").peerPort(),
        K3S_2 + "=https://127.0.0.32:" + etcd.member(K3S_2).peerPort());
    String expect = "expect: " + LOSANGELES + "=https://[" + TEMP_V6 + "]:2380";
    assertThat(status.getNodesAtRisk()).singleElement().satisfies(n -> {
      assertThat(n.getRisk()).isEqualTo("RestartRisk");
      assertThat(n.getRisks()).containsExactly("RestartRisk", "TemporaryAddressesEnabled", "NodeIPNotPinned");
      assertThat(n.getPredictedAddress()).isEqualTo(TEMP_V6);
      // the real member list, as etcd orders it, each member once
      assertThat(n.getMessage()).containsPattern("this server is a not a member of the etcd cluster\\. Found \\[[^\\]]+\\], " + java.util.regex.Pattern.quote(expect));
      String list = n.getMessage().substring(n.getMessage().indexOf("Found [") + 7, n.getMessage().indexOf("], expect"));
      assertThat(List.of(list.split(" "))).containsExactlyInAnyOrderElementsOf(found);
      assertThat(n.getFix()).startsWith("1. Pin the node address in /etc/rancher/k3s/config.yaml: `node-ip: 127.0.0.30`");
      assertThat(n.getReport()).startsWith("read at ");
    });
    assertThat(printerColumns()).containsEntry("Restart Safe", "False").containsEntry("Compliant", "True");

    Event event = await().atMost(Duration.ofSeconds(10)).until(() -> nodeEvents("losangeles").stream()
        .filter(e -> "RestartRisk".equals(e.getReason())).findFirst().orElse(null), e -> e != null);
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(event.getMessage()).contains("this server is a not a member of the etcd cluster.", expect, "Fix: 1. Pin");
    assertThat(scrape()).containsEntry("etcdguard_node_risk{node=\"losangeles\",policy=\"" + POLICY + "\",risk=\"RestartRisk\"}", 1.0);
  }

  @Test
  @Order(3)
  void aMemberOnAnAddressItsNodeReportsTemporaryIsConfirmed() throws Exception {
    // The member list changes in etcd (the policy's interval is long); the agent's report is what makes the operator look.
    etcd.updatePeerUrl(K3S_2, "https://[" + OTHER_TEMP_V6 + "]:" + etcd.member(K3S_2).peerPort());
    publish("k3s-2", List.of(temporary(OTHER_TEMP_V6), stable("127.0.0.32", 8)), 0, "127.0.0.32", "127.0.0.32");

    NodeAddressPolicyStatus status = awaitStatus(s -> s.getMembers().stream()
        .anyMatch(m -> m.getName().equals(K3S_2) && "TemporaryIPv6Address".equals(m.getPrimaryReason())));
    MemberStatus member = status.getMembers().stream().filter(m -> m.getName().equals(K3S_2)).findFirst().orElseThrow();
    ReasonStatus temporary = member.getReasons().stream().filter(r -> r.getReason().equals("TemporaryIPv6Address")).findFirst().orElseThrow();
    assertThat(temporary.getConfidence()).isEqualTo("Confirmed");
    assertThat(temporary.getMessage()).contains("is a temporary (privacy) address on interface eth0 of node k3s-2", "deprecated at", "removed at");
    Event event = await().atMost(Duration.ofSeconds(10)).until(() -> nodeEvents("k3s-2").stream()
        .filter(e -> "TemporaryIPv6Address".equals(e.getReason())).findFirst().orElse(null), e -> e != null);
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(scrape()).containsEntry("etcdguard_member_diagnosis{member=\"" + K3S_2 + "\",node=\"k3s-2\",policy=\"" + POLICY
        + "\",reason=\"TemporaryIPv6Address\"}", 1.0);
    etcd.updatePeerUrl(K3S_2, "https://127.0.0.32:" + etcd.member(K3S_2).peerPort());
  }

  static HostAddress temporary(String address) {
    return new HostAddress("eth0", 2, ip(address), 64, 0, AddressFlags.fromBits(AddressFlags.IFA_F_TEMPORARY),
        Lifetime.seconds(172_000), Lifetime.seconds(86_000));
  }

  static HostAddress stable(String address, int prefix) {
    return new HostAddress("eth0", 2, ip(address), prefix, 0, AddressFlags.fromBits(AddressFlags.IFA_F_PERMANENT),
        Lifetime.FOREVER, Lifetime.FOREVER);
  }

  /** What the node's agent would publish: its addresses, use_tempaddr on eth0 and the two predictions. */
  static void publish(String node, List<HostAddress> addresses, int useTempaddr, String now, String bootRace) {
    HostSnapshot host = new HostSnapshot(HostSnapshot.Source.NETLINK, List.of(new NetInterface(2, "eth0", true, false)),
        new ArrayList<>(addresses), List.of(), List.of(new InterfaceSysctls("eth0", useTempaddr, 86_400L, 172_800L)), List.of(),
        Instant.now());
    NodeIpPredictions predictions = new NodeIpPredictions(prediction(now, "IPv4 default route"), prediction(bootRace, "no IPv4 yet"));
    NodeAddressReport report = NodeAddressReports.toReport(node, host, predictions);
    report.getMetadata().setName(node);
    client.resource(report).create();
  }

  static AddressPrediction prediction(String address, String why) {
    return new AddressPrediction(address, address.contains(":") ? IpFamily.IPV6 : IpFamily.IPV4, "eth0", why,
        AddressPrediction.Certainty.CERTAIN);
  }

  static InetAddress ip(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static NodeAddressPolicyStatus awaitStatus(java.util.function.Predicate<NodeAddressPolicyStatus> condition) {
    return EndToEndProbes.awaitStatus(client, POLICY, condition);
  }

  static Map<String, String> printerColumns() {
    Map<String, Object> object = client.genericKubernetesResources("etcdguard.io/v1alpha1", "NodeAddressPolicy")
        .withName(POLICY).get().getAdditionalProperties();
    Map<String, String> columns = new HashMap<>();
    for (var column : api.crd().getSpec().getVersions().get(0).getAdditionalPrinterColumns()) {
      columns.put(column.getName(), PrinterColumns.eval(object, column.getJsonPath()));
    }
    return columns;
  }

  static List<Event> nodeEvents(String node) {
    return EndToEndProbes.nodeEvents(client, node);
  }

  static Map<String, Double> scrape() {
    return EndToEndProbes.scrape(operator.metricsPort());
  }

}
