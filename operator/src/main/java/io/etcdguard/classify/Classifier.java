package io.etcdguard.classify;

import io.etcdguard.api.v1alpha1.AddressFamily;
import io.etcdguard.classify.PeerAddress.Family;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * member + node + policy -> verdicts. A pure function: no DNS, no clocks, no clients. The rules and
 * their reasoning are documented in docs/reasons.md; keep the two together.
 */
public final class Classifier {
  /** K3s and RKE2 name a member after its node plus "-" and 8 hex characters. */
  private static final Pattern SUFFIXED_MEMBER_NAME = Pattern.compile("^(.+)-[0-9a-f]{8}$");

  private Classifier() {}

  public static List<MemberVerdict> classify(ClusterView view, PolicyRules rules) {
    NodeIndex nodes = new NodeIndex(view.nodes());
    List<MemberFacts> facts = new ArrayList<>();
    for (EtcdMember member : view.members()) {
      facts.add(MemberFacts.of(member, nodes, view.hostnames()));
    }
    List<MemberVerdict> verdicts = new ArrayList<>();
    for (MemberFacts member : facts) {
      verdicts.add(judge(member, facts, rules));
    }
    return verdicts;
  }

  private static MemberVerdict judge(MemberFacts m, List<MemberFacts> all, PolicyRules rules) {
    Map<String, Finding> findings = new LinkedHashMap<>();
    NodeInfo node = m.node;
    Family clusterFamily = majorityFamily(all);
    Family nodeFamily = node == null ? null : firstInternalIp(node).map(PeerAddress::familyOf).orElse(null);
    Family wanted = wantedFamily(rules, clusterFamily, nodeFamily);
    Messages say = new Messages(m.member, node, wanted);

    if (!m.member.started()) {
      add(findings, new Finding(Reason.UnstartedMember, Confidence.Confirmed, m.firstHost(), say.unstarted()));
    }
    if (node == null) {
      add(findings, new Finding(Reason.NoMatchingNode, Confidence.Confirmed, m.firstHost(), say.noMatchingNode()));
    }
    boolean otherMemberAnchored = all.stream().anyMatch(o -> o != m && o.anchoredOnRoutableInternalIp());

    for (Peer peer : m.peers) {
      if (peer.ip == null) {
        Confidence confidence = peer.resolutionFailure == HostResolution.Failure.TIMEOUT ? Confidence.Suspected : Confidence.Confirmed;
        add(findings, new Finding(Reason.UnresolvableHostname, confidence, peer.address.display(), say.unresolvable(peer)));
        continue;
      }
      InetAddress ip = peer.ip;
      Family family = PeerAddress.familyOf(ip);
      String shown = peer.shown();
      boolean isNodeIp = node != null && node.internalIPs().stream()
          .map(PeerAddress::parseLiteral).flatMap(Optional::stream).anyMatch(ip::equals);

      boolean notNodeIp = node != null && !node.internalIPs().isEmpty() && !isNodeIp;
      if (notNodeIp) {
        add(findings, new Finding(Reason.NotNodeInternalIP, Confidence.Confirmed, shown, say.notNodeIp(peer)));
      }

      String familyProblem = familyProblem(family, rules.addressFamily(), clusterFamily, nodeFamily);
      if (familyProblem != null) {
        add(findings, new Finding(Reason.AddressFamilyMismatch, Confidence.Confirmed, shown, say.familyMismatch(peer, familyProblem)));
      }

      if (!rules.allowedCidrs().isEmpty() && rules.allowedCidrs().stream().noneMatch(c -> c.contains(ip))) {
        add(findings, new Finding(Reason.OutsideAllowedCIDRs, Confidence.Confirmed, shown, say.outsideCidrs(peer, rules.allowedCidrs())));
      }

      // A cluster that lives on loopback is a single-host or test cluster; loopback among members
      // that sit on their Nodes' routable addresses is a member other hosts cannot reach.
      if (AddressKinds.isLoopbackOrLinkLocal(ip) && otherMemberAnchored) {
        add(findings, new Finding(Reason.LinkLocalOrLoopback, Confidence.Confirmed, shown, say.loopback(peer)));
      }

      // From the address alone a temporary address cannot be proven (RFC 7217 stable addresses look
      // just as random), so it takes corroboration, and stays Suspected.
      if (AddressKinds.isGlobalOrUniqueLocalIPv6(ip) && !AddressKinds.hasEui64InterfaceId(ip)) {
        List<String> hints = new ArrayList<>();
        if (!isNodeIp) {
          hints.add(node == null ? "no Node claims it" : "it is not node " + node.name() + "'s InternalIP");
        }
        if (clusterFamily == Family.IPv4) {
          hints.add("most members advertise IPv4");
        }
        if (nodeFamily == Family.IPv4) {
          hints.add("the node's first InternalIP is IPv4");
        }
        if (rules.addressFamily() == AddressFamily.IPv4) {
          hints.add("the policy asks for IPv4");
        }
        if (!hints.isEmpty()) {
          add(findings, new Finding(Reason.TemporaryIPv6Address, Confidence.Suspected, shown, say.temporary(peer, hints)));
        }
      }
    }
    return new MemberVerdict(m.member, node == null ? null : node.name(), m.matchedBy, new ArrayList<>(findings.values()));
  }

