package io.etcdguard.k8s;

import io.etcdguard.status.PlannedEvent;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;

/** Where Events go: the API server in production, a list in tests. */
public interface EventSink {
  /** Records the event on the policy and, when it names one, on the Node. Never throws: Events are best effort. */
  void emit(NodeAddressPolicy policy, PlannedEvent event);
}
