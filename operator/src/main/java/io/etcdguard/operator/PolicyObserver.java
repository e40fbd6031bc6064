package io.etcdguard.operator;

import io.etcdguard.classify.NodeInfo;
import io.etcdguard.etcd.EtcdAccessException;
import io.etcdguard.etcd.EtcdClientConfig;
import io.etcdguard.etcd.EtcdMemberSource;
import io.etcdguard.classify.MembershipHealth;
import io.etcdguard.etcd.EtcdTlsMaterial;
import io.etcdguard.etcd.MemberListing;
import io.etcdguard.nodes.NodeStore;
import io.etcdguard.policy.ValidatedPolicy;
import java.time.Duration;
import java.util.List;

/**
 * The "observe" step: the member list and the members' own health from etcd (through the pool), and the selected
 * Nodes from the cache.
 */
public class PolicyObserver {
  /** A request may take the dial timeout plus this much, so a slow etcd cannot hold a reconciler thread for long. */
  static final Duration REQUEST_ALLOWANCE = Duration.ofSeconds(5);

  private final EtcdClientPool pool;
  private final TlsMaterialLoader tlsLoader;
  private final NodeStore nodes;

  public PolicyObserver(EtcdClientPool pool, TlsMaterialLoader tlsLoader, NodeStore nodes) {
    this.pool = pool;
    this.tlsLoader = tlsLoader;
    this.nodes = nodes;
  }

  /** What was seen for one policy. */
  public record Observation(MemberListing members, MembershipHealth health, List<NodeInfo> nodes) {}

  /**
   * @throws IllegalArgumentException when the TLS material is unusable (names the Secret/file and key)
   * @throws EtcdAccessException when etcd cannot be reached (names the endpoints and the cause)
   */
  public Observation observe(String policy, ValidatedPolicy validated) throws EtcdAccessException {
    EtcdTlsMaterial tls = validated.tls() == null ? null : tlsLoader.load(validated.tls());
    EtcdClientConfig config = new EtcdClientConfig(validated.endpoints(), validated.dialTimeout(),
        validated.dialTimeout().plus(REQUEST_ALLOWANCE), tls);
    EtcdMemberSource source = pool.acquire(policy, config);
    MemberListing members = source.listMembers();
    // MemberList is answered from a member's local copy, even without quorum: ask each member itself.
    MembershipHealth health = source.membershipHealth(members);
    return new Observation(members, health, nodes.select(validated.nodeSelector()));
  }
}
