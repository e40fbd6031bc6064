package io.etcdguard.classify;

import io.etcdguard.host.HostAddress;
import io.etcdguard.host.Lifetime;
import io.etcdguard.host.NodeHostReport;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Finding messages: the evidence of one reason (member, peer URL, the Node's addresses). The fix is
 * not repeated here; it is computed once per member (io.etcdguard.advice).
 */
final class Messages {
  private Messages() {}

  static String unstarted(MemberFacts m) {
    return "member " + m.member().idHex() + " was added with peer URL " + urls(m) + " but never started (no name, no client URLs)"
        + nodeClause(m) + ".";
  }

  static String noMatchingNode(MemberFacts m) {
    return "member " + m.who() + " (peer URL " + urls(m) + ") matches no selected Node by annotation, name, peer or client address.";
  }

  static String unresolvable(MemberFacts m, Peer peer) {
    String detail = peer.resolutionDetail() == null ? "" : " (" + peer.resolutionDetail() + ")";
    return "member " + m.who() + " advertises peer URL " + peer.address().url() + " whose host " + peer.address().host()
        + " could not be resolved" + detail + "; peers cannot reach it either" + nodeClause(m) + ".";
  }

  static String notNodeIp(MemberFacts m, Peer peer) {
    return "member " + m.who() + " advertises peer URL " + peer.address().url() + nodeClause(m) + ".";
  }

  static String familyMismatch(MemberFacts m, Peer peer, String why) {
    return "member " + m.who() + " advertises peer URL " + peer.address().url() + " (" + PeerAddress.familyOf(peer.ip())
        + ") but " + why + nodeClause(m) + ".";
  }

  static String outsideCidrs(MemberFacts m, Peer peer, List<Cidr> cidrs) {
    return "member " + m.who() + " advertises peer URL " + peer.address().url() + " outside the allowed CIDRs "
        + cidrs.stream().map(Cidr::text).collect(Collectors.joining(", ")) + nodeClause(m) + ".";
  }

  static String loopback(MemberFacts m, Peer peer) {
    return "member " + m.who() + " advertises loopback or link-local peer URL " + peer.address().url()
        + ", which the other hosts cannot reach" + nodeClause(m) + ".";
  }

  static String temporary(MemberFacts m, Peer peer, List<String> hints) {
    return "member " + m.who() + " advertises peer URL " + peer.address().url() + " whose host "
        + PeerAddress.toText(peer.ip()) + " looks like an IPv6 temporary (privacy) address: random interface id, and "
        + String.join(", ", hints) + nodeClause(m) + ". The kernel deprecates temporary addresses after a day and"
        + " removes them after two; then no peer can reach this member.";
  }

  static String confirmedTemporary(MemberFacts m, Peer peer, NodeHostReport report, HostAddress onHost) {
    return "member " + m.who() + " advertises peer URL " + peer.address().url() + " whose host " + onHost.text()
        + " is a temporary (privacy) address on interface " + onHost.interfaceName() + " of node " + report.nodeName()
        + ", as its agent reported at " + report.observedAt() + ": " + lifetimes(report, onHost)
        + "; then no peer can reach this member.";
  }

  /** When the address is deprecated and removed: from the lifetimes, else the bound (temp_valid_lft), else unknown. */
  static String lifetimes(NodeHostReport report, HostAddress a) {
    List<String> parts = new java.util.ArrayList<>();
    if (a.flags().deprecated()) {
      parts.add("already deprecated");
    } else {
      report.preferredUntil(a).ifPresent(t -> parts.add("deprecated at " + t));
    }
    Long bound = a.validLifetime().kind() == Lifetime.Kind.UNKNOWN ? a.validLifetime().seconds() : null;
    parts.add(report.validUntil(a).map(t -> "removed at " + t)
        .orElse(bound != null ? "removed by " + report.observedAt().plusSeconds(bound) + " at the latest (temp_valid_lft " + bound
            + "s; its own lifetime was not readable)" : "removed when its valid lifetime ends (not readable there; Linux's default is 2 days)"));
    return String.join(", ", parts);
  }

  static String notOnNode(MemberFacts m, Peer peer, NodeHostReport report) {
    return "member " + m.who() + " advertises peer URL " + peer.address().url() + " but " + PeerAddress.toText(peer.ip())
        + " is on none of node " + report.nodeName() + "'s interfaces (agent report of " + report.observedAt()
        + ": " + report.addresses().stream().filter(a -> !a.address().isLoopbackAddress()).map(HostAddress::text).distinct()
            .collect(Collectors.joining(", ")) + "); no peer can reach it there.";
  }

  static String duplicate(MemberFacts m, Peer peer, List<MemberFacts> others) {
    return "member " + m.who() + " advertises peer URL " + peer.address().url() + ", as do "
        + others.stream().map(o -> "member " + o.who()).collect(Collectors.joining(", "))
        + ": one address cannot be several members' own (a shared NAT address or a VIP)" + nodeClause(m) + ".";
  }

  static String downNodeNotReady(MemberFacts m, MembershipHealth.Member health) {
    return "member " + m.who() + " does not answer" + (health.error() == null ? "" : " (" + health.error() + ")") + " and its node "
        + m.node().name() + " is NotReady: most likely the node rebooted and its server could not rejoin etcd. When a"
        + " start picks another address than the registered peer URL " + urls(m) + " (a boot that did not wait for IPv4,"
        + " an expired temporary or a new DHCP address), K3s/RKE2 refuse to start (\"this server is a not a member of the"
        + " etcd cluster\") and the kubelet they run never reports Ready" + nodeClause(m) + ".";
  }

  private static String urls(MemberFacts m) {
    return String.join(", ", m.member().peerUrls());
  }

  private static String nodeClause(MemberFacts m) {
    NodeInfo node = m.node();
    if (node == null) {
      return "";
    }
    return node.internalIPs().isEmpty()
        ? "; node " + node.name() + " has no InternalIP"
        : "; node " + node.name() + " has InternalIP " + String.join(", ", node.internalIPs());
  }
}
