package io.etcdguard.classify;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * member + node + policy -> verdicts. A pure function: no DNS, no clocks, no clients. It matches each
 * member to its Node, computes the cluster's facts once, and runs one small rule per reason
 * ({@link Rules}). The rules and their reasoning are documented in docs/reasons.md; keep the two together.
 */
public final class Classifier {
  /** K3s and RKE2 name a member after its node plus "-" and 8 hex characters. */
  private static final Pattern SUFFIXED_MEMBER_NAME = Pattern.compile("^(.+)-[0-9a-f]{8}$");
  /** RKE1 names a member "etcd-" and its node's address (or name). */
  private static final Pattern ETCD_PREFIXED_NAME = Pattern.compile("^etcd-(.+)$");

  private Classifier() {}

  /** The verdict of each member and, when asked, the restart posture of each etcd server Node. */
  public record Assessment(List<MemberVerdict> verdicts, List<NodePosture> postures) {
    public Assessment {
      verdicts = List.copyOf(verdicts);
      postures = List.copyOf(postures);
    }
  }

  /**
   * {@link #classify} and, when {@code withPosture}, {@link #posture}, from one match of the members to the Nodes
   * (indexing a large cluster's Nodes is most of the work of either).
   */
  public static Assessment assess(ClusterView view, PolicyRules rules, boolean withPosture) {
    List<MemberFacts> members = matchMembers(view);
    return new Assessment(verdicts(members, view, rules),
        withPosture ? PostureRules.assess(members, view.members(), view.reports()) : List.of());
  }

  public static List<MemberVerdict> classify(ClusterView view, PolicyRules rules) {
    return verdicts(matchMembers(view), view, rules);
  }

  /**
   * The restart posture of every etcd server Node (one holding a started member): what a K3s/RKE2 start would
   * do with the host as its agent reported it ({@link PostureRules}).
   */
  public static List<NodePosture> posture(ClusterView view) {
    return PostureRules.assess(matchMembers(view), view.members(), view.reports());
  }

  private static List<MemberFacts> matchMembers(ClusterView view) {
    NodeIndex nodes = new NodeIndex(view.nodes());
    List<MemberFacts> members = new ArrayList<>();
    for (EtcdMember member : view.members()) {
      members.add(facts(member, nodes, view.hostnames()));
    }
    return members;
  }

  private static List<MemberVerdict> verdicts(List<MemberFacts> members, ClusterView view, PolicyRules rules) {
    ClusterFacts cluster = ClusterFacts.of(members, view.health(), view.reports());
    List<MemberVerdict> verdicts = new ArrayList<>();
    for (MemberFacts member : members) {
      Rules.Findings findings = new Rules.Findings();
      for (Rules.Rule rule : Rules.ALL) {
        rule.check(member, cluster, rules, findings);
      }
      verdicts.add(new MemberVerdict(member.member(), member.node() == null ? null : member.node().name(),
          member.matchedBy(), findings.list()));
    }
    return verdicts;
  }

  private static MemberFacts facts(EtcdMember member, NodeIndex nodes, Map<String, HostResolution> hostnames) {
    List<Peer> peers = MemberFacts.peersOf(member, hostnames);
    List<InetAddress> clientIps = MemberFacts.clientIpsOf(member, hostnames);
    NodeMatchResult match = nodes.match(member, peers, clientIps);
    if (match == null) {
      return new MemberFacts(member, null, null, peers, clientIps);
    }
    return new MemberFacts(member, match.node, match.how, MemberFacts.preferNodeAddresses(peers, match.node, hostnames), clientIps);
  }

  private record NodeMatchResult(NodeInfo node, NodeMatch how) {}

  /** Nodes by name, by declared member name and by address: the ways to match, in {@link NodeMatch} order. */
  private static final class NodeIndex {
    private final Map<String, NodeInfo> byName = new HashMap<>();
    private final Map<String, NodeInfo> byMemberName = new HashMap<>();
    /*
     * By canonical text, not by InetAddress: an Inet4Address hashes to its 32 bits, and the addresses of a large
     * cluster that differ only in their middle octets (10.a.b.11) fall into a few hundred of HashMap's buckets
     * (measured: 5,000 Nodes, trees in the buckets, a tenth of an audit's CPU). Equal text is equal address.
     */
    private final Map<String, NodeInfo> byAddress;

    NodeIndex(List<NodeInfo> nodes) {
      byAddress = new HashMap<>(Math.max(16, 2 * nodes.size())); // an address or two a Node, no rehash
      for (NodeInfo node : nodes) {
        byName.put(node.name(), node);
        String declared = node.declaredMemberName();
        if (declared != null) {
          byMemberName.put(declared, node);
        }
        for (InetAddress a : node.internalAddresses()) {
          byAddress.putIfAbsent(PeerAddress.toText(a), node);
        }
        for (InetAddress a : node.otherInetAddresses()) {
          byAddress.putIfAbsent(PeerAddress.toText(a), node);
        }
      }
    }

    NodeMatchResult match(EtcdMember member, List<Peer> peers, List<InetAddress> clientIps) {
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
        Matcher prefixed = ETCD_PREFIXED_NAME.matcher(name);
        if (prefixed.matches()) {
          String rest = prefixed.group(1);
          NodeInfo node = byName.containsKey(rest) ? byName.get(rest)
              : PeerAddress.parseLiteral(rest).map(this::byAddress).orElse(null);
          if (node != null) {
            return new NodeMatchResult(node, NodeMatch.ETCD_PREFIXED_NAME);
          }
        }
      }
      for (Peer peer : peers) {
        NodeInfo node = peer.ip() == null ? null : byAddress(peer.ip());
        if (node != null) {
          return new NodeMatchResult(node, NodeMatch.PEER_ADDRESS);
        }
      }
      for (InetAddress ip : clientIps) {
        NodeInfo node = byAddress(ip);
        if (node != null) {
          return new NodeMatchResult(node, NodeMatch.CLIENT_ADDRESS);
        }
      }
      return null;
    }

    private NodeInfo byAddress(InetAddress ip) {
      return byAddress.get(PeerAddress.toText(ip));
    }
  }
}
