package io.etcdguard.operator;

import static org.awaitility.Awaitility.await;

import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** What the end-to-end tests read back from a running operator: a policy's status, a Node's Events, /metrics. */
final class EndToEndProbes {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private EndToEndProbes() {}

  /** The policy's status once it satisfies the condition, polled every 100 ms for at most 30 s. */
  static NodeAddressPolicyStatus awaitStatus(KubernetesClient client, String policy, Predicate<NodeAddressPolicyStatus> condition) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      NodeAddressPolicy p = client.resources(NodeAddressPolicy.class).withName(policy).get();
      return p == null ? null : p.getStatus();
    }, s -> s != null && condition.test(s));
  }

  /** The Events about a Node (the operator writes them to the default namespace). */
  static List<Event> nodeEvents(KubernetesClient client, String node) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> "Node".equals(e.getInvolvedObject().getKind()) && node.equals(e.getInvolvedObject().getName())).toList();
  }

  /** Every sample on the operator's /metrics, keyed by name and labels as exposed (labels sorted by name). */
  static Map<String, Double> scrape(int metricsPort) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      Map<String, Double> samples = new HashMap<>();
      for (String line : response.body().split("\n")) {
        var m = OperatorEndToEndTest.SAMPLE.matcher(line);
        if (!line.startsWith("#") && m.matches()) {
          samples.put(m.group(1), Double.parseDouble(m.group(2)));
        }
      }
      return samples;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
