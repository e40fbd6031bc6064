package io.etcdguard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdguard.api.v1alpha1.Conditions;
import io.etcdguard.api.v1alpha1.MemberStatus;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.etcd.JetcdMemberSource;
import io.etcdguard.testkit.LocalEtcdCluster;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.testkit.PrinterColumns;
import io.etcdguard.testkit.TestPki;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real JOSDK operator against the CRUD mock API server and a real 3-member etcd over TLS, with the
 * client certificate in a Secret: the seed incident from apply to fix, as an admin sees it through
 * status, Events and /metrics. The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorEndToEndTest {
  static final String TEMPORARY_IPV6 = "fd00:c0ff:ee:0:da69:8213:dd0b:aac3";
  static final String POLICY = "k3s-etcd";
  static final String LOSANGELES = "losangeles-0ac72af5";

  @TempDir static Path dir;
  static TestPki pki;
  static LocalEtcdCluster etcd;
  static MockApiServer api;
  static KubernetesClient client;
  static GuardOperator operator;
  static final AtomicInteger openClients = new AtomicInteger();
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(Files.createDirectories(dir.resolve("pki")), List.of("127.0.0.30", "127.0.0.31", "127.0.0.32"));
    etcd = EndToEndSetup.tlsEtcd(dir.resolve("etcd"), pki,
        LOSANGELES, "127.0.0.30", "k3s-1-b2495bc5", "127.0.0.31", "k3s-2-5a3e0192", "127.0.0.32");

    api = new MockApiServer();
    client = api.client();
    api.createK3sNode("losangeles", LOSANGELES, "127.0.0.30");
    api.createK3sNode("k3s-1", "k3s-1-b2495bc5", "127.0.0.31");
    api.createK3sNode("k3s-2", "k3s-2-5a3e0192", "127.0.0.32");
    EndToEndSetup.clientSecret(api, pki);
    operator = EndToEndSetup.startOperator(client, config -> {
      openClients.incrementAndGet();
      return new GuardOperator.PooledJetcd(new JetcdMemberSource(config));
    });
  }

  @AfterAll
  static void stop() throws Exception {
    EndToEndSetup.closeAll(operator, api, etcd);
  }

  @Test
  @Order(1)
  void appliedPolicyGetsStatusWithPrinterColumnFields() {
    client.resource(policy(POLICY, "kube-system", "etcd-client", "5s")).create();

    NodeAddressPolicyStatus status = awaitStatus(POLICY, s -> "True".equals(Conditions.status(s, "Compliant")));
    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    assertThat(status.getSummary().getMembers()).isEqualTo(3);
    assertThat(status.getSummary().getViolations()).isZero();
    assertThat(Conditions.status(status, "EtcdReachable")).isEqualTo("True");
    assertThat(Conditions.status(status, "Ready")).isEqualTo("True");
    assertThat(status.getLastCheckTime()).isNotBlank();
    assertThat(status.getClusterID()).matches("[0-9a-f]+");
    assertThat(status.getMembers()).extracting(MemberStatus::getNode).containsExactlyInAnyOrder("losangeles", "k3s-1", "k3s-2");
    assertThat(printerColumns(POLICY)).containsEntry("Members", "3").containsEntry("Violations", "0")
        .containsEntry("Compliant", "True").containsEntry("Etcd", "True");
    NodeAddressPolicyStatus healthy = awaitStatus(POLICY,
        s -> s.getSummary().getQuorum() != null && s.getSummary().getQuorum().getHealthyVoters() == 3);
    assertThat(healthy.getSummary().getQuorum().getFaultTolerance()).isEqualTo(1);
    assertThat(healthy.getMembers()).filteredOn(m -> m.getHealth().isLeader()).hasSize(1);
    assertThat(Conditions.reason(healthy, "QuorumHealthy")).isEqualTo("FaultTolerant");
    assertThat(openClients.get()).isEqualTo(1);
    assertThat(client.resources(NodeAddressPolicy.class).withName(POLICY).get().getMetadata().getFinalizers())
        .as("no finalizer: a policy never hangs in Terminating when the operator is gone").isEmpty();
  }

  @Test
  @Order(2)
  void temporaryIpv6PeerUrlRaisesOneWarningWithOneFixOnTheNodeAndOneDiagnosisSeries() throws Exception {
    etcd.updatePeerUrl(LOSANGELES, "https://[" + TEMPORARY_IPV6 + "]:" + etcd.member(LOSANGELES).peerPort());

    NodeAddressPolicyStatus status = awaitStatus(POLICY, s -> "False".equals(Conditions.status(s, "Compliant")));
    assertThat(status.getSummary().getViolations()).isEqualTo(1);
    assertThat(printerColumns(POLICY)).containsEntry("Violations", "1").containsEntry("Compliant", "False");

    // One incident, one Warning with one fix: the primary reason, its evidence, the fix.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(nodeEvents("losangeles"))
        .extracting(Event::getReason).contains("TemporaryIPv6Address"));
    assertThat(nodeEvents("losangeles")).filteredOn(e -> "Warning".equals(e.getType())).as("one Warning for the incident")
        .singleElement().extracting(Event::getReason).isEqualTo("TemporaryIPv6Address");
    Event temporary = nodeEvents("losangeles").stream().filter(e -> e.getReason().equals("TemporaryIPv6Address")).findFirst().orElseThrow();
    assertThat(temporary.getType()).isEqualTo("Warning");
    assertThat(temporary.getReportingComponent()).isEqualTo("etcd-address-guard");
    assertThat(temporary.getInvolvedObject().getKind()).isEqualTo("Node");
    assertThat(temporary.getInvolvedObject().getUid()).isEqualTo(client.nodes().withName("losangeles").get().getMetadata().getUid());
    assertThat(temporary.getMessage()).contains(LOSANGELES, TEMPORARY_IPV6, "127.0.0.30", "Also: AddressFamilyMismatch, NotNodeInternalIP",
        "Fix: ", "node-ip 127.0.0.30 in /etc/rancher/k3s/config.yaml", "etcd-address-guard plan");
    assertThat(temporary.getMessage().split("Fix: ", -1)).as("the fix once").hasSize(2);
    MemberStatus losangeles = member(status, LOSANGELES);
    assertThat(losangeles.getPrimaryReason()).isEqualTo("TemporaryIPv6Address");
    assertThat(String.join("\n", losangeles.getFix().getSteps())).contains("Before=k3s.service", "use_tempaddr=0",
        "etcdctl member update " + Long.toHexString(etcd.memberId(LOSANGELES)) + " --peer-urls=https://127.0.0.30:");
    assertThat(policyEvents()).extracting(Event::getReason).contains("TemporaryIPv6Address");

    Map<String, Double> metrics = settledScrape(m -> m.containsKey(series("etcdguard_member_violation", "member", LOSANGELES,
        "node", "losangeles", "policy", POLICY, "reason", "TemporaryIPv6Address")));
    assertThat(metrics).containsEntry(series("etcdguard_member_violation", "member", LOSANGELES, "node", "losangeles",
        "policy", POLICY, "reason", "TemporaryIPv6Address"), 1.0);
    assertThat(metrics).containsEntry(series("etcdguard_member_diagnosis", "member", LOSANGELES, "node", "losangeles",
        "policy", POLICY, "reason", "TemporaryIPv6Address"), 1.0);
    assertThat(metrics.keySet()).filteredOn(k -> k.startsWith("etcdguard_member_diagnosis{")).as("one diagnosis series").hasSize(1);
    assertThat(metrics).containsEntry("etcdguard_policy_violations{policy=\"" + POLICY + "\"}", 1.0);
    assertThat(metrics).containsEntry("etcdguard_etcd_up{policy=\"" + POLICY + "\"}", 1.0);
    // The client certificate of the policy's Secret, as loaded for the check: its notAfter in Unix seconds.
    java.security.cert.X509Certificate clientCertificate;
    try (var pem = Files.newInputStream(pki.client(TestPki.KeyFormat.SEC1_EC).cert())) {
      clientCertificate = (java.security.cert.X509Certificate)
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(pem);
    }
    assertThat(metrics).containsEntry("etcdguard_etcd_client_cert_expiry_timestamp_seconds{policy=\"" + POLICY + "\"}",
        (double) clientCertificate.getNotAfter().toInstant().getEpochSecond());
    assertThat(metrics.keySet()).anyMatch(k -> k.startsWith("etcdguard_member_info{") && k.contains(TEMPORARY_IPV6));
  }

  @Test
  @Order(3)
  void noNewEventsWhileNothingChanges() {
    int events = allEvents().size();
    double checks = checks("success");
    await().atMost(Duration.ofSeconds(20)).until(() -> checks("success") >= checks + 2);
    assertThat(allEvents()).hasSize(events);
  }

  @Test
  @Order(4)
  void restoringThePeerUrlIsReportedCompliant() throws Exception {
    etcd.updatePeerUrl(LOSANGELES, etcd.member(LOSANGELES).peerUrl());

    NodeAddressPolicyStatus status = awaitStatus(POLICY, s -> "True".equals(Conditions.status(s, "Compliant")));
    assertThat(status.getSummary().getViolations()).isZero();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(nodeEvents("losangeles"))
        .filteredOn(e -> e.getReason().equals("MemberCompliant")).singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo("Normal")));
    assertThat(scrape().keySet()).noneMatch(k -> k.startsWith("etcdguard_member_violation{"));
  }

  @Test
  @Order(5)
  void nodeAddressChangeIsRecheckedAtOnceNotAtTheNextInterval() {
    // A long interval, so only the Node event can explain a prompt re-check.
    client.resources(NodeAddressPolicy.class).withName(POLICY).edit(p -> {
      p.getSpec().setCheckInterval("10m");
      return p;
    });
    awaitStatus(POLICY, s -> s.getObservedGeneration() == 2L);

    client.nodes().withName("k3s-1").edit(n -> {
      n.getStatus().setAddresses(List.of(new NodeAddressBuilder().withType("InternalIP").withAddress("127.0.0.99").build()));
      return n;
    });
    NodeAddressPolicyStatus moved = awaitStatus(POLICY, Duration.ofSeconds(3), s -> member(s, "k3s-1-b2495bc5").getReasons().stream()
        .anyMatch(r -> r.getReason().equals("NotNodeInternalIP")));
    assertThat(member(moved, "k3s-1-b2495bc5").getReasons()).extracting(r -> r.getMessage()).allMatch(m -> m.contains("127.0.0.99"));

    client.nodes().withName("k3s-1").edit(n -> {
      n.getStatus().setAddresses(List.of(new NodeAddressBuilder().withType("InternalIP").withAddress("127.0.0.31").build()));
      return n;
    });
    awaitStatus(POLICY, Duration.ofSeconds(3), s -> "True".equals(Conditions.status(s, "Compliant")));

    client.resources(NodeAddressPolicy.class).withName(POLICY).edit(p -> {
      p.getSpec().setCheckInterval("5s");
      return p;
    });
  }

  @Test
  @Order(6)
  void aFrozenMemberIsUnhealthyNotEtcdUnreachableAndQuorumLostIsNeverCompliant() throws Exception {
    String frozen = "k3s-2-5a3e0192";
    String policyLabel = "{policy=\"" + POLICY + "\"}";
    etcd.pauseMember(frozen);
    try {
      NodeAddressPolicyStatus oneFrozen = awaitStatus(POLICY, Duration.ofSeconds(60), s -> s.getSummary() != null
          && s.getSummary().getQuorum() != null && s.getSummary().getQuorum().getHealthyVoters() == 2);
      assertThat(Conditions.status(oneFrozen, "EtcdReachable")).isEqualTo("True");
      assertThat(Conditions.status(oneFrozen, "Compliant")).isEqualTo("True");
      assertThat(Conditions.reason(oneFrozen, "QuorumHealthy")).isEqualTo("NoFaultTolerance");
      assertThat(member(oneFrozen, frozen).getHealth().getReachable()).isFalse();
      assertThat(member(oneFrozen, frozen).getHealth().getError()).contains("timeout");
      assertThat(printerColumns(POLICY)).containsEntry("Fault Tolerance", "0").containsEntry("Healthy", "2")
          .containsEntry("Etcd", "True");
      assertThat(settledScrape(m -> Double.valueOf(0.0).equals(m.get("etcdguard_quorum_fault_tolerance" + policyLabel))))
          .containsEntry("etcdguard_quorum_fault_tolerance" + policyLabel, 0.0)
          .containsEntry("etcdguard_etcd_up" + policyLabel, 1.0);
      assertThat(policyEvents()).extracting(Event::getReason).doesNotContain("EtcdUnreachable");
    } finally {
      etcd.resumeMember(frozen);
    }
    awaitStatus(POLICY, Duration.ofSeconds(60), s -> "FaultTolerant".equals(Conditions.reason(s, "QuorumHealthy")));

    etcd.stopMember("k3s-1-b2495bc5");
    etcd.stopMember(frozen);
    try {
      NodeAddressPolicyStatus lost = awaitStatus(POLICY, Duration.ofSeconds(60),
          s -> "False".equals(Conditions.status(s, "QuorumHealthy")));
      // The survivor still answers MemberList from its local copy: etcd is reachable, but nothing is compliant.
      assertThat(Conditions.status(lost, "EtcdReachable")).isEqualTo("True");
      assertThat(Conditions.status(lost, "Compliant")).isEqualTo("Unknown");
      assertThat(Conditions.reason(lost, "Compliant")).isEqualTo("QuorumLost");
      assertThat(lost.getSummary().getQuorum().getFaultTolerance()).isNegative();
      assertThat(settledScrape(m -> m.getOrDefault("etcdguard_quorum_fault_tolerance" + policyLabel, 0.0) < 0)
          .get("etcdguard_quorum_fault_tolerance" + policyLabel)).isNegative();
      assertThat(policyEvents()).extracting(Event::getReason).contains("QuorumLost");
    } finally {
      etcd.startStopped();
    }
    awaitStatus(POLICY, Duration.ofSeconds(60), s -> "True".equals(Conditions.status(s, "Compliant"))
        && "FaultTolerant".equals(Conditions.reason(s, "QuorumHealthy")));
  }

  @Test
  @Order(7)
  void aMemberDownOnANotReadyNodeIsTheIncidentAfterTheRebootOnTheNodeAndInTheMetrics() throws Exception {
    etcd.stopMember(LOSANGELES);
    setReady("losangeles", "False");
    try {
      NodeAddressPolicyStatus down = awaitStatus(POLICY, Duration.ofSeconds(60),
          s -> "MemberDownNodeNotReady".equals(member(s, LOSANGELES).getPrimaryReason()));
      MemberStatus losangeles = member(down, LOSANGELES);
      assertThat(losangeles.getHealth().getReachable()).isFalse();
      assertThat(losangeles.getReasons()).extracting(r -> r.getReason()).containsExactly("MemberDownNodeNotReady");
      assertThat(losangeles.getFix().getText()).contains("node losangeles is NotReady", "Do not remove the member");
      assertThat(String.join("\n", losangeles.getFix().getSteps())).contains("journalctl -u k3s -b", "node-ip: 127.0.0.30",
          "systemctl restart k3s").doesNotContain("member remove");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(nodeEvents("losangeles"))
          .filteredOn(e -> e.getReason().equals("MemberDownNodeNotReady")).singleElement()
          .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning")));
      assertThat(settledScrape(m -> m.containsKey(series("etcdguard_member_diagnosis", "member", LOSANGELES, "node", "losangeles",
          "policy", POLICY, "reason", "MemberDownNodeNotReady")))).containsEntry(series("etcdguard_member_diagnosis", "member",
          LOSANGELES, "node", "losangeles", "policy", POLICY, "reason", "MemberDownNodeNotReady"), 1.0);
    } finally {
      setReady("losangeles", "True");
      etcd.startMember(LOSANGELES);
    }
    awaitStatus(POLICY, Duration.ofSeconds(60), s -> "True".equals(Conditions.status(s, "Compliant"))
        && "FaultTolerant".equals(Conditions.reason(s, "QuorumHealthy")));
  }

  /** The Node's Ready condition as its kubelet (or the lack of one) would post it; the informer must see the change. */
  private static void setReady(String node, String status) {
    client.nodes().withName(node).edit(n -> {
      n.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.NodeConditionBuilder().withType("Ready")
          .withStatus(status).withReason("True".equals(status) ? "KubeletReady" : "KubeletNotReady").build()));
      return n;
    });
  }

  @Test
  @Order(8)
  void etcdDownIsUnknownAndRecoversWithoutRestart() throws Exception {
    etcd.stopAll();
    NodeAddressPolicyStatus down = awaitStatus(POLICY, Duration.ofSeconds(40), s -> "False".equals(Conditions.status(s, "EtcdReachable")));
    assertThat(Conditions.status(down, "Compliant")).isEqualTo("Unknown");
    assertThat(Conditions.message(down, "EtcdReachable")).contains("127.0.0.3");
    assertThat(settledScrape(m -> Double.valueOf(0.0).equals(m.get("etcdguard_etcd_up{policy=\"" + POLICY + "\"}"))))
        .containsEntry("etcdguard_etcd_up{policy=\"" + POLICY + "\"}", 0.0);
    assertThat(policyEvents()).extracting(Event::getReason).contains("EtcdUnreachable");

    etcd.startStopped();
    awaitStatus(POLICY, Duration.ofSeconds(40), s -> "True".equals(Conditions.status(s, "EtcdReachable"))
        && "True".equals(Conditions.status(s, "Compliant")));
    assertThat(settledScrape(m -> Double.valueOf(1.0).equals(m.get("etcdguard_etcd_up{policy=\"" + POLICY + "\"}"))))
        .containsEntry("etcdguard_etcd_up{policy=\"" + POLICY + "\"}", 1.0);
  }

  @Test
  @Order(9)
  void secretWithoutTheKeyIsNamedInTheReadyCondition() {
    api.createSecret("kube-system", "half", Map.of("ca.crt", pki.caCert(), "tls.crt", pki.caCert()));
    client.resource(policy("broken", "kube-system", "half", "5s")).create();
    client.resource(policy("missing", "kube-system", "no-such-secret", "5s")).create();

    NodeAddressPolicyStatus status = awaitStatus("broken", s -> Conditions.reason(s, "Ready") != null);
    assertThat(Conditions.reason(status, "Ready")).isEqualTo("TlsMaterialInvalid");
    assertThat(Conditions.message(status, "Ready")).contains("kube-system/half", "tls.key");
    assertThat(Conditions.status(status, "Compliant")).isEqualTo("Unknown");
    assertThat(settledScrape(m -> m.containsKey("etcdguard_checks_total{outcome=\"invalid_policy\",policy=\"broken\"}")))
        .containsEntry("etcdguard_checks_total{outcome=\"invalid_policy\",policy=\"broken\"}", 1.0);

    NodeAddressPolicyStatus missing = awaitStatus("missing", s -> Conditions.reason(s, "Ready") != null);
    assertThat(Conditions.reason(missing, "Ready")).isEqualTo("TlsMaterialInvalid");
    assertThat(Conditions.message(missing, "Ready")).contains("Secret kube-system/no-such-secret not found");
  }

  @Test
  @Order(10)
  void deletingThePolicyRemovesItsSeriesAndItsEtcdClient() {
    client.resources(NodeAddressPolicy.class).withName("broken").delete();
    client.resources(NodeAddressPolicy.class).withName("missing").delete();
    client.resources(NodeAddressPolicy.class).withName(POLICY).delete();
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      assertThat(client.resources(NodeAddressPolicy.class).withName(POLICY).get()).isNull();
      assertThat(scrape().keySet()).noneMatch(k -> k.startsWith("etcdguard_") && k.contains("policy=\"" + POLICY + "\""));
      assertThat(operator.clientPool().size()).isZero();
    });
  }

  // ---- helpers

  static NodeAddressPolicy policy(String name, String secretNamespace, String secretName, String interval) {
    return EndToEndSetup.tlsPolicy(name, etcd.clientEndpoints(), interval, secretNamespace, secretName);
  }

  static NodeAddressPolicyStatus awaitStatus(String name, java.util.function.Predicate<NodeAddressPolicyStatus> condition) {
    return awaitStatus(name, Duration.ofSeconds(20), condition);
  }

  static NodeAddressPolicyStatus awaitStatus(String name, Duration atMost, java.util.function.Predicate<NodeAddressPolicyStatus> condition) {
    return await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
      NodeAddressPolicy p = client.resources(NodeAddressPolicy.class).withName(name).get();
      return p == null ? null : p.getStatus();
    }, s -> s != null && condition.test(s));
  }

  static MemberStatus member(NodeAddressPolicyStatus status, String name) {
    return status.getMembers().stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
  }

  /** What `kubectl get nap` shows, computed from the CRD's own printer-column JSONPaths. */
  static Map<String, String> printerColumns(String name) {
    Map<String, Object> object = client.genericKubernetesResources("etcdguard.io/v1alpha1", "NodeAddressPolicy")
        .withName(name).get().getAdditionalProperties();
    Map<String, String> columns = new HashMap<>();
    for (var column : api.crd().getSpec().getVersions().get(0).getAdditionalPrinterColumns()) {
      columns.put(column.getName(), PrinterColumns.eval(object, column.getJsonPath()));
    }
    return columns;
  }

  static List<Event> allEvents() {
    return client.v1().events().inNamespace("default").list().getItems();
  }

  static List<Event> nodeEvents(String node) {
    return allEvents().stream().filter(e -> "Node".equals(e.getInvolvedObject().getKind())
        && node.equals(e.getInvolvedObject().getName())).toList();
  }

  static List<Event> policyEvents() {
    return allEvents().stream().filter(e -> "NodeAddressPolicy".equals(e.getInvolvedObject().getKind())).toList();
  }

  static double checks(String outcome) {
    return scrape().getOrDefault("etcdguard_checks_total{outcome=\"" + outcome + "\",policy=\"" + POLICY + "\"}", 0.0);
  }

  static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{.*})?) (\\S+)$");

  /**
   * Metrics are updated after the status is written (compose -> persist -> metrics -> events), so a status just
   * seen may be a moment ahead of /metrics: wait (bounded) until they agree.
   */
  static Map<String, Double> settledScrape(java.util.function.Predicate<Map<String, Double>> settled) {
    return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(OperatorEndToEndTest::scrape, settled);
  }

  /** GET /metrics over HTTP, parsed into series -> value. */
  static Map<String, Double> scrape() {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + operator.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      Map<String, Double> samples = new HashMap<>();
      for (String line : response.body().split("\n")) {
        Matcher m = SAMPLE.matcher(line);
        if (!line.startsWith("#") && m.matches()) {
          samples.put(m.group(1), Double.parseDouble(m.group(2)));
        }
      }
      return samples;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  static String series(String name, String... labels) {
    StringBuilder sb = new StringBuilder(name).append('{');
    for (int i = 0; i < labels.length; i += 2) {
      sb.append(i == 0 ? "" : ",").append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
    }
    return sb.append('}').toString();
  }

}
