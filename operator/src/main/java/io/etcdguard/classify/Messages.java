package io.etcdguard.classify;

import io.etcdguard.classify.Classifier.Peer;
import io.etcdguard.classify.PeerAddress.Family;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finding messages: each names the member, its peer URL, the Node's InternalIP and the fix, so a
 * single Event or status line is enough to act on.
 */
final class Messages {
  private final EtcdMember member;
  private final NodeInfo node;
  private final Family wanted;

  Messages(EtcdMember member, NodeInfo node, Family wanted) {
    this.member = member;
    this.node = node;
    this.wanted = wanted;
  }

  String unstarted() {
    return "member " + member.idHex() + " was added with peer URL " + urls()
        + " but never started (no name, no client URLs). Fix: start etcd on the host that owns that address"
        + " with this peer URL, or remove the member with `etcdctl member remove " + member.idHex() + "` if it was added by mistake.";
  }

  String noMatchingNode() {
    return "member " + who() + " (peer URL " + urls() + ") matches no selected Node by annotation, name or address."
        + " Fix: if the server was removed, remove the stale member with `etcdctl member remove " + member.idHex()
        + "` while quorum holds; if the Node exists, check the policy's nodeSelector and the Node's labels.";
  }

  String unresolvable(Peer peer) {
    String detail = peer.resolutionDetail() == null ? "" : " (" + peer.resolutionDetail() + ")";
    return "member " + who() + " advertises peer URL " + peer.address().url() + " whose host " + peer.address().host()
        + " could not be resolved" + detail + "; peers cannot reach it either. Fix: advertise an IP address"
        + fixTarget(peer) + ", or repair the name in DNS.";
  }

  String notNodeIp(Peer peer) {
    return "member " + who() + " advertises peer URL " + peer.address().url() + " but node " + node.name()
        + " has InternalIP " + String.join(", ", node.internalIPs()) + ". Fix: pin the node address"
        + pinAdvice(peer) + fixTarget(peer) + ".";
  }

  String familyMismatch(Peer peer, String why) {
    return "member " + who() + " advertises peer URL " + peer.address().url() + " (" + PeerAddress.familyOf(peer.ip())
        + ") but " + why + nodeIpClause() + ". Fix: pin the address family" + pinAdvice(peer) + fixTarget(peer) + ".";
  }

  String outsideCidrs(Peer peer, List<Cidr> cidrs) {
    return "member " + who() + " advertises peer URL " + peer.address().url() + " outside the allowed CIDRs "
        + cidrs.stream().map(Cidr::text).collect(Collectors.joining(", ")) + nodeIpClause()
        + ". Fix: advertise an address inside them" + pinAdvice(peer) + fixTarget(peer) + ".";
  }

  String loopback(Peer peer) {
    return "member " + who() + " advertises loopback or link-local peer URL " + peer.address().url()
        + ", which the other hosts cannot reach" + nodeIpClause() + ". Fix: advertise a routable address"
        + pinAdvice(peer) + fixTarget(peer) + ".";
  }

  String temporary(Peer peer, List<String> hints) {
    return "member " + who() + " advertises peer URL " + peer.address().url() + " whose host "
        + PeerAddress.toText(peer.ip()) + " looks like an IPv6 temporary (privacy) address: random interface id, and "
        + String.join(", ", hints) + nodeIpClause() + ". The kernel deprecates temporary addresses after a day and"
        + " removes them after two; then no peer can reach this member. Fix: start K3s/RKE2 only after the stable"
        + " address is up (a systemd oneshot unit Before=k3s.service that waits for it), set"
        + " net.ipv6.conf.<interface>.use_tempaddr=0 on the etcd interface" + pinAdvice(peer) + fixTarget(peer) + ".";
  }

  private String who() {
    return member.started() ? member.name() + " (" + member.idHex() + ")" : member.idHex();
  }

  private String urls() {
    return String.join(", ", member.peerUrls());
  }

  private String nodeIpClause() {
    if (node == null) {
      return "";
    }
    return node.internalIPs().isEmpty()
        ? "; node " + node.name() + " has no InternalIP"
        : "; node " + node.name() + " has InternalIP " + String.join(", ", node.internalIPs());
  }

  /** The address the member should advertise: its Node's InternalIP of the wanted family. */
  private Optional<InetAddress> target() {
    if (node == null) {
      return Optional.empty();
    }
    List<InetAddress> ips = node.internalIPs().stream().map(PeerAddress::parseLiteral).flatMap(Optional::stream).toList();
    return ips.stream().filter(ip -> wanted == null || PeerAddress.familyOf(ip) == wanted).findFirst()
        .or(() -> ips.stream().findFirst());
  }

  private String pinAdvice(Peer peer) {
    return target().map(ip -> {
      String url = replaceHost(peer.address().url(), ip);
      return " (K3s/RKE2: --node-ip=" + PeerAddress.toText(ip) + " and --etcd-arg=listen-peer-urls=" + url
          + " --etcd-arg=initial-advertise-peer-urls=" + url + ", likewise the client URLs;"
          + " kubeadm: the node IP in the etcd manifest's --initial-advertise-peer-urls)";
    }).orElse("");
  }

  private String fixTarget(Peer peer) {
    return target().map(ip -> ", then move the member while quorum holds: `etcdctl member update " + member.idHex()
        + " --peer-urls=" + replaceHost(peer.address().url(), ip) + "`").orElse("");
  }

  static String replaceHost(String url, InetAddress ip) {
    String text = PeerAddress.toText(ip);
    String host = ip instanceof Inet6Address ? "[" + text + "]" : text;
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "https" : uri.getScheme();
      int port = uri.getPort() < 0 ? 2380 : uri.getPort();
      return scheme + "://" + host + ":" + port;
    } catch (Exception e) {
      return "https://" + host + ":2380";
    }
  }
}
