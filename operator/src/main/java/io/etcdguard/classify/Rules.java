package io.etcdguard.classify;

import io.etcdguard.api.v1alpha1.AddressFamily;
import io.etcdguard.classify.PeerAddress.Family;
import io.etcdguard.host.HostAddress;
import io.etcdguard.host.NodeHostReport;
import java.net.InetAddress;
import java.util.Optional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One rule per {@link Reason}, in the order of docs/reasons.md. A rule reads the member's facts and the
 * cluster's facts and adds findings; it parses nothing and asks nothing.
 */
final class Rules {
  private Rules() {}

  /** A rule: adds the findings of one reason for one member. */
  @FunctionalInterface
  interface Rule {
    void check(MemberFacts member, ClusterFacts cluster, PolicyRules policy, Findings out);
  }

  /** Findings of one member, at most one per reason and address. */
  static final class Findings {
    private final Map<String, Finding> byKey = new LinkedHashMap<>();

    void add(Reason reason, Confidence confidence, String address, String message) {
      byKey.putIfAbsent(reason + "|" + address, new Finding(reason, confidence, address, message));
    }

    List<Finding> list() {
      return new ArrayList<>(byKey.values());
    }
  }

  static final List<Rule> ALL = List.of(
      Rules::notNodeInternalIp,
      Rules::addressFamilyMismatch,
      Rules::outsideAllowedCidrs,
      Rules::linkLocalOrLoopback,
      Rules::temporaryIPv6Address,
      Rules::duplicatePeerAddress,
      Rules::addressNotOnNode,
      Rules::noMatchingNode,
      Rules::unstartedMember,
      Rules::unresolvableHostname,
      Rules::memberDownNodeNotReady);

  static void notNodeInternalIp(MemberFacts m, ClusterFacts c, PolicyRules p, Findings out) {
    if (m.node() == null || m.node().internalAddresses().isEmpty()) {
      return;
    }
    for (Peer peer : m.peers()) {
      if (peer.ip() != null && !m.isNodeInternalIp(peer.ip())) {
        out.add(Reason.NotNodeInternalIP, Confidence.Confirmed, peer.shown(), Messages.notNodeIp(m, peer));
      }
    }
  }

  static void addressFamilyMismatch(MemberFacts m, ClusterFacts c, PolicyRules p, Findings out) {
    for (Peer peer : m.peers()) {
      if (peer.ip() == null) {
        continue;
      }
      String problem = familyProblem(PeerAddress.familyOf(peer.ip()), p.addressFamily(), c.majorityFamily(), m.nodeFamily());
      if (problem != null) {
        out.add(Reason.AddressFamilyMismatch, Confidence.Confirmed, peer.shown(), Messages.familyMismatch(m, peer, problem));
      }
    }
  }

  private static String familyProblem(Family family, AddressFamily policy, Family clusterFamily, Family nodeFamily) {
    return switch (policy) {
      case IPv4 -> family == Family.IPv4 ? null : "the policy requires IPv4";
      case IPv6 -> family == Family.IPv6 ? null : "the policy requires IPv6";
      case Any -> {
        if (clusterFamily != null && clusterFamily != family) {
          yield "most members advertise " + clusterFamily;
        }
        if (nodeFamily != null && nodeFamily != family) {
          yield "the node's first InternalIP is " + nodeFamily;
        }
        yield null;
      }
    };
  }

  static void outsideAllowedCidrs(MemberFacts m, ClusterFacts c, PolicyRules p, Findings out) {
    if (p.allowedCidrs().isEmpty()) {
      return;
    }
    for (Peer peer : m.peers()) {
      if (peer.ip() != null && p.allowedCidrs().stream().noneMatch(cidr -> cidr.contains(peer.ip()))) {
        out.add(Reason.OutsideAllowedCIDRs, Confidence.Confirmed, peer.shown(), Messages.outsideCidrs(m, peer, p.allowedCidrs()));
      }
    }
  }

  /**
   * A cluster that lives on loopback is a single-host or test cluster; loopback among members that sit on
   * their Nodes' routable addresses is a member other hosts cannot reach.
   */
  static void linkLocalOrLoopback(MemberFacts m, ClusterFacts c, PolicyRules p, Findings out) {
    if (!c.anotherMemberAnchored(m)) {
      return;
    }
    for (Peer peer : m.peers()) {
      if (peer.ip() != null && AddressKinds.isLoopbackOrLinkLocal(peer.ip())) {
        out.add(Reason.LinkLocalOrLoopback, Confidence.Confirmed, peer.shown(), Messages.loopback(m, peer));
      }
    }
  }

