package io.etcdguard.engine;

import io.etcdguard.advice.Advisor;
import io.etcdguard.advice.Fix;
import io.etcdguard.classify.ClusterView;
import io.etcdguard.classify.MembershipHealth;
import io.etcdguard.classify.Classifier;
import io.etcdguard.classify.EtcdMember;
import io.etcdguard.classify.MemberVerdict;
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

  /** A check with what the members said about themselves (leader, reachable, quorum), when that was asked. */
  public CheckResult check(MemberListing listing, List<NodeInfo> nodes, PolicyRules rules, MembershipHealth health) {
    List<String> peerUrls = listing.members().stream().map(EtcdMember::peerUrls).flatMap(List::stream).toList();
    Set<String> hostnames = HostnameResolver.hostnamesIn(peerUrls);
    Map<String, HostResolution> resolutions = hostnames.isEmpty() ? Map.of() : resolver.resolve(hostnames);
    return CheckResult.of(listing.clusterId(), new ClusterView(listing.members(), nodes, resolutions, health), rules);
  }

  /**
   * The verdicts of one check, the cluster they are about, and the fix of every non-compliant member.
   *
   * @param fixes by member ID, one per non-compliant member
   */
  public record CheckResult(long clusterId, List<MemberVerdict> verdicts, Map<Long, Fix> fixes) {
    public CheckResult {
      verdicts = List.copyOf(verdicts);
      fixes = Map.copyOf(fixes);
    }

    /** Classifies the view and advises on every non-compliant member. */
    public static CheckResult of(long clusterId, ClusterView view, PolicyRules rules) {
      List<MemberVerdict> verdicts = Classifier.classify(view, rules);
      return new CheckResult(clusterId, verdicts, Advisor.advise(view, rules, verdicts));
    }

    /** The fix of a non-compliant member, or null. */
    public Fix fixFor(MemberVerdict verdict) {
      return fixes.get(verdict.member().id());
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
