package io.etcdguard.classify;

/** How a member was matched to its Node, in the order they are tried. */
public enum NodeMatch {
  /** etcd.k3s.cattle.io/node-name or etcd.rke2.cattle.io/node-name equals the member name. */
  ANNOTATION,
  /** The member name is the Node name (kubeadm). */
  NODE_NAME,
  /** The member name is the Node name plus "-" and 8 hex characters (K3s, RKE2). */
  NODE_NAME_WITH_SUFFIX,
  /** A peer URL host is one of the Node's addresses. */
  ADDRESS
}
