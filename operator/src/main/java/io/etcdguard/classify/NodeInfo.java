package io.etcdguard.classify;

import java.util.List;
import java.util.Map;

/**
 * The little of a Kubernetes Node that classification needs. Kept small on purpose: a Node object
 * carries images and conditions, and the operator holds thousands of these.
 *
 * @param internalIPs the Node's InternalIP addresses, in the order the Node lists them
 * @param otherAddresses ExternalIP addresses (used only to match a member to its Node)
 */
public record NodeInfo(
    String name,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<String> internalIPs,
    List<String> otherAddresses) {

  /** K3s/RKE2 annotations naming the etcd member of a Node, and the address it registered. */
  public static final List<String> MEMBER_NAME_ANNOTATIONS =
      List.of("etcd.k3s.cattle.io/node-name", "etcd.rke2.cattle.io/node-name");

  public static final List<String> MEMBER_ADDRESS_ANNOTATIONS =
      List.of("etcd.k3s.cattle.io/node-address", "etcd.rke2.cattle.io/node-address");

  public NodeInfo {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    internalIPs = List.copyOf(internalIPs);
    otherAddresses = List.copyOf(otherAddresses);
  }

  /** The member name a K3s or RKE2 Node declares, or null. */
  public String declaredMemberName() {
    for (String key : MEMBER_NAME_ANNOTATIONS) {
      String value = annotations.get(key);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }
}
