package io.etcdguard.classify;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the classifier looks at, gathered by the edges.
 *
 * @param nodes the Nodes the policy selects
 * @param hostnames DNS outcomes for every hostname that appears in a peer or client URL
 * @param health what the members said about themselves; {@link MembershipHealth#unknown()} when not asked
 * @param reports the node agents' host reports, parsed at the edge; {@link HostReports#NONE} when there are none
 */
public record ClusterView(List<EtcdMember> members, List<NodeInfo> nodes, Map<String, HostResolution> hostnames,
    MembershipHealth health, HostReports reports) {
  public ClusterView {
    members = List.copyOf(members);
    nodes = List.copyOf(nodes);
    hostnames = Map.copyOf(hostnames);
    health = Objects.requireNonNullElse(health, MembershipHealth.unknown());
    reports = Objects.requireNonNullElse(reports, HostReports.NONE);
  }

  public ClusterView(List<EtcdMember> members, List<NodeInfo> nodes, Map<String, HostResolution> hostnames,
      MembershipHealth health) {
    this(members, nodes, hostnames, health, HostReports.NONE);
  }

  /** The same view with the node agents' reports. */
  public ClusterView withReports(HostReports hostReports) {
    return new ClusterView(members, nodes, hostnames, health, hostReports);
  }

  /** The same view with other health (e.g. with its at-risk voters). */
  public ClusterView withHealth(MembershipHealth membershipHealth) {
    return new ClusterView(members, nodes, hostnames, membershipHealth, reports);
  }

  public ClusterView(List<EtcdMember> members, List<NodeInfo> nodes, Map<String, HostResolution> hostnames) {
    this(members, nodes, hostnames, MembershipHealth.unknown());
  }

  public ClusterView(List<EtcdMember> members, List<NodeInfo> nodes) {
    this(members, nodes, Map.of(), MembershipHealth.unknown());
  }
}
