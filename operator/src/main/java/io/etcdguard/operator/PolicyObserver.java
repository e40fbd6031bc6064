package io.etcdguard.operator;

import io.etcdguard.etcd.EtcdClientPool;
import io.etcdguard.k8s.TlsMaterialLoader;
import io.etcdguard.classify.NodeInfo;
import io.etcdguard.etcd.EtcdAccessException;
import io.etcdguard.etcd.EtcdTlsMaterial;
import io.etcdguard.etcd.MemberListing;
import io.etcdguard.etcd.TlsMaterialException;
import io.etcdguard.k8s.NodeStore;
import io.etcdguard.policy.ValidatedPolicy;
import java.util.List;

/** The "observe" step: the member list from etcd (through the pool) and the selected Nodes from the cache. */
public class PolicyObserver {
  private final EtcdClientPool pool;
  private final TlsMaterialLoader tlsLoader;
  private final NodeStore nodes;

  public PolicyObserver(EtcdClientPool pool, TlsMaterialLoader tlsLoader, NodeStore nodes) {
    this.pool = pool;
    this.tlsLoader = tlsLoader;
    this.nodes = nodes;
  }

  /** What was seen for one policy. */
  public record Observation(MemberListing members, List<NodeInfo> nodes) {}

  /**
   * @throws TlsMaterialException when the TLS material is unusable (names the Secret/file and key)
   * @throws EtcdAccessException when etcd cannot be reached (names the endpoints and the cause)
   */
  public Observation observe(String policy, ValidatedPolicy validated) throws EtcdAccessException {
    EtcdTlsMaterial tls = validated.tls() == null ? null : tlsLoader.load(validated.tls());
    MemberListing members = pool.acquire(policy, validated.etcdClientConfig(tls)).listMembers();
    return new Observation(members, nodes.select(validated.nodeSelector()));
  }
}
