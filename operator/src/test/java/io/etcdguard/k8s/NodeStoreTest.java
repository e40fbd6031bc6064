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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Node informers per policy selector, against the CRUD mock API server: a policy gets exactly the Nodes its
 * selector selects (never the workers, which are not even listed), equal selectors share an informer, label
 * changes move Nodes in and out, and a selector whose Nodes are not listed yet gives an error, never "no Nodes".
 */
class NodeStoreTest {
  static final String ETCD_ROLE = "node-role.kubernetes.io/etcd";
  static final String CONTROL_PLANE = "node-role.kubernetes.io/control-plane";

  static MockApiServer api;
  NodeStore store;
  final List<String> changes = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    api = new MockApiServer(); // one server for the class: each test gets its own Nodes and NodeStore
  }

  @AfterAll
  static void stopServer() {
    api.close();
  }

  @BeforeEach
  void start() {
    api.client().nodes().delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> api.client().nodes().list().getItems().isEmpty());
    api.createK3sNode("k3s-0", "k3s-0-0ac72af5", "10.0.0.10");
    api.createK3sNode("k3s-1", "k3s-1-b2495bc5", "10.0.0.11");
    node("worker-0", Map.of("kubernetes.io/hostname", "worker-0"), "10.0.1.10");
    node("worker-1", Map.of("kubernetes.io/hostname", "worker-1"), "10.0.1.11");
    node("kubeadm-cp", Map.of(CONTROL_PLANE, ""), "10.0.2.10");
    store = new NodeStore(api.client(), Duration.ofSeconds(10));
    store.listener((selector, node) -> changes.add(selector + " " + node.getMetadata().getName()));
  }

  @AfterEach
  void stop() {
    store.close();
  }

  @Test
  void aPolicyGetsTheNodesItsSelectorSelectsAndTheWorkersAreNeitherListedNorKept() {
    assertThat(names(store.select("k3s", Defaults.nodeSelector()))).containsExactlyInAnyOrder("k3s-0", "k3s-1");
    assertThat(store.info("worker-0")).as("a worker no policy selects is not held").isNull();
    assertThat(store.byName("worker-0")).isNull();
    assertThat(store.byName("k3s-0").getMetadata().getUid()).isNotNull();
    assertThat(store.byName("k3s-0").getStatus().getImages()).as("kept slim").isEmpty();
    assertThat(store.info("k3s-0").declaredMemberName()).isEqualTo("k3s-0-0ac72af5");
    assertThat(store.selectors()).containsExactly(ETCD_ROLE + "=true");
  }

  @Test
  void aMemberOnANodeWithoutTheEtcdLabelIsMatchedWhenThePolicySelectsItsNode() {
    // kubeadm: no etcd role label, the control-plane label with an empty value; the informer follows the policy
    LabelSelector kubeadm = new LabelSelectorBuilder().addNewMatchExpression().withKey(CONTROL_PLANE).withOperator("Exists")
        .endMatchExpression().build();
    assertThat(names(store.select("kubeadm", kubeadm))).containsExactlyInAnyOrder("kubeadm-cp", "k3s-0", "k3s-1");
    assertThat(store.info("kubeadm-cp").internalIPs()).containsExactly("10.0.2.10");
  }

  @Test
  void equalSelectorsShareOneInformerAndAnUnusedOneStops() {
    LabelSelector ab = new LabelSelectorBuilder().addToMatchLabels(Map.of(ETCD_ROLE, "true"))
        .addNewMatchExpression().withKey("kubernetes.io/hostname").withOperator("In").withValues("k3s-1", "k3s-0").endMatchExpression()
        .build();
    LabelSelector ba = new LabelSelectorBuilder()
        .addNewMatchExpression().withKey("kubernetes.io/hostname").withOperator("In").withValues("k3s-0", "k3s-1").endMatchExpression()
        .addToMatchLabels(Map.of(ETCD_ROLE, "true")).build();
    store.select("p1", ab);
    store.select("p2", ba);
    store.select("p3", Defaults.nodeSelector());
    assertThat(store.selectors()).hasSize(2);
    store.forget("p1");
    assertThat(store.selectors()).as("p2 still uses it").hasSize(2);
    store.forget("p2");
    assertThat(store.selectors()).containsExactly(ETCD_ROLE + "=true");
    store.select("p3", ab); // p3 changed its selector: the default's informer is unused now
    assertThat(store.selectors()).containsExactly(LabelSelectors.canonical(ab));
  }

  @Test
  void aLabelChangeMovesANodeInAndOut() {
    assertThat(names(store.select("k3s", Defaults.nodeSelector()))).containsExactlyInAnyOrder("k3s-0", "k3s-1");
    changes.clear();
    api.client().nodes().withName("worker-0").edit(n -> new NodeBuilder(n).editMetadata().addToLabels(ETCD_ROLE, "true")
        .endMetadata().build());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(names(store.select("k3s", Defaults.nodeSelector()))).containsExactlyInAnyOrder("k3s-0", "k3s-1", "worker-0"));
    assertThat(changes).contains(ETCD_ROLE + "=true worker-0");
    changes.clear();
    api.client().nodes().withName("k3s-1").edit(n -> new NodeBuilder(n).editMetadata().removeFromLabels(ETCD_ROLE)
        .endMetadata().build());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(names(store.select("k3s", Defaults.nodeSelector()))).containsExactlyInAnyOrder("k3s-0", "worker-0"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(changes).contains(ETCD_ROLE + "=true k3s-1"));
  }

  @Test
  void aStatusRewriteThatClassificationDoesNotReadIsNoChange() {
    store.select("k3s", Defaults.nodeSelector());
    changes.clear();
    api.client().nodes().withName("k3s-0").edit(n -> new NodeBuilder(n).editStatus().addNewCondition().withType("Ready")
        .withStatus("True").endCondition().endStatus().build());
    api.client().nodes().withName("k3s-1").edit(n -> new NodeBuilder(n).editStatus().editFirstAddress().withAddress("10.0.0.99")
        .endAddress().endStatus().build());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(changes).contains(ETCD_ROLE + "=true k3s-1"));
    assertThat(changes).doesNotContain(ETCD_ROLE + "=true k3s-0");
    assertThat(store.info("k3s-1").internalIPs()).containsExactly("10.0.0.99");
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
    store.close();
    assertThatThrownBy(() -> store.select("k3s", Defaults.nodeSelector())).isInstanceOf(NodesUnavailableException.class);
  }

  void node(String name, Map<String, String> labels, String internalIp) {
    Node node = new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewStatus().addNewAddress().withType("InternalIP").withAddress(internalIp).endAddress()
        .addNewImage().withNames("registry.example/big:1").withSizeBytes(1L).endImage().endStatus().build();
    api.client().nodes().resource(node).create();
  }

  static List<String> names(List<NodeInfo> nodes) {
    return nodes.stream().map(NodeInfo::name).toList();
  }
}
