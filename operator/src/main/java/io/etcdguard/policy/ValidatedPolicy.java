package io.etcdguard.policy;

import io.etcdguard.api.v1alpha1.EtcdTls;
import io.etcdguard.classify.PolicyRules;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A NodeAddressPolicy spec that passed validation: durations parsed, CIDRs parsed, endpoints checked.
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
    EtcdTls tls) {}
