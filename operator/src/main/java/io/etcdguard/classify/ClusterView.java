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
 */
public record ClusterView(List<EtcdMember> members, List<NodeInfo> nodes, Map<String, HostResolution> hostnames,
    MembershipHealth health) {
  public ClusterView {
    members = List.copyOf(members);
    nodes = List.copyOf(nodes);
    hostnames = Map.copyOf(hostnames);
    health = Objects.requireNonNullElse(health, MembershipHealth.unknown());
  }

  public ClusterView(List<EtcdMember> members, List<NodeInfo> nodes, Map<String, HostResolution> hostnames) {
    this(members, nodes, hostnames, MembershipHealth.unknown());
  }

  public ClusterView(List<EtcdMember> members, List<NodeInfo> nodes) {
    this(members, nodes, Map.of(), MembershipHealth.unknown());
  }
}
