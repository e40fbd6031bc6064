package io.etcdguard.classify;

import io.etcdguard.classify.PeerAddress.Family;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Facts about the whole membership, computed once per check and shared by every rule.
 *
 * @param majorityFamily the family a strict majority of members advertise, or null on a tie
 * @param anchored members that advertise a routable address that is their own Node's InternalIP
 * @param byPeerEndpoint members by the peer endpoint (host and port) they advertise
 * @param health what the members said about themselves (often unknown)
 * @param reports the node agents' reports (often none)
 */
record ClusterFacts(Family majorityFamily, List<MemberFacts> anchored, Map<String, List<MemberFacts>> byPeerEndpoint,
    int memberCount, MembershipHealth health, HostReports reports) {

  static ClusterFacts of(List<MemberFacts> all, MembershipHealth health, HostReports reports) {
    Map<String, List<MemberFacts>> byEndpoint = new LinkedHashMap<>();
    for (MemberFacts m : all) {
      m.peers().stream().map(Peer::endpointKey).distinct()
          .forEach(key -> byEndpoint.computeIfAbsent(key, k -> new ArrayList<>()).add(m));
    }
    return new ClusterFacts(majorityFamily(all), all.stream().filter(MemberFacts::anchoredOnRoutableInternalIp).toList(),
        byEndpoint, all.size(), health, reports);
  }

  /**
   * A majority, not "all the others": in a two-member split each member would otherwise be the odd one out.
   */
  private static Family majorityFamily(List<MemberFacts> all) {
    Map<Family, Long> counts = all.stream().map(MemberFacts::primaryFamily).filter(Objects::nonNull)
        .collect(Collectors.groupingBy(f -> f, Collectors.counting()));
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    return counts.entrySet().stream().filter(e -> e.getValue() * 2 > total).map(Map.Entry::getKey).findFirst().orElse(null);
  }

  /** The trusted (fresh) report of the member's Node. */
  java.util.Optional<io.etcdguard.host.NodeHostReport> reportOf(MemberFacts m) {
    return m.node() == null ? java.util.Optional.empty() : reports.fresh(m.node().name());
  }

  boolean anotherMemberAnchored(MemberFacts m) {
    return anchored.stream().anyMatch(o -> o != m);
  }

  /** The other members that advertise this peer's host and port. */
  List<MemberFacts> othersSharing(MemberFacts m, Peer peer) {
    return byPeerEndpoint.getOrDefault(peer.endpointKey(), List.of()).stream().filter(o -> o != m).toList();
  }
}
