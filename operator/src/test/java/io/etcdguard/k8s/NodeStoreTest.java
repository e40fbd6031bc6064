package io.etcdguard.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcdguard.classify.NodeInfo;
import io.etcdguard.policy.Defaults;
import io.etcdguard.testkit.MockApiServer;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Node informers per policy selector, against the CRUD mock API server: a policy gets exactly the Nodes its
 * selector selects (never the workers, which are not even listed), equal selectors share an informer, label
 * changes move Nodes in and out, and a selector whose Nodes are not listed yet gives an error, never "no Nodes".
 * One server and one store for the class (as the operator has): each test works on its own Nodes, told apart by
 * a {@value #TEST_LABEL} label. (Stopping watches while the mock server keeps sending to them stalls it.)
 */
class NodeStoreTest {
  static final String ETCD_ROLE = "node-role.kubernetes.io/etcd";
  static final String CONTROL_PLANE = "node-role.kubernetes.io/control-plane";
  static final String TEST_LABEL = "test.etcdguard.io/case";

  static MockApiServer api;
  static NodeStore store;
  static final List<String> changes = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    api = new MockApiServer();
    store = new NodeStore(api.client(), Duration.ofSeconds(20));
    store.listener((selector, node) -> changes.add(selector + " " + node.getMetadata().getName()));
  }

  @AfterAll
  static void stop() {
    store.close();
    closeIgnoringShutdownTimeout(api);
  }

  private static void closeIgnoringShutdownTimeout(MockApiServer server) {
    try {
      server.close();
    } catch (IllegalStateException shutdownTimedOut) {
      // The mock server waits (10 s, then throws) for the watches of informers stopped during the class (a
      // forgotten selector's): the JDK 17 client sends the close frame, the mock never completes the close.
      // A real API server does; nothing a test here asserts depends on it.
    }
  }

  /** Two etcd servers, two workers and a kubeadm control plane of one test case. */
  static void nodes(String testCase) {
    nodes(api, testCase);
  }

  static void nodes(MockApiServer server, String testCase) {
    node(server, testCase + "-k3s-0", Map.of(ETCD_ROLE, "true", CONTROL_PLANE, "true", TEST_LABEL, testCase), "10.0.0.10");
    node(server, testCase + "-k3s-1", Map.of(ETCD_ROLE, "true", CONTROL_PLANE, "true", TEST_LABEL, testCase), "10.0.0.11");
    node(server, testCase + "-worker-0", Map.of(TEST_LABEL, testCase), "10.0.1.10");
    node(server, testCase + "-worker-1", Map.of(TEST_LABEL, testCase), "10.0.1.11");
    node(server, testCase + "-kubeadm-cp", Map.of(CONTROL_PLANE, "", TEST_LABEL, testCase), "10.0.2.10");
  }

  /** etcd=true and this test case's label. */
  static LabelSelector etcdServersOf(String testCase) {
    return new LabelSelectorBuilder().addToMatchLabels(Map.of(ETCD_ROLE, "true", TEST_LABEL, testCase)).build();
  }

  @Test
  void aPolicyGetsTheNodesItsSelectorSelectsAndTheWorkersAreNeitherListedNorKept() {
    nodes("a");
    assertThat(names(store.select("a", etcdServersOf("a")))).containsExactlyInAnyOrder("a-k3s-0", "a-k3s-1");
    assertThat(store.info("a-worker-0")).as("a worker no policy selects is not held").isNull();
    assertThat(store.byName("a-worker-0")).isNull();
    assertThat(store.byName("a-k3s-0").getMetadata().getUid()).isNotNull();
    assertThat(store.byName("a-k3s-0").getStatus().getImages()).as("kept slim").isEmpty();
    assertThat(store.info("a-k3s-0").internalIPs()).containsExactly("10.0.0.10");
    assertThat(store.selectors()).contains(LabelSelectors.canonical(etcdServersOf("a")));
  }

  @Test
  void aMemberOnANodeWithoutTheEtcdLabelIsMatchedWhenThePolicySelectsItsNode() {
    nodes("kubeadm");
    // kubeadm: no etcd role label, the control-plane label with an empty value; the informer follows the policy
    LabelSelector kubeadm = new LabelSelectorBuilder().addToMatchLabels(TEST_LABEL, "kubeadm")
        .addNewMatchExpression().withKey(CONTROL_PLANE).withOperator("Exists").endMatchExpression().build();
    assertThat(names(store.select("kubeadm", kubeadm)))
        .containsExactlyInAnyOrder("kubeadm-kubeadm-cp", "kubeadm-k3s-0", "kubeadm-k3s-1");
    assertThat(store.info("kubeadm-kubeadm-cp").internalIPs()).containsExactly("10.0.2.10");
  }

  /**
   * On its own server, and nothing is listed or written after an informer stops: a stopped informer leaves a watch
   * the mock server never finishes closing, and a mock server with such a watch stalls later lists and writes for
   * about 30 s (a real API server completes the close).
   */
  @Test
  void equalSelectorsShareOneInformerAndAnUnusedOneStops() throws Exception {
    MockApiServer own = new MockApiServer();
    try (NodeStore store = new NodeStore(own.client(), Duration.ofSeconds(20))) {
      equalSelectorsShareOneInformerAndAnUnusedOneStops(own, store);
    } finally {
      closeIgnoringShutdownTimeout(own);
    }
  }

  private static void equalSelectorsShareOneInformerAndAnUnusedOneStops(MockApiServer own, NodeStore store) {
    nodes(own, "share");
    LabelSelector ab = new LabelSelectorBuilder().addToMatchLabels(Map.of(TEST_LABEL, "share"))
        .addNewMatchExpression().withKey(ETCD_ROLE).withOperator("Exists").endMatchExpression()
        .addNewMatchExpression().withKey(CONTROL_PLANE).withOperator("Exists").endMatchExpression().build();
    LabelSelector ba = new LabelSelectorBuilder()
        .addNewMatchExpression().withKey(CONTROL_PLANE).withOperator("Exists").endMatchExpression()
        .addNewMatchExpression().withKey(ETCD_ROLE).withOperator("Exists").endMatchExpression()
        .addToMatchLabels(Map.of(TEST_LABEL, "share")).build();
    String shared = LabelSelectors.canonical(ab);
    String servers = LabelSelectors.canonical(etcdServersOf("share"));
    assertThat(names(store.select("share-p1", ab))).containsExactlyInAnyOrder("share-k3s-0", "share-k3s-1");
    assertThat(names(store.select("share-p2", ba))).containsExactlyInAnyOrder("share-k3s-0", "share-k3s-1");
    store.select("share-p3", etcdServersOf("share"));
    assertThat(store.selectors()).containsExactlyInAnyOrder(shared, servers);
    // Nothing is listed after an informer stops: on the mock server that list would stall (see above).
    store.select("share-p3", ab); // p3 changed its selector: the servers' informer is unused now
    assertThat(store.selectors()).containsExactly(shared);
    store.forget("share-p1");
    store.forget("share-p2");
    assertThat(store.selectors()).as("p3 still uses it").containsExactly(shared);
    store.forget("share-p3");
    assertThat(store.selectors()).isEmpty();
  }

  @Test
  void aLabelChangeMovesANodeInAndOut() {
    nodes("move");
    LabelSelector selector = etcdServersOf("move");
    String key = LabelSelectors.canonical(selector);
    assertThat(names(store.select("move", selector))).containsExactlyInAnyOrder("move-k3s-0", "move-k3s-1");
    api.client().nodes().withName("move-worker-0").edit(n -> new NodeBuilder(n).editMetadata().addToLabels(ETCD_ROLE, "true")
        .endMetadata().build());
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(names(store.select("move", selector))).containsExactlyInAnyOrder("move-k3s-0", "move-k3s-1", "move-worker-0"));
    assertThat(changes).contains(key + " move-worker-0");
    changes.removeIf(c -> c.endsWith(" move-k3s-1"));
    api.client().nodes().withName("move-k3s-1").edit(n -> new NodeBuilder(n).editMetadata().removeFromLabels(ETCD_ROLE)
        .endMetadata().build());
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(names(store.select("move", selector))).containsExactlyInAnyOrder("move-k3s-0", "move-worker-0"));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(changes).contains(key + " move-k3s-1"));
  }

  @Test
  void aStatusRewriteThatClassificationDoesNotReadIsNoChange() {
    nodes("status");
    LabelSelector selector = etcdServersOf("status");
    String key = LabelSelectors.canonical(selector);
    store.select("status", selector);
    // What kubelets rewrite every few seconds: a condition classification does not read, with a new heartbeat.
    api.client().nodes().withName("status-k3s-0").edit(n -> new NodeBuilder(n).editStatus().addNewCondition().withType("MemoryPressure")
        .withStatus("False").withLastHeartbeatTime("2026-11-30T12:00:10Z").endCondition().endStatus().build());
    api.client().nodes().withName("status-k3s-1").edit(n -> new NodeBuilder(n).editStatus().editFirstAddress()
        .withAddress("10.0.0.99").endAddress().endStatus().build());
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(changes).contains(key + " status-k3s-1"));
    assertThat(store.info("status-k3s-1").internalIPs()).containsExactly("10.0.0.99");
    assertThat(changes).as("the condition alone was no change").containsOnlyOnce(key + " status-k3s-0");
  }

  @Test
  void nodesNotListedInTimeAreAnErrorNamingTheSelectorNeverAnEmptySelection() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try {
          while (!silent.isClosed()) {
            held.add(silent.accept()); // accept, never answer
          }
        } catch (java.io.IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + silent.getLocalPort())
          .withRequestTimeout(60_000).build();
      try (KubernetesClient unanswered = new KubernetesClientBuilder().withConfig(config).build();
          NodeStore waiting = new NodeStore(unanswered, Duration.ofMillis(500))) {
        assertThatThrownBy(() -> waiting.select("k3s", Defaults.nodeSelector()))
            .isInstanceOf(NodesUnavailableException.class)
            .hasMessageContaining(ETCD_ROLE + "=true").hasMessageContaining("not listed within");
      }
    }
  }

  @Test
  void aClosedStoreGivesNoNodes() {
    NodeStore closed = new NodeStore(api.client(), Duration.ofSeconds(1));
    closed.close();
    assertThatThrownBy(() -> closed.select("k3s", Defaults.nodeSelector())).isInstanceOf(NodesUnavailableException.class);
  }

  static void node(String name, Map<String, String> labels, String internalIp) {
    node(api, name, labels, internalIp);
  }

  static void node(MockApiServer server, String name, Map<String, String> labels, String internalIp) {
    Node node = new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewStatus().addNewAddress().withType("InternalIP").withAddress(internalIp).endAddress()
        .addNewImage().withNames("registry.example/big:1").withSizeBytes(1L).endImage().endStatus().build();
    server.client().nodes().resource(node).create();
  }

  static List<String> names(List<NodeInfo> nodes) {
    return nodes.stream().map(NodeInfo::name).toList();
  }
}
