package io.etcdguard.classify;

/** How a member was matched to its Node, in the order they are tried. The JSON {@code matchedBy} is {@link #label()}. */
public enum NodeMatch {
  /** etcd.k3s.cattle.io/node-name or etcd.rke2.cattle.io/node-name equals the member name. */
  ANNOTATION("annotation"),
  /** The member name is the Node name (kubeadm). */
  NODE_NAME("nodeName"),
  /** The member name is the Node name plus "-" and 8 hex characters (K3s, RKE2). */
  NODE_NAME_WITH_SUFFIX("nodeNameWithSuffix"),
  /** The member name is "etcd-" and the Node's name or one of its addresses (RKE1). */
  ETCD_PREFIXED_NAME("etcdPrefixedName"),
  /** A peer URL host is one of the Node's addresses. */
  PEER_ADDRESS("peerAddress"),
  /** A client URL host is one of the Node's addresses (a member whose peer URL is wrong but whose clients find it). */
  CLIENT_ADDRESS("clientAddress");

  private final String label;

  NodeMatch(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