  private static void add(Map<String, Finding> findings, Finding finding) {
    findings.putIfAbsent(finding.reason() + "|" + finding.address(), finding);
  }

  /**
   * The family a strict majority of members advertise, or null on a tie. A majority, not "all the
   * others": in a two-member split each member would otherwise be the odd one out.
   */
  private static Family majorityFamily(List<MemberFacts> all) {
    Map<Family, Long> counts = all.stream().map(MemberFacts::primaryFamily).filter(Objects::nonNull)
        .collect(Collectors.groupingBy(f -> f, Collectors.counting()));
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    return counts.entrySet().stream().filter(e -> e.getValue() * 2 > total).map(Map.Entry::getKey).findFirst().orElse(null);
  }

  private static Family wantedFamily(PolicyRules rules, Family clusterFamily, Family nodeFamily) {
    return switch (rules.addressFamily()) {
      case IPv4 -> Family.IPv4;
      case IPv6 -> Family.IPv6;
      case Any -> clusterFamily != null ? clusterFamily : nodeFamily;
    };
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

  static Optional<InetAddress> firstInternalIp(NodeInfo node) {
    return node.internalIPs().stream().map(PeerAddress::parseLiteral).flatMap(Optional::stream).findFirst();
  }

  /** One peer URL of a member with the IP it stands for (the literal, or what its hostname resolved to). */
  record Peer(PeerAddress address, InetAddress ip, HostResolution.Failure resolutionFailure, String resolutionDetail) {
    String shown() {
      return address.isHostname() ? address.display() + " (" + PeerAddress.toText(ip) + ")" : address.display();
    }
  }

  /** A member with its Node and parsed peers: what every rule looks at. */
  private record MemberFacts(EtcdMember member, NodeInfo node, NodeMatch matchedBy, List<Peer> peers) {
    static MemberFacts of(EtcdMember member, NodeIndex nodes, Map<String, HostResolution> hostnames) {
      List<Peer> peers = new ArrayList<>();
      for (String url : member.peerUrls()) {
        PeerAddress address;
        try {
          address = PeerAddress.parse(url);
        } catch (IllegalArgumentException e) {
          peers.add(new Peer(new PeerAddress(url, url, null, null), null, HostResolution.Failure.NOT_FOUND, e.getMessage()));
          continue;
        }
        if (!address.isHostname()) {
          peers.add(new Peer(address, address.literal(), null, null));
          continue;
        }
        HostResolution resolution = hostnames.get(address.host());
        if (resolution == null || resolution.failure() != null || resolution.addresses().isEmpty()) {
          HostResolution.Failure failure = resolution == null ? HostResolution.Failure.NOT_FOUND
              : Objects.requireNonNullElse(resolution.failure(), HostResolution.Failure.NOT_FOUND);
          peers.add(new Peer(address, null, failure, resolution == null ? "not resolved" : resolution.detail()));
        } else {
          peers.add(new Peer(address, resolution.addresses().get(0), null, null));
        }
      }
      NodeMatchResult match = nodes.match(member, peers);
      if (match != null) {
        peers = preferNodeAddresses(peers, match.node, hostnames);
      }
      return new MemberFacts(member, match == null ? null : match.node, match == null ? null : match.how, peers);
    }

    /** A hostname that resolves to several IPs stands for the one that is its Node's InternalIP, if any. */
    private static List<Peer> preferNodeAddresses(List<Peer> peers, NodeInfo node, Map<String, HostResolution> hostnames) {
      List<Peer> result = new ArrayList<>();
      for (Peer p : peers) {
        if (p.address.isHostname() && p.ip != null) {
          InetAddress chosen = hostnames.get(p.address.host()).addresses().stream()
              .filter(a -> node.internalIPs().stream().map(PeerAddress::parseLiteral).flatMap(Optional::stream).anyMatch(a::equals))
              .findFirst().orElse(p.ip);
          result.add(new Peer(p.address, chosen, null, null));
        } else {
          result.add(p);
        }
      }
      return result;
    }

    Family primaryFamily() {
      return peers.stream().map(Peer::ip).filter(Objects::nonNull).findFirst().map(PeerAddress::familyOf).orElse(null);
    }

    /** Advertises a routable address that is its own Node's InternalIP: a member that is where it should be. */
    boolean anchoredOnRoutableInternalIp() {
      if (node == null) {
        return false;
      }
      return peers.stream().map(Peer::ip).filter(Objects::nonNull)
          .filter(ip -> !AddressKinds.isLoopbackOrLinkLocal(ip))
          .anyMatch(ip -> node.internalIPs().stream().map(PeerAddress::parseLiteral).flatMap(Optional::stream).anyMatch(ip::equals));
    }

    String firstHost() {
      return peers.isEmpty() ? "" : peers.get(0).address.display();
    }
  }

  private record NodeMatchResult(NodeInfo node, NodeMatch how) {}

  /** Nodes by name, by declared member name and by address: the four ways to match, in order. */
  private static final class NodeIndex {
    private final Map<String, NodeInfo> byName = new HashMap<>();
    private final Map<String, NodeInfo> byMemberName = new HashMap<>();
    private final Map<InetAddress, NodeInfo> byAddress = new HashMap<>();

    NodeIndex(List<NodeInfo> nodes) {
      for (NodeInfo node : nodes) {
        byName.put(node.name(), node);
        String declared = node.declaredMemberName();
        if (declared != null) {
          byMemberName.put(declared, node);
        }
        List<String> addresses = new ArrayList<>(node.internalIPs());
        addresses.addAll(node.otherAddresses());
        for (String text : addresses) {
          PeerAddress.parseLiteral(text).ifPresent(a -> byAddress.putIfAbsent(a, node));
        }
      }
    }

    NodeMatchResult match(EtcdMember member, List<Peer> peers) {
      String name = member.name();
      if (!name.isEmpty()) {
        if (byMemberName.containsKey(name)) {
          return new NodeMatchResult(byMemberName.get(name), NodeMatch.ANNOTATION);
        }
        if (byName.containsKey(name)) {
          return new NodeMatchResult(byName.get(name), NodeMatch.NODE_NAME);
        }
        Matcher suffixed = SUFFIXED_MEMBER_NAME.matcher(name);
        if (suffixed.matches() && byName.containsKey(suffixed.group(1))) {
          return new NodeMatchResult(byName.get(suffixed.group(1)), NodeMatch.NODE_NAME_WITH_SUFFIX);
        }
      }
      for (Peer peer : peers) {
        if (peer.ip != null && byAddress.containsKey(peer.ip)) {
          return new NodeMatchResult(byAddress.get(peer.ip), NodeMatch.ADDRESS);
        }
      }
      return null;
    }
  }
}
