package io.etcdguard.operator;

import io.etcdguard.api.v1alpha1.Conditions;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.check.CheckOutcome;
import io.etcdguard.status.EventPlanner;
import io.etcdguard.k8s.EventSink;
import io.etcdguard.status.PlannedEvent;
import io.etcdguard.metrics.PolicyMetrics;
import io.etcdguard.status.StatusComposer;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "report" step, in one place: the new status (composed by {@link StatusComposer}, pure), Events on
 * transitions (planned by {@link EventPlanner}, pure), metrics every check, a log line per change.
 */
public class PolicyReporter {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyReporter.class);

  private final EventSink events;
  private final PolicyMetrics metrics;

  public PolicyReporter(EventSink events, PolicyMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  /** Reports one reconciliation's outcome and returns the status the policy should now have. */
  public NodeAddressPolicyStatus report(NodeAddressPolicy policy, CheckOutcome outcome, Duration took, Instant now) {
    String name = policy.getMetadata().getName();
    NodeAddressPolicyStatus before = policy.getStatus();
    Long generation = policy.getMetadata().getGeneration();
    NodeAddressPolicyStatus after = StatusComposer.compose(before, generation == null ? 0 : generation, outcome, now);
    metrics.recordCheck(name, outcome.kind(), took);
    if (outcome instanceof CheckOutcome.Checked checked) {
      metrics.recordVerdicts(name, checked.result().verdicts());
      metrics.recordHealth(name, checked.result().verdicts(), checked.result().health());
      metrics.recordPostures(name, checked.result().postures());
      metrics.recordSuccess(name, now);
    }
    for (PlannedEvent event : EventPlanner.plan(before, after)) {
      events.emit(policy, event);
    }
    boolean changed = before == null || !StatusComposer.sameIgnoringTime(before, after);
    if (changed) {
      LOG.info("policy {}: Ready={} EtcdReachable={} QuorumHealthy={} Compliant={} RestartSafe={}: {}", name,
          Conditions.status(after, NodeAddressPolicyStatus.CONDITION_READY),
          Conditions.status(after, NodeAddressPolicyStatus.CONDITION_ETCD_REACHABLE),
          Conditions.status(after, NodeAddressPolicyStatus.CONDITION_QUORUM_HEALTHY),
          Conditions.status(after, NodeAddressPolicyStatus.CONDITION_COMPLIANT),
          Conditions.status(after, NodeAddressPolicyStatus.CONDITION_RESTART_SAFE),
          Conditions.message(after, outcome instanceof CheckOutcome.Checked
              ? NodeAddressPolicyStatus.CONDITION_COMPLIANT : NodeAddressPolicyStatus.CONDITION_READY));
    } else {
      LOG.debug("policy {}: unchanged ({} ms)", name, took.toMillis());
    }
    return after;
  }

  public void forget(String policy) {
    metrics.forget(policy);
  }
}
