package io.etcdguard.operator;

import static io.etcdguard.testkit.TestNetworkNamespace.IPV4;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.etcdguard.api.v1alpha1.Conditions;
import io.etcdguard.api.v1alpha1.MemberStatus;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.etcdguard.api.v1alpha1.ReasonStatus;
import io.etcdguard.testkit.LocalEtcdCluster;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.testkit.TestNetworkNamespace;
import io.etcdguard.testkit.TestPki;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole chain on a real kernel: a {@link TestNetworkNamespace} in which the kernel makes a real temporary IPv6
 * address; the real agent run inside it ({@code agent --once -o json}, its own JVM) and its report published as
 * the Node's NodeAddressReport; a real etcd 3.4 over TLS whose member for that Node is registered first on the
 * Node's IPv4 address (the incident's state before the reboot) and then on the real temporary address; the real
 * JOSDK operator on the CRUD mock API server. The etcd cluster has one member, so no peer ever dials the
 * registered addresses: they are only registered. The steps build on each other; the last one plays the boot
 * race itself (the namespace's IPv4 address removed, as when DHCPv4 is not done yet). Needs root and iproute2 (CI
 * runs as root); skipped with the reason otherwise.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KernelReportEndToEndTest {
  static final String POLICY = "kernel-report";
  static final String NODE = "losangeles";
  static final String MEMBER = "losangeles-4f1c9e0a";
  static final String MEMBER_IP = "127.0.0.55";
  static final String NODE_ARGS_WITHOUT_NODE_IP = "[\"server\",\"--cluster-init\",\"--disable\",\"traefik\"]";

  @TempDir static Path dir;
  static TestNetworkNamespace namespace;
  static LocalEtcdCluster etcd;
  static MockApiServer api;
  static KubernetesClient client;
  static GuardOperator operator;
  /** The agent's first read, started as soon as the namespace is there: it runs while etcd and the operator start. */
  static CompletableFuture<JsonNode> firstRead;
  /** The agent's report as it printed it. */
  static JsonNode agentJson;
  /** The kernel's temporary address in the namespace, as {@code ip -6 addr} shows it. */
  static String temporary;

  @BeforeAll
  static void start() throws Exception {
    String unavailable = TestNetworkNamespace.unavailableReason();
    assumeTrue(unavailable == null, () -> "KernelReportEndToEndTest skipped: " + unavailable);
    namespace = TestNetworkNamespace.create();
    temporary = namespace.temporaryAddress();
    firstRead = CompletableFuture.supplyAsync(KernelReportEndToEndTest::agentOnce);

    TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")), List.of(MEMBER_IP));
    etcd = EndToEndSetup.tlsEtcd(dir.resolve("etcd"), pki, MEMBER, MEMBER_IP);
    // The incident's registered state: the member on its node's IPv4 address.
    etcd.updatePeerUrl(MEMBER, ipv4PeerUrl());

    api = new MockApiServer();
    client = api.client();
    api.createK3sNode(NODE, MEMBER, IPV4, NODE_ARGS_WITHOUT_NODE_IP);
    EndToEndSetup.clientSecret(api, pki);
    operator = EndToEndSetup.startOperator(client);

    client.resource(EndToEndSetup.tlsPolicy(POLICY, etcd.clientEndpoints(), "5s")).create();
  }

  @AfterAll
  static void stop() throws Exception {
    EndToEndSetup.closeAll(operator, api, etcd);
    if (firstRead != null) {
      firstRead.handle((json, failure) -> json).get(60, TimeUnit.SECONDS); // the agent is done before its namespace goes
    }
    if (namespace != null) {
      namespace.close();
    }
  }

  @Test
  @Order(1)
  void beforeTheRebootTheRealBootRaceReportPredictsTheNotAMemberLine() throws Exception {
    agentJson = firstRead.get(60, TimeUnit.SECONDS);
    assertThat(agentJson.at("/spec/predictions/bootRace/address").asText())
        .as("precondition: the agent predicts the kernel's temporary address for a start before IPv4 is up")
        .isEqualTo(temporary);
    client.resource(client.getKubernetesSerialization().unmarshal(agentJson.toString(), NodeAddressReport.class)).create();

    NodeAddressPolicyStatus status = awaitStatus(s -> "False".equals(Conditions.status(s, "RestartSafe")));
    assertThat(Conditions.status(status, "Compliant")).as("the member list itself is clean").isEqualTo("True");
    assertThat(Conditions.message(status, "RestartSafe")).startsWith("node " + NODE + ": RestartRisk: ");
    String notAMember = "this server is a not a member of the etcd cluster. Found [" + MEMBER + "=" + ipv4PeerUrl()
        + "], expect: " + MEMBER + "=https://[" + temporary + "]:2380";
    assertThat(status.getNodesAtRisk()).singleElement().satisfies(n -> {
      assertThat(n.getNode()).isEqualTo(NODE);
      assertThat(n.getRisk()).isEqualTo("RestartRisk");
      assertThat(n.getRisks()).contains("RestartRisk", "TemporaryAddressesEnabled", "NodeIPNotPinned");
      assertThat(n.getPredictedAddress()).isEqualTo(temporary);
      assertThat(n.getMessage()).contains("a start at boot before IPv4 is up would pick " + temporary, notAMember);
      assertThat(n.getFix()).startsWith("1. Pin the node address in /etc/rancher/k3s/config.yaml: `node-ip: " + IPV4 + "`");
    });

    Event event = awaitNodeEvent("RestartRisk");
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(event.getMessage()).contains(notAMember, "Fix: 1. Pin");
    assertThat(EndToEndProbes.scrape(operator.metricsPort()))
        .containsEntry("etcdguard_node_risk{node=\"" + NODE + "\",policy=\"" + POLICY + "\",risk=\"RestartRisk\"}", 1.0);
  }

  @Test
  @Order(2)
  void aMemberRegisteredOnTheRealTemporaryAddressIsConfirmedWithItsRealLifetimes() {
    assumeTrue(agentJson != null, "needs the published report of the first step");
    etcd.updatePeerUrl(MEMBER, "https://[" + temporary + "]:" + etcd.member(MEMBER).peerPort());

    NodeAddressPolicyStatus status = awaitStatus(s -> s.getMembers().stream()
        .anyMatch(m -> m.getName().equals(MEMBER) && "TemporaryIPv6Address".equals(m.getPrimaryReason())));
    assertThat(Conditions.status(status, "Compliant")).isEqualTo("False");
    MemberStatus member = status.getMembers().stream().filter(m -> m.getName().equals(MEMBER)).findFirst().orElseThrow();
    ReasonStatus reason = member.getReasons().stream()
        .filter(r -> r.getReason().equals("TemporaryIPv6Address")).findFirst().orElseThrow();
    assertThat(reason.getConfidence()).isEqualTo("Confirmed");
    // The lifetimes are the kernel's, as the agent read them: deprecated and removed at observedAt plus each.
    JsonNode reported = reportedAddress(temporary);
    assertThat(reported.path("temporary").asBoolean()).isTrue();
    Instant observedAt = Instant.parse(agentJson.at("/spec/observedAt").asText());
    Instant deprecatedAt = observedAt.plusSeconds(reported.path("preferredLifetimeSeconds").asLong());
    Instant removedAt = observedAt.plusSeconds(reported.path("validLifetimeSeconds").asLong());
    assertThat(removedAt).isAfter(deprecatedAt).isAfter(observedAt);
    assertThat(reason.getMessage()).contains(
        "is a temporary (privacy) address on interface " + namespace.device() + " of node " + NODE,
        "deprecated at " + deprecatedAt, "removed at " + removedAt);

    Event event = awaitNodeEvent("TemporaryIPv6Address");
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(event.getMessage()).contains(temporary, "removed at " + removedAt);
    String labels = "{member=\"" + MEMBER + "\",node=\"" + NODE + "\",policy=\"" + POLICY + "\",reason=\"TemporaryIPv6Address\"}";
    assertThat(EndToEndProbes.scrape(operator.metricsPort()))
        .containsEntry("etcdguard_member_diagnosis" + labels, 1.0)
        .containsEntry("etcdguard_member_violation" + labels, 1.0);
  }

  @Test
  @Order(3)
  void theBootRaceItselfWithoutIpv4PicksTheTemporaryAddressNowAndTheRegisteredOneIsGone() throws Exception {
    assumeTrue(agentJson != null, "needs the published report of the first step");
    etcd.updatePeerUrl(MEMBER, ipv4PeerUrl()); // the incident's registered state again
    namespace.removeIpv4(); // DHCPv4 "not done yet"
    JsonNode raced = agentOnce();
    assertThat(raced.at("/spec/predictions/now/address").asText()).isEqualTo(temporary);
    NodeAddressReport stored = client.resources(NodeAddressReport.class).withName(NODE).get();
    NodeAddressReport report = client.getKubernetesSerialization().unmarshal(raced.toString(), NodeAddressReport.class);
    report.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
    client.resource(report).update();

    String notAMember = "this server is a not a member of the etcd cluster. Found [" + MEMBER + "=" + ipv4PeerUrl()
        + "], expect: " + MEMBER + "=https://[" + temporary + "]:2380";
    NodeAddressPolicyStatus status = awaitStatus(s -> s.getMembers().stream()
        .anyMatch(m -> m.getName().equals(MEMBER) && "AddressNotOnNode".equals(m.getPrimaryReason())));
    assertThat(Conditions.status(status, "RestartSafe")).isEqualTo("False");
    assertThat(status.getNodesAtRisk()).singleElement().satisfies(n -> {
      assertThat(n.getRisk()).isEqualTo("RestartRisk");
      assertThat(n.getMessage()).contains("a start now would pick " + temporary, notAMember);
    });
    MemberStatus member = status.getMembers().stream().filter(m -> m.getName().equals(MEMBER)).findFirst().orElseThrow();
    assertThat(member.getReasons()).anySatisfy(r -> {
      assertThat(r.getReason()).isEqualTo("AddressNotOnNode");
      assertThat(r.getConfidence()).isEqualTo("Confirmed");
      assertThat(r.getMessage()).contains(IPV4 + " is on none of node " + NODE + "'s interfaces", temporary);
    });
    Event event = awaitNodeEvent("AddressNotOnNode");
    assertThat(event.getType()).isEqualTo("Warning");
  }

  static String ipv4PeerUrl() {
    return "https://" + IPV4 + ":" + etcd.member(MEMBER).peerPort();
  }

  /** The real agent inside the namespace, as its own JVM with the test's class path, as an admin runs it on a node. */
  static JsonNode agentOnce() {
    try {
      TestNetworkNamespace.Result result = namespace.execJava(System.getProperty("java.class.path"),
          "io.etcdguard.cli.Main", "agent", "--once", "-o", "json", "--node-name", NODE);
      assertThat(result.exitCode()).as("agent --once exit status; stderr: %s", result.stderr()).isZero();
      return JsonMapper.shared().readTree(result.stdout());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the agent ran", e);
    }
  }

  static JsonNode reportedAddress(String address) {
    for (JsonNode each : agentJson.at("/spec/addresses")) {
      if (each.path("address").asText().equals(address)) {
        return each;
      }
    }
    throw new AssertionError("the agent's report has no address " + address + ": " + agentJson.at("/spec/addresses"));
  }

  static NodeAddressPolicyStatus awaitStatus(java.util.function.Predicate<NodeAddressPolicyStatus> condition) {
    return EndToEndProbes.awaitStatus(client, POLICY, condition);
  }

  static Event awaitNodeEvent(String reason) {
    return await().atMost(Duration.ofSeconds(10)).until(() -> EndToEndProbes.nodeEvents(client, NODE).stream()
        .filter(e -> reason.equals(e.getReason())).findFirst().orElse(null), e -> e != null);
  }
}
