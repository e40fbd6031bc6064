package io.etcdguard.classify;

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

  static String duplicate(MemberFacts m, Peer peer, List<MemberFacts> others) {
    return "member " + m.who() + " advertises peer URL " + peer.address().url() + ", as do "
        + others.stream().map(o -> "member " + o.who()).collect(Collectors.joining(", "))
        + ": one address cannot be several members' own (a shared NAT address or a VIP)" + nodeClause(m) + ".";
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
