package io.etcdguard.policy;

import io.etcdguard.api.v1alpha1.Durations;
import io.etcdguard.api.v1alpha1.EtcdConnection;
import io.etcdguard.api.v1alpha1.NodeAddressPolicySpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.time.Duration;

/**
 * Every default and bound of the engine, the operator and the CLI. The CRD's schema defaults (check
 * interval, dial timeout, the node-role label) are declared on the API types, which the CRD is generated
 * from; this class reads them from there.
 */
public final class Defaults {
  /** How often a policy is checked when its spec does not say (the CRD's default). */
  public static final Duration CHECK_INTERVAL = Durations.parse("checkInterval", NodeAddressPolicySpec.DEFAULT_CHECK_INTERVAL);
  /** The shortest checkInterval a spec may ask for (the CRD's CEL rule says the same). */
  public static final Duration MIN_CHECK_INTERVAL = Duration.ofSeconds(5);
  /** How soon an invalid policy is looked at again: its spec or Secret may be fixed without a spec change. */
  public static final Duration INTERVAL_WHEN_INVALID = Duration.ofSeconds(30);

  /** How long to wait for a connection to one etcd endpoint (the CRD's default). */
  public static final Duration DIAL_TIMEOUT = Durations.parse("dialTimeout", EtcdConnection.DEFAULT_DIAL_TIMEOUT);
  /** The longest dialTimeout a spec may ask for (the CRD's CEL rule says the same). */
  public static final Duration MAX_DIAL_TIMEOUT = Duration.ofSeconds(60);
  /** A request may take the dial timeout plus this much, so a slow etcd cannot hold a thread for long. */
  public static final Duration REQUEST_ALLOWANCE = Duration.ofSeconds(5);

  /** How long one batch of peer-URL hostname lookups may take. */
  public static final Duration DNS_TIMEOUT = Duration.ofSeconds(2);

  private Defaults() {}

  /** The whole-request timeout for a dial timeout. */
  public static Duration requestTimeout(Duration dialTimeout) {
    return dialTimeout.plus(REQUEST_ALLOWANCE);
  }

  /** The Nodes a policy without a nodeSelector selects: node-role.kubernetes.io/etcd=true (K3s, RKE2). */
  public static LabelSelector nodeSelector() {
    return new LabelSelectorBuilder().addToMatchLabels(NodeAddressPolicySpec.DEFAULT_NODE_SELECTOR_LABEL, "true").build();
  }
}
