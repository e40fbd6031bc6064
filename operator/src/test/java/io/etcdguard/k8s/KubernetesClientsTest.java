package io.etcdguard.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.testkit.MockApiServer;
import io.fabric8.kubernetes.api.model.Node;
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

  static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
  }
}
