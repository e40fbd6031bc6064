package io.etcdguard.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.testkit.Policies;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The operator's Kubernetes client: many concurrent requests all answered, on at most the bounded pools' threads. */
class KubernetesClientsTest {
  @Test
  void fiftyConcurrentRequestsAreAnsweredOnAtMostTheBoundedThreads() throws Exception {
    try (MockApiServer api = new MockApiServer()) {
      for (int i = 0; i < 5; i++) {
        api.createK3sNode("k3s-" + i, "k3s-" + i + "-0ac72af5", "10.0.0." + (10 + i));
      }
      Config config = api.client().getConfiguration();
      ExecutorService callers = Executors.newFixedThreadPool(50);
      try (KubernetesClient client = KubernetesClients.bounded(config)) {
        List<Future<List<Node>>> lists = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          lists.add(callers.submit(() -> client.nodes().list().getItems()));
        }
        for (Future<List<Node>> list : lists) {
          assertThat(list.get(30, TimeUnit.SECONDS)).hasSize(5);
        }
        assertThat(threadsNamed("etcdguard-k8s-http-")).isBetween(1L, (long) KubernetesClients.HTTP_THREADS);
        assertThat(threadsNamed("etcdguard-k8s-task-")).isLessThanOrEqualTo(KubernetesClients.TASK_THREADS);
      } finally {
        callers.shutdownNow();
      }
    }
  }

  @Test
  void watchEventsOfTheOperatorsKindsArriveTypedWithoutAClassPathScan() throws Exception {
    try (MockApiServer api = new MockApiServer();
        KubernetesClient client = KubernetesClients.bounded(api.client().getConfiguration())) {
      List<Node> nodeEvents = new CopyOnWriteArrayList<>();
      List<NodeAddressPolicy> policyEvents = new CopyOnWriteArrayList<>();
      try (SharedIndexInformer<Node> nodes = client.nodes().inform(recording(nodeEvents));
          SharedIndexInformer<NodeAddressPolicy> policies = client.resources(NodeAddressPolicy.class).inform(recording(policyEvents))) {
        // After the informers' first (empty) lists, everything arrives as watch events: JSON naming its own kind.
        api.createK3sNode("k3s-0", "k3s-0-0ac72af5", "10.0.0.10");
        api.client().nodes().withName("k3s-0").edit(n -> {
          n.getMetadata().getLabels().put("edited", "yes");
          return n;
        });
        api.client().resource(Policies.forEndpoints("p", List.of("http://127.0.0.1:2379"), "30s")).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
          assertThat(nodeEvents).hasSize(2).allSatisfy(n -> assertThat(n.getMetadata().getName()).isEqualTo("k3s-0"));
          assertThat(nodeEvents.get(1).getMetadata().getLabels()).containsEntry("edited", "yes");
          assertThat(policyEvents).singleElement().satisfies(p -> assertThat(p.getSpec().getEtcd().getEndpoints()).isNotEmpty());
        });
      }
      KubernetesSerialization serialization = client.getKubernetesSerialization();
      assertThat(serialization.getRegisteredKubernetesResource("v1", "Node")).isEqualTo(Node.class);
      assertThat(serialization.getRegisteredKubernetesResource("v1", "Status")).isEqualTo(Status.class);
      assertThat(serialization.getRegisteredKubernetesResource("coordination.k8s.io/v1", "Lease")).isEqualTo(Lease.class);
      assertThat(serialization.getRegisteredKubernetesResource("etcdguard.io/v1alpha1", "NodeAddressReport"))
          .isEqualTo(NodeAddressReport.class);
      assertThat(serialization.getRegisteredKubernetesResource("apps/v1", "Deployment"))
          .as("a kind the operator never reads: not found by a class-path scan").isNull();
    }
  }

  /** Adds and updates, in order, as the handler receives them: the cast to T fails here if an event is untyped. */
  static <T> ResourceEventHandler<T> recording(List<T> events) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        events.add(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        events.add(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
    };
  }

  static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
  }
}
