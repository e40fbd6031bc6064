package io.etcdguard.k8s;

import io.etcdguard.audit.InputException;
import io.etcdguard.classify.NodeInfo;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Nodes from a live cluster: a kubeconfig file, or the pod's service account when run in-cluster. */
public final class ClusterNodes {
  private ClusterNodes() {}

  public static List<NodeInfo> list(Path kubeconfig) throws InputException {
    Config config;
    String where;
    if (kubeconfig != null) {
      try {
        config = Config.fromKubeconfig(Files.readString(kubeconfig));
      } catch (IOException e) {
        throw new InputException(kubeconfig + ": cannot read kubeconfig: " + e.getMessage());
      } catch (RuntimeException e) {
        throw new InputException(kubeconfig + ": not a usable kubeconfig: " + e.getMessage());
      }
      where = "the cluster in " + kubeconfig;
    } else if (System.getenv("KUBERNETES_SERVICE_HOST") != null) {
      config = Config.autoConfigure(null);
      where = "the in-cluster API server";
    } else {
      throw new InputException("no Nodes: give --nodes FILE or --kubeconfig FILE (in-cluster mode needs KUBERNETES_SERVICE_HOST)");
    }
    config.setRequestTimeout(10_000);
    config.setConnectionTimeout(5_000);
    config.setRequestRetryBackoffLimit(1); // an admin waiting at a prompt wants the error, not minutes of retries
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      return client.nodes().list().getItems().stream().map(NodeInfos::from).toList();
    } catch (KubernetesClientException e) {
      throw new InputException("cannot list Nodes from " + where + " (" + config.getMasterUrl() + "): " + ApiFailures.reason(e));
    }
  }
}
