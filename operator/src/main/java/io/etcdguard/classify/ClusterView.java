package io.etcdguard.classify;

import java.util.List;
import java.util.Map;

/**
 * Everything the classifier looks at, gathered by the edges.
 *
 * @param nodes the Nodes the policy selects
 * @param hostnames DNS outcomes for every hostname that appears in a peer URL
 */
public record ClusterView(List<EtcdMember> members, List<NodeInfo> nodes, Map<String, HostResolution> hostnames) {
  public ClusterView {
    members = List.copyOf(members);
    nodes = List.copyOf(nodes);
    hostnames = Map.copyOf(hostnames);
  }

  public ClusterView(List<EtcdMember> members, List<NodeInfo> nodes) {
    this(members, nodes, Map.of());
  }
}
