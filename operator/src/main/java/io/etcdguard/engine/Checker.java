package io.etcdguard.engine;

import io.etcdguard.classify.ClusterView;
import io.etcdguard.classify.Classifier;
import io.etcdguard.classify.EtcdMember;
import io.etcdguard.classify.MemberVerdict;
import io.etcdguard.classify.MembershipHealth;
import io.etcdguard.classify.NodeInfo;
import io.etcdguard.classify.PolicyRules;
import io.etcdguard.dns.HostnameResolver;
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

  /** A check that also carries the members' own health (live etcd). */
  public CheckResult check(MemberListing listing, List<NodeInfo> nodes, PolicyRules rules, MembershipHealth health) {
    List<String> peerUrls = listing.members().stream().map(EtcdMember::peerUrls).flatMap(List::stream).toList();
    Set<String> hostnames = HostnameResolver.hostnamesIn(peerUrls);
    Map<String, HostResolution> resolutions = hostnames.isEmpty() ? Map.of() : resolver.resolve(hostnames);
    List<MemberVerdict> verdicts = Classifier.classify(new ClusterView(listing.members(), nodes, resolutions), rules);
    return new CheckResult(listing.clusterId(), verdicts, health);
  }

  /**
   * The verdicts of one check and the cluster they are about.
   *
   * @param health the members' own health; {@link MembershipHealth#unknown()} when not observed (file mode)
   */
  public record CheckResult(long clusterId, List<MemberVerdict> verdicts, MembershipHealth health) {
    public CheckResult {
      verdicts = List.copyOf(verdicts);
      health = health == null ? MembershipHealth.unknown() : health;
    }

    public CheckResult(long clusterId, List<MemberVerdict> verdicts) {
      this(clusterId, verdicts, MembershipHealth.unknown());
    }

    public String clusterIdHex() {
      return clusterId == 0 ? null : Long.toHexString(clusterId);
    }

    public long violations() {
      return verdicts.stream().filter(v -> !v.compliant()).count();
    }

    public boolean compliant() {
      return violations() == 0;
    }
  }
}
