package io.etcdguard.k8s;

import io.etcdguard.classify.NodeInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cuts a Kubernetes Node down to what classification and advice need: name, labels, the etcd annotations,
 * the annotations that tell the distribution, addresses, kubelet version and OS image, and whether it is Ready.
 */
public final class NodeInfos {
  /**
   * Annotations kept besides the etcd member ones: they tell K3s, RKE2 and kubeadm apart (io.etcdguard.advice.Distribution).
   * node-args is cut to its address flags by {@link NodeInfo} (see {@link io.etcdguard.classify.NodeArgs}).
   */
  public static final List<String> DISTRIBUTION_ANNOTATIONS = List.of(
      "k3s.io/node-args", "rke2.io/node-args", "k3s.io/internal-ip", "rke2.io/internal-ip",
      "kubeadm.alpha.kubernetes.io/cri-socket");

  private NodeInfos() {}

  public static NodeInfo from(Node node) {
    Map<String, String> annotations = new HashMap<>();
    Map<String, String> all = node.getMetadata().getAnnotations() == null ? Map.of() : node.getMetadata().getAnnotations();
    for (String key : NodeInfo.MEMBER_NAME_ANNOTATIONS) {
      keep(all, key, annotations);
    }
    for (String key : NodeInfo.MEMBER_ADDRESS_ANNOTATIONS) {
      keep(all, key, annotations);
    }
    for (String key : DISTRIBUTION_ANNOTATIONS) {
      keep(all, key, annotations);
    }
    NodeSystemInfo system = node.getStatus() == null ? null : node.getStatus().getNodeInfo();
    List<NodeAddress> addresses = node.getStatus() == null || node.getStatus().getAddresses() == null
        ? List.of() : node.getStatus().getAddresses();
    return new NodeInfo(
        node.getMetadata().getName(),
        node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels(),
        annotations,
        addresses.stream().filter(a -> "InternalIP".equals(a.getType())).map(NodeAddress::getAddress).filter(Objects::nonNull).toList(),
        addresses.stream().filter(a -> "ExternalIP".equals(a.getType())).map(NodeAddress::getAddress).filter(Objects::nonNull).toList(),
        system == null ? null : system.getKubeletVersion(),
        system == null ? null : system.getOsImage(),
        ready(node));
  }

  /** The Ready condition: True -> true, False -> false, Unknown or none -> null. */
  static Boolean ready(Node node) {
    List<NodeCondition> conditions = node.getStatus() == null || node.getStatus().getConditions() == null
        ? List.of() : node.getStatus().getConditions();
    return conditions.stream().filter(c -> NodeInfo.READY_CONDITION.equals(c.getType())).findFirst().map(c -> NodeInfo.readyFromStatus(c.getStatus())).orElse(null);
  }

  private static void keep(Map<String, String> from, String key, Map<String, String> to) {
    String value = from.get(key);
    if (value != null) {
      to.put(key, value);
    }
  }
}
