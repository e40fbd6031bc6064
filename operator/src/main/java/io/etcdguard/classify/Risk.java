package io.etcdguard.classify;

import java.util.Comparator;
import java.util.List;

/**
 * Why an etcd server Node is at risk of failing its next start: posture findings about the host, not member
 * violations (the member list may be clean). The names are API: {@code status.nodesAtRisk[].risk}, the Warning
 * Event reason on the Node, the {@code risk} label of etcdguard_node_risk, and docs/reasons.md.
 */
public enum Risk {
  RestartRisk("The node address is not pinned and a start now, or at boot before IPv4 is up, would pick another address than the member's registered one: K3s/RKE2 would refuse to start (\"this server is a not a member of the etcd cluster\")."),
  TemporaryAddressesEnabled("use_tempaddr >= 1 on the interface that carries the member's address: the kernel makes IPv6 temporary addresses there, which an auto-detecting start can pick."),
  NodeIPNotPinned("A K3s/RKE2 etcd server whose node address is auto-detected at every start (no --node-ip in its node-args)."),
  NodeArgsUnreadable("The node-args annotation is not a JSON array of strings: whether the node address is pinned cannot be told.");

  /** Most urgent first: the order in which a Node's risks are listed and its primary risk is chosen. */
  public static final Comparator<Risk> MOST_URGENT_FIRST = Comparator.comparingInt(Risk::ordinal);

  public static final List<Risk> ORDER = List.of(values());

  private final String meaning;

  Risk(String meaning) {
    this.meaning = meaning;
  }

  public String meaning() {
    return meaning;
  }
}
