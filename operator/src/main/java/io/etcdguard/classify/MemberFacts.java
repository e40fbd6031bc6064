package io.etcdguard.classify;

import io.etcdguard.classify.PeerAddress.Family;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A member with its Node, parsed peers and client addresses: what every rule looks at.
 *
 * @param node the matched Node, or null
 * @param clientIps the client URL hosts that are IPs (literals, or resolved hostnames)
 */
record MemberFacts(EtcdMember member, NodeInfo node, NodeMatch matchedBy, List<Peer> peers, List<InetAddress> clientIps) {

  static List<Peer> peersOf(EtcdMember member, Map<String, HostResolution> hostnames) {
    List<Peer> peers = new ArrayList<>();
    for (String url : member.peerUrls()) {
      int port = Peer.portOf(url);
      PeerAddress address;
      try {
        address = PeerAddress.parse(url);
      } catch (IllegalArgumentException e) {
        peers.add(new Peer(new PeerAddress(url, url, null, null), null, port, HostResolution.Failure.NOT_FOUND, e.getMessage()));
        continue;
      }
      if (!address.isHostname()) {
        peers.add(new Peer(address, address.literal(), port, null, null));
        continue;
      }
      HostResolution resolution = hostnames.get(address.host());
      if (resolution == null || resolution.failure() != null || resolution.addresses().isEmpty()) {
        HostResolution.Failure failure = resolution == null ? HostResolution.Failure.NOT_FOUND
            : Objects.requireNonNullElse(resolution.failure(), HostResolution.Failure.NOT_FOUND);
        peers.add(new Peer(address, null, port, failure, resolution == null ? "not resolved" : resolution.detail()));
      } else {
        peers.add(new Peer(address, resolution.addresses().get(0), port, null, null));
      }
    }
    return peers;
  }

  static List<InetAddress> clientIpsOf(EtcdMember member, Map<String, HostResolution> hostnames) {
    List<InetAddress> ips = new ArrayList<>();
    for (String url : member.clientUrls()) {
      try {
        PeerAddress address = PeerAddress.parse(url);
        if (!address.isHostname()) {
          ips.add(address.literal());
        } else if (hostnames.containsKey(address.host())) {
          ips.addAll(hostnames.get(address.host()).addresses());
        }
      } catch (IllegalArgumentException e) {
        // an unusable client URL cannot match a Node; the peer URL rules judge the member
      }
    }
    return ips;
  }

  /** A hostname that resolves to several IPs stands for the one that is its Node's InternalIP, if any. */
  static List<Peer> preferNodeAddresses(List<Peer> peers, NodeInfo node, Map<String, HostResolution> hostnames) {
    List<Peer> result = new ArrayList<>();
    for (Peer p : peers) {
      if (p.address().isHostname() && p.ip() != null) {
        InetAddress chosen = hostnames.get(p.address().host()).addresses().stream()
            .filter(node::hasInternalIp).findFirst().orElse(p.ip());
        result.add(new Peer(p.address(), chosen, p.port(), null, null));
      } else {
        result.add(p);
      }
    }
    return result;
  }

  Family primaryFamily() {
    return peers.stream().map(Peer::ip).filter(Objects::nonNull).findFirst().map(PeerAddress::familyOf).orElse(null);
  }

  /** The family of the Node's first InternalIP, or null. */
  Family nodeFamily() {
    return node == null ? null : node.firstInternalAddress().map(PeerAddress::familyOf).orElse(null);
  }

  /** Advertises a routable address that is its own Node's InternalIP: a member that is where it should be. */
  boolean anchoredOnRoutableInternalIp() {
    return node != null && peers.stream().map(Peer::ip).filter(Objects::nonNull)
        .filter(ip -> !AddressKinds.isLoopbackOrLinkLocal(ip))
        .anyMatch(node::hasInternalIp);
  }

  boolean isNodeInternalIp(InetAddress ip) {
    return node != null && node.hasInternalIp(ip);
  }

  String firstHost() {
    return peers.isEmpty() ? "" : peers.get(0).address().display();
  }

  String who() {
    return member.started() ? member.name() + " (" + member.idHex() + ")" : member.idHex();
  }
}
