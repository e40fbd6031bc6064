package io.etcdguard.operator;

import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;

/** Persists a policy's status before anything is reported from it. */
@FunctionalInterface
public interface StatusWriter {
  /**
   * Writes the status, or throws (the reconciliation then fails, JOSDK retries it, and nothing planned
   * from this status has been sent).
   */
  void persist(NodeAddressPolicy policy, NodeAddressPolicyStatus status, Context<NodeAddressPolicy> context);

  /**
   * Replaces the status subresource with the resourceVersion the reconciliation read (optimistic locking: on
   * 409 JOSDK waits for the newer version in its cache, applies the status to it and writes again, up to 10
   * times) and puts the result in JOSDK's cache, so a reconciliation triggered meanwhile (a Node change)
   * starts from this status. A replace, not a JSON merge patch: the whole status is ours, and fabric8's mock
   * API server merges lists in a merge patch where the real one replaces them.
   */
  static StatusWriter cachingUpdate() {
    return (policy, status, context) -> PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(policy, context, p -> {
      p.setStatus(status);
      return p;
    });
  }
}
