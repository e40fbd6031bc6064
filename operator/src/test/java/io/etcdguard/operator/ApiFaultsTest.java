package io.etcdguard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdguard.api.v1alpha1.Conditions;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.status.ConditionReasons;
import io.etcdguard.testkit.LocalEtcdCluster;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.testkit.Policies;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real JOSDK operator against the CRUD mock API server with faults injected, and one real etcd member:
 * policies the Java types cannot read, status writes that fail, and many policies without a status at start.
 * Each test has its own mock API server and operator; the etcd member is shared.
 */
class ApiFaultsTest {
  static final String MEMBER = "guard-0-1f2e3d4c";
  static final String MEMBER_IP = "127.0.0.61";
  static final String TEMPORARY_IPV6 = "fd00:c0ff:ee:0:da69:8213:dd0b:aac3";

  @TempDir static Path dir;
  static LocalEtcdCluster etcd;
  MockApiServer api;
  KubernetesClient client;
  GuardOperator operator;

  @BeforeAll
  static void startEtcd() throws Exception {
    etcd = LocalEtcdCluster.builder(dir.resolve("etcd")).member(MEMBER, MEMBER_IP).start();
  }

  @AfterAll
  static void stopEtcd() {
    if (etcd != null) {
      etcd.close();
    }
  }

  @BeforeEach
  void startApi() throws Exception {
    api = new MockApiServer();
    client = api.client();
    api.createK3sNode("guard-0", MEMBER, MEMBER_IP);
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
    api.close();
    etcd.updatePeerUrl(MEMBER, "http://" + MEMBER_IP + ":" + etcd.member(MEMBER).peerPort());
  }

  GuardOperator startOperator() throws Exception {
    return startOperator(client);
  }

  GuardOperator startOperator(KubernetesClient using) throws Exception {
    GuardOperator started = new GuardOperator(using, new GuardOperator.Settings(0, null, "fault-test", Duration.ofSeconds(1)));
    started.start();
    return started;
  }

  NodeAddressPolicy goodPolicy(String name) {
    return Policies.forEndpoints(name, etcd.clientEndpoints(), "5s");
  }

  /** A policy stored as raw JSON, bypassing the schema (as an older or newer CRD version could have let it in). */
  void storeRaw(String name, String specJson) {
    GenericKubernetesResource raw = new KubernetesSerialization().unmarshal("""
        {"apiVersion":"etcdguard.io/v1alpha1","kind":"NodeAddressPolicy","metadata":{"name":"%s"},"spec":%s}"""
        .formatted(name, specJson), GenericKubernetesResource.class);
    client.resource(raw).create();
  }

