package io.etcdguard.k8s;

import io.etcdguard.classify.NodeInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Cuts a Kubernetes Node down to what classification needs (name, labels, etcd annotations, addresses). */
public final class NodeInfos {
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
    List<NodeAddress> addresses = node.getStatus() == null || node.getStatus().getAddresses() == null
        ? List.of() : node.getStatus().getAddresses();
    return new NodeInfo(
        node.getMetadata().getName(),
        node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels(),
        annotations,
        addresses.stream().filter(a -> "InternalIP".equals(a.getType())).map(NodeAddress::getAddress).filter(Objects::nonNull).toList(),
        addresses.stream().filter(a -> "ExternalIP".equals(a.getType())).map(NodeAddress::getAddress).filter(Objects::nonNull).toList());
  }

  private static void keep(Map<String, String> from, String key, Map<String, String> to) {
    String value = from.get(key);
    if (value != null) {
      to.put(key, value);
    }
  }
}
