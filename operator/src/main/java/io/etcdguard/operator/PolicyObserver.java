package io.etcdguard.operator;

import io.etcdguard.classify.HostReports;
import io.etcdguard.k8s.ReportStore;
import java.time.Clock;

import io.etcdguard.etcd.EtcdClientPool;
import io.etcdguard.k8s.TlsMaterialLoader;
import io.etcdguard.classify.NodeInfo;
import io.etcdguard.etcd.EtcdAccessException;
import io.etcdguard.etcd.EtcdMemberSource;
import io.etcdguard.classify.MembershipHealth;
import io.etcdguard.etcd.EtcdTlsMaterial;
import io.etcdguard.etcd.MemberListing;
import io.etcdguard.etcd.TlsMaterialException;
import io.etcdguard.k8s.NodeStore;
import io.etcdguard.policy.ValidatedPolicy;
import io.etcdguard.metrics.PolicyMetrics;
import java.util.List;

/**
 * The "observe" step: the member list and the members' own health from etcd (through the pool), and the selected
 * Nodes from the cache.
 */
public class PolicyObserver {
  private final EtcdClientPool pool;
  private final TlsMaterialLoader tlsLoader;
  private final NodeStore nodes;
  private final PolicyMetrics metrics;
  private final ReportStore reports;
  private final Clock clock;

  public PolicyObserver(EtcdClientPool pool, TlsMaterialLoader tlsLoader, NodeStore nodes, PolicyMetrics metrics) {
    this(pool, tlsLoader, nodes, new ReportStore(), Clock.systemUTC(), metrics);
  }

  public PolicyObserver(EtcdClientPool pool, TlsMaterialLoader tlsLoader, NodeStore nodes, ReportStore reports, Clock clock,
      PolicyMetrics metrics) {
    this.pool = pool;
    this.tlsLoader = tlsLoader;
    this.nodes = nodes;
    this.reports = reports;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** What was seen for one policy; {@code reports}: the node agents' reports from the cache. */
  public record Observation(MemberListing members, MembershipHealth health, List<NodeInfo> nodes, HostReports reports) {}

  /**
   * @throws TlsMaterialException when the TLS material is unusable (names the Secret/file and key)
   * @throws EtcdAccessException when etcd cannot be reached (names the endpoints and the cause)
   * @throws io.etcdguard.k8s.NodesUnavailableException when the selected Nodes could not be listed (yet)
   */
  public Observation observe(String policy, ValidatedPolicy validated) throws EtcdAccessException {
    EtcdTlsMaterial tls;
    try {
      tls = validated.tls() == null ? null : tlsLoader.load(validated.tls());
    } catch (TlsMaterialException unusable) {
      metrics.recordClientCertificateExpiry(policy, null);
      throw unusable;
    }
    // Before etcd is asked: an expired certificate is exactly when etcd stops answering.
    metrics.recordClientCertificateExpiry(policy, tls == null ? null : tls.clientCertificateNotAfter());
    nodes.watch(policy, validated.nodeSelector()); // the first list of a new selector overlaps the etcd round trip
    EtcdMemberSource source = pool.acquire(policy, validated.etcdClientConfig(tls));
    MemberListing members = source.listMembers();
    // MemberList is answered from a member's local copy, even without quorum: ask each member itself.
    MembershipHealth health = source.membershipHealth(members);
    return new Observation(members, health, nodes.select(policy, validated.nodeSelector()), reports.reports(clock.instant()));
  }
}
