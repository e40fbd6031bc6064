package io.etcdguard.check;

import io.etcdguard.classify.HostReports;

import io.etcdguard.classify.ClusterView;
import io.etcdguard.classify.MembershipHealth;
import io.etcdguard.classify.Classifier;
import io.etcdguard.classify.EtcdMember;
import io.etcdguard.classify.MemberVerdict;
import io.etcdguard.classify.MembershipHealth;
import io.etcdguard.classify.NodeInfo;
import io.etcdguard.classify.PolicyRules;
import io.etcdguard.etcd.MemberListing;
import io.etcdguard.classify.HostResolution;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One check, shared by the audit CLI and the operator: resolve the hostnames that peer URLs name
 * (bounded), then classify. Observation (etcd, Nodes) and reporting stay with the callers.
 */
public final class Checker {
  private final HostnameResolver resolver;

  public Checker(HostnameResolver resolver) {
    this.resolver = resolver;
  }

  public CheckResult check(MemberListing listing, List<NodeInfo> nodes, PolicyRules rules) {
    return check(listing, nodes, rules, MembershipHealth.unknown());
  }

  /** A check with what the members said about themselves (leader, reachable, quorum), when that was asked. */
  public CheckResult check(MemberListing listing, List<NodeInfo> nodes, PolicyRules rules, MembershipHealth health) {
    return check(listing, nodes, rules, health, HostReports.NONE);
  }

  /** A check with the node agents' reports as well (Confirmed temporary addresses, the restart posture). */
  public CheckResult check(MemberListing listing, List<NodeInfo> nodes, PolicyRules rules, MembershipHealth health, HostReports reports) {
    List<String> peerUrls = listing.members().stream().map(EtcdMember::peerUrls).flatMap(List::stream).toList();
    Set<String> hostnames = HostnameResolver.hostnamesIn(peerUrls);
    Map<String, HostResolution> resolutions = hostnames.isEmpty() ? Map.of() : resolver.resolve(hostnames);
    return CheckResult.of(listing.clusterId(), new ClusterView(listing.members(), nodes, resolutions, health, reports), rules);
  }
}