  NodeAddressPolicyStatus awaitStatus(String name, Predicate<NodeAddressPolicyStatus> condition) {
    return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      NodeAddressPolicy p = client.resources(NodeAddressPolicy.class).withName(name).get();
      return p == null ? null : p.getStatus();
    }, s -> s != null && condition.test(s));
  }

  @Test
  void policiesTheTypesCannotReadAreReportedAndTheOthersKeepBeingCheckedAlsoAfterARestart() throws Exception {
    String endpoints = "[\"" + String.join("\",\"", etcd.clientEndpoints()) + "\"]";
    storeRaw("unknown-enum", "{\"etcd\":{\"endpoints\":" + endpoints + "},\"addressFamily\":\"IPv5\"}");
    storeRaw("wrong-type", "{\"etcd\":{\"endpoints\":{\"first\":\"http://127.0.0.1:2379\"}}}");
    storeRaw("missing-etcd", "{\"addressFamily\":\"IPv4\"}");
    client.resource(goodPolicy("good")).create();

    operator = startOperator();

    awaitStatus("good", s -> "True".equals(Conditions.status(s, "Compliant")));
    assertInvalid("unknown-enum", "spec.addressFamily", "'IPv5'", "IPv4, IPv6, Any");
    assertInvalid("wrong-type", "spec.etcd.endpoints", "cannot be read as a list");
    assertInvalid("missing-etcd", "spec.etcd: required");

    operator.close();
    operator = startOperator();
    client.resource(goodPolicy("good-after-restart")).create();
    NodeAddressPolicyStatus after = awaitStatus("good-after-restart", s -> "True".equals(Conditions.status(s, "Compliant")));
    assertThat(after.getSummary().getMembers()).isEqualTo(1);
    assertThat(operator.clientPool()).isNotNull();
  }

  private void assertInvalid(String name, String... inMessage) {
    NodeAddressPolicyStatus status = awaitStatus(name, s -> "False".equals(Conditions.status(s, "Ready")));
    assertThat(Conditions.reason(status, "Ready")).isEqualTo(ConditionReasons.INVALID_SPEC);
    assertThat(Conditions.message(status, "Ready")).contains(inMessage);
  }

  @Test
  void failingStatusWritesAreRetriedTheConditionSaysWhyAndChecksResume() throws Exception {
    client.resource(goodPolicy("flaky")).create();
    String statusPath = "/apis/etcdguard.io/v1alpha1/nodeaddresspolicies/flaky/status";
    // the check's write, the error-status write, the first retry's write fail; the next error-status write succeeds
    api.server().expect().put().withPath(statusPath)
        .andReturn(500, Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "message", "etcdserver: request timed out", "code", 500))
        .times(3);
    List<NodeAddressPolicyStatus> seen = new CopyOnWriteArrayList<>();
    try (var watch = recordStatuses("flaky", seen)) {
      // fabric8 itself retries a 5xx answer (up to 10 times by default) before the reconciliation sees it; without
      // that, every injected 500 reaches the reconciler
      KubernetesClient noClientRetries = new KubernetesClientBuilder()
          .withConfig(new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build()).build();
      operator = startOperator(noClientRetries);

      await().atMost(Duration.ofSeconds(60)).until(() -> seen.stream()
          .anyMatch(s -> ConditionReasons.RECONCILE_ERROR.equals(Conditions.reason(s, "Ready"))));
      NodeAddressPolicyStatus failed = seen.stream()
          .filter(s -> ConditionReasons.RECONCILE_ERROR.equals(Conditions.reason(s, "Ready"))).findFirst().orElseThrow();
      assertThat(Conditions.status(failed, "Ready")).isEqualTo("False");
      assertThat(Conditions.message(failed, "Ready")).contains("PUT", "500", "etcdserver: request timed out");

      NodeAddressPolicyStatus resumed = awaitStatus("flaky", s -> "True".equals(Conditions.status(s, "Ready")));
      assertThat(Conditions.status(resumed, "Compliant")).isEqualTo("True");
      String firstCheck = resumed.getLastCheckTime();
      assertThat(firstCheck).isNotBlank();
      assertThat(healthz()).as("checks completed: alive").isEqualTo(200);
    }
  }

  /**
   * A fact the tests rely on, checked so that docs/development.md stays true: fabric8's CRUD mock does not
   * enforce resourceVersion on a status write (a real API server answers 409), so conflicts are injected.
   */
  @Test
  void theCrudMockAcceptsAStatusWriteOnAStaleResourceVersion() {
    NodeAddressPolicy created = client.resource(goodPolicy("locked")).create();
    NodeAddressPolicy first = client.resources(NodeAddressPolicy.class).withName("locked").get();
    first.setStatus(new NodeAddressPolicyStatus());
    first.getStatus().setLastCheckTime("2026-11-30T12:00:00Z");
    client.resource(first).updateStatus();

    NodeAddressPolicy stale = client.resources(NodeAddressPolicy.class).withName("locked").get();
    stale.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());
    stale.getStatus().setLastCheckTime("2026-11-30T12:05:00Z");
    assertThat(client.resource(stale).updateStatus().getStatus().getLastCheckTime()).isEqualTo("2026-11-30T12:05:00Z");
  }

  @Test
  void aConflictOnTheStatusWriteIsRetriedAndChecksResume() throws Exception {
    client.resource(goodPolicy("contended")).create();
    api.server().expect().put().withPath("/apis/etcdguard.io/v1alpha1/nodeaddresspolicies/contended/status")
        .andReturn(409, Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "reason", "Conflict",
            "message", "the object has been modified; please apply your changes to the latest version and try again", "code", 409))
        .once();

    List<NodeAddressPolicyStatus> seen = new CopyOnWriteArrayList<>();
    try (var watch = recordStatuses("contended", seen)) {
      operator = startOperator();

      NodeAddressPolicyStatus resumed = awaitStatus("contended", s -> "True".equals(Conditions.status(s, "Compliant")));
      assertThat(Conditions.status(resumed, "Ready")).isEqualTo("True");
      // JOSDK waited for a newer version in its cache (there is none: the conflict was injected), gave up after
      // 10 s, and the failure was recorded before the retry succeeded
      NodeAddressPolicyStatus failed = seen.get(0);
      assertThat(Conditions.reason(failed, "Ready")).isEqualTo(ConditionReasons.RECONCILE_ERROR);
      assertThat(Conditions.status(failed, "Compliant")).as("nothing from the unwritten check").isNull();
    }
  }

  @Test
  void manyPoliciesWithoutStatusAtStartSendEachEventOnce() throws Exception {
    etcd.updatePeerUrl(MEMBER, "http://[" + TEMPORARY_IPV6 + "]:" + etcd.member(MEMBER).peerPort());
    for (int i = 0; i < 14; i++) {
      client.resource(goodPolicy("p" + i)).create();
    }

    operator = startOperator();
    for (int i = 0; i < 14; i++) {
      awaitStatus("p" + i, s -> "False".equals(Conditions.status(s, "Compliant")));
    }
    // Node changes make every policy run again at once; none may repeat its Warning
    client.nodes().withName("guard-0").edit(n -> {
      n.getMetadata().getLabels().put("topology.kubernetes.io/zone", "b");
      return n;
    });
    Thread.sleep(3_000); // let the re-runs (and checks at the 5 s interval) happen; there is nothing to await

    List<Event> warnings = client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> "TemporaryIPv6Address".equals(e.getReason())).toList();
    assertThat(warnings).as("one on each policy and one per policy on the Node").hasSize(28);
    assertThat(warnings).extracting(Event::getCount).containsOnly(1);
    assertThat(warnings).filteredOn(e -> "Node".equals(e.getInvolvedObject().getKind())).hasSize(14);
  }

  /** Every status the policy takes, as a watch delivers them (a transient one may be gone before a poll). */
  Watch recordStatuses(String name, List<NodeAddressPolicyStatus> seen) {
    return client.resources(NodeAddressPolicy.class).withName(name).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, NodeAddressPolicy resource) {
        if (resource.getStatus() != null) {
          seen.add(resource.getStatus());
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
  }

  private int healthz() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + operator.metricsPort() + "/healthz")).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
