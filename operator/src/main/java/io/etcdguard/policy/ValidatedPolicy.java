package io.etcdguard.policy;

import io.etcdguard.api.v1alpha1.EtcdTls;
import io.etcdguard.classify.PolicyRules;
import io.etcdguard.etcd.EtcdClientConfig;
import io.etcdguard.etcd.EtcdTlsMaterial;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A NodeAddressPolicy spec that passed validation, built once by {@link PolicyValidator}: durations parsed,
 * CIDRs parsed, endpoints parsed and normalized (by the one endpoint rule, {@link EtcdClientConfig#parseEndpoint}).
 *
 * @param nodeSelector the selector to apply, or null to take every Node
 * @param tls the TLS settings as written (a Secret or files), or null for plain http
 */
public record ValidatedPolicy(
    PolicyRules rules,
    LabelSelector nodeSelector,
    Duration checkInterval,
    List<URI> endpoints,
    Duration dialTimeout,
    EtcdTls tls) {

  /**
   * How to reach etcd, from the validated endpoints and timeouts and the TLS material {@link #tls()} names
   * (loaded by the caller: it may be a Secret).
   */
  public EtcdClientConfig etcdClientConfig(EtcdTlsMaterial material) {
    return new EtcdClientConfig(endpoints, dialTimeout, Defaults.requestTimeout(dialTimeout), material);
  }
}