  /**
   * The kernel of the member's node knows: when its (fresh) report lists the address, its temporary flag
   * decides, Confirmed either way (not temporary: nothing). Otherwise, from the address alone a temporary
   * address cannot be proven (RFC 7217 stable addresses look just as random), so it takes corroboration, and
   * stays Suspected.
   */
  static void temporaryIPv6Address(MemberFacts m, ClusterFacts c, PolicyRules p, Findings out) {
    Optional<NodeHostReport> report = c.reportOf(m);
    for (Peer peer : m.peers()) {
      InetAddress ip = peer.ip();
      if (ip == null) {
        continue;
      }
      Optional<HostAddress> onHost = report.flatMap(r -> r.find(ip));
      if (onHost.isPresent()) {
        if (onHost.get().flags().temporary()) {
          out.add(Reason.TemporaryIPv6Address, Confidence.Confirmed, peer.shown(),
              Messages.confirmedTemporary(m, peer, report.get(), onHost.get()));
        }
        continue;
      }
      if (!AddressKinds.isGlobalOrUniqueLocalIPv6(ip) || AddressKinds.hasEui64InterfaceId(ip)) {
        continue;
      }
      List<String> hints = new ArrayList<>();
      if (!m.isNodeInternalIp(ip)) {
        hints.add(m.node() == null ? "no Node claims it" : "it is not node " + m.node().name() + "'s InternalIP");
      }
      if (c.majorityFamily() == Family.IPv4) {
        hints.add("most members advertise IPv4");
      }
      if (m.nodeFamily() == Family.IPv4) {
        hints.add("the node's first InternalIP is IPv4");
      }
      if (p.addressFamily() == AddressFamily.IPv4) {
        hints.add("the policy asks for IPv4");
      }
      if (!hints.isEmpty()) {
        out.add(Reason.TemporaryIPv6Address, Confidence.Suspected, peer.shown(), Messages.temporary(m, peer, hints));
      }
    }
  }

  /** Two members on one host and port: every VM behind the same NAT address, or a VIP. Wrong with or without a policy. */
  static void duplicatePeerAddress(MemberFacts m, ClusterFacts c, PolicyRules p, Findings out) {
    for (Peer peer : m.peers()) {
      List<MemberFacts> others = c.othersSharing(m, peer);
      if (!others.isEmpty()) {
        out.add(Reason.DuplicatePeerAddress, Confidence.Confirmed, peer.shown(), Messages.duplicate(m, peer, others));
      }
    }
  }

  /** The node's agent lists every address of the host: a peer address it does not list is not there now. Loopback is on every host. */
  static void addressNotOnNode(MemberFacts m, ClusterFacts c, PolicyRules p, Findings out) {
    Optional<NodeHostReport> report = c.reportOf(m);
    if (report.isEmpty()) {
      return;
    }
    for (Peer peer : m.peers()) {
      if (peer.ip() != null && !peer.ip().isLoopbackAddress() && report.get().find(peer.ip()).isEmpty()) {
        out.add(Reason.AddressNotOnNode, Confidence.Confirmed, peer.shown(), Messages.notOnNode(m, peer, report.get()));
      }
    }
  }

  static void noMatchingNode(MemberFacts m, ClusterFacts c, PolicyRules p, Findings out) {
    if (m.node() == null) {
      out.add(Reason.NoMatchingNode, Confidence.Confirmed, m.firstHost(), Messages.noMatchingNode(m));
    }
  }

  static void unstartedMember(MemberFacts m, ClusterFacts c, PolicyRules p, Findings out) {
    if (!m.member().started()) {
      out.add(Reason.UnstartedMember, Confidence.Confirmed, m.firstHost(), Messages.unstarted(m));
    }
  }

  /**
   * The incident after the reboot: the member was asked and did not answer, and its Node is NotReady (K3s/RKE2 run
   * the kubelet in the server process, so a server that refused to start leaves its Node NotReady). Only when health
   * was observed: without it (audit file mode) nothing is raised.
   */
  static void memberDownNodeNotReady(MemberFacts m, ClusterFacts c, PolicyRules p, Findings out) {
    MembershipHealth.Member health = c.health().member(m.member().id());
    if (m.node() != null && Boolean.FALSE.equals(m.node().ready()) && health != null && Boolean.FALSE.equals(health.reachable())) {
      out.add(Reason.MemberDownNodeNotReady, Confidence.Confirmed, m.firstHost(), Messages.downNodeNotReady(m, health));
    }
  }

  static void unresolvableHostname(MemberFacts m, ClusterFacts c, PolicyRules p, Findings out) {
    for (Peer peer : m.peers()) {
      if (peer.ip() == null) {
        Confidence confidence = peer.resolutionFailure() == HostResolution.Failure.TIMEOUT ? Confidence.Suspected : Confidence.Confirmed;
        out.add(Reason.UnresolvableHostname, confidence, peer.address().display(), Messages.unresolvable(m, peer));
      }
    }
  }
}
