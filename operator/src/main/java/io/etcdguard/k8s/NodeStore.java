package io.etcdguard.k8s;

import io.etcdguard.classify.NodeInfo;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.NodeSystemInfoBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The Node informer's store, keeping only what classification needs. A Node object carries images,
 * conditions and managed fields (tens of KiB); a slim Node is name, UID, resourceVersion, labels, the
 * etcd and distribution annotations, the addresses, kubelet version, OS image and the Ready condition's status, so thousands of Nodes stay cheap. Nodes are also indexed by
 * name as {@link NodeInfo}.
 */
public final class NodeStore implements ItemStore<Node> {
  private final Map<String, Node> byKey = new ConcurrentHashMap<>();
  private final Map<String, NodeInfo> infoByName = new ConcurrentHashMap<>();

  @Override
  public String getKey(Node node) {
    return Cache.metaNamespaceKeyFunc(node);
  }

  @Override
  public Node put(String key, Node node) {
    Node slim = slim(node);
    infoByName.put(slim.getMetadata().getName(), NodeInfos.from(slim));
    return byKey.put(key, slim);
  }

  @Override
  public Node remove(String key) {
    Node removed = byKey.remove(key);
    if (removed != null) {
      infoByName.remove(removed.getMetadata().getName());
    }
    return removed;
  }

  @Override
  public Stream<String> keySet() {
    return byKey.keySet().stream();
  }

  @Override
  public Stream<Node> values() {
    return byKey.values().stream();
  }

  @Override
  public int size() {
    return byKey.size();
  }

  @Override
  public Node get(String key) {
    return byKey.get(key);
  }

  /** The slim Node by name, or null. */
  public Node byName(String name) {
    return byKey.get(name);
  }

  /** The Nodes a policy selects, as classification inputs. */
  public List<NodeInfo> select(LabelSelector selector) {
    return infoByName.values().stream().filter(n -> LabelSelectors.matches(selector, n.labels())).toList();
  }

  public NodeInfo info(String name) {
    return infoByName.get(name);
  }

  /** Only the kubelet version and OS image of status.nodeInfo: they tell the distribution. */
  private static NodeSystemInfo slimSystemInfo(Node node) {
    NodeSystemInfo info = node.getStatus() == null ? null : node.getStatus().getNodeInfo();
    if (info == null) {
      return null;
    }
    return new NodeSystemInfoBuilder().withKubeletVersion(info.getKubeletVersion()).withOsImage(info.getOsImage()).build();
  }

  /** Only the Ready condition, and of it only its status: its heartbeat times change every few seconds. */
  private static List<NodeCondition> slimReady(Node node) {
    List<NodeCondition> conditions = node.getStatus() == null || node.getStatus().getConditions() == null
        ? List.of() : node.getStatus().getConditions();
    return conditions.stream().filter(c -> NodeInfo.READY_CONDITION.equals(c.getType())).findFirst()
        .map(c -> List.of(new NodeConditionBuilder().withType(NodeInfo.READY_CONDITION).withStatus(c.getStatus()).build()))
        .orElse(List.of());
  }

  /** What is left of a Node in the cache. */
  public static Node slim(Node node) {
    Map<String, String> annotations = new HashMap<>(NodeInfos.from(node).annotations());
    return new NodeBuilder()
        .withNewMetadata()
        .withName(node.getMetadata().getName())
        .withUid(node.getMetadata().getUid())
        .withResourceVersion(node.getMetadata().getResourceVersion())
        .withLabels(node.getMetadata().getLabels())
        .withAnnotations(annotations)
        .endMetadata()
        .withStatus(new NodeStatusBuilder()
            .withAddresses(node.getStatus() == null ? List.of() : node.getStatus().getAddresses())
            .withNodeInfo(slimSystemInfo(node))
            .withConditions(slimReady(node))
            .build())
        .build();
  }
}
