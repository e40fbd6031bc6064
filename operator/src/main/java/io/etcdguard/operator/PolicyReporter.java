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
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "report" step, in one place and in this order: compose the new status ({@link StatusComposer}, pure);
 * the reconciler persists it; then Events on transitions ({@link EventPlanner}, pure), metrics every check,
 * a log line per change.
 */
public class PolicyReporter {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyReporter.class);

  private final EventSink events;
  private final PolicyMetrics metrics;

  public PolicyReporter(EventSink events, PolicyMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  /** The status the policy should now have (pure: nothing is sent). */
  public NodeAddressPolicyStatus compose(NodeAddressPolicy policy, CheckOutcome outcome, Instant now) {
    Long generation = policy.getMetadata().getGeneration();
    return StatusComposer.compose(policy.getStatus(), generation == null ? 0 : generation, outcome, now);
  }

  /**
   * Reports a reconciliation whose status is persisted: metrics, then Events planned from the previous status to
   * this one (and, on a heartbeat refresh, the standing Warnings again), then a log line per change.
   * Called only after the write, so a failed write sends nothing and the retry plans from the status that
   * is really stored.
   */
  public void published(NodeAddressPolicy policy, NodeAddressPolicyStatus before, NodeAddressPolicyStatus after,
      CheckOutcome outcome, Duration took, Instant now) {
    String name = policy.getMetadata().getName();
    // The metrics first: they show the stored status, and an Event that is slow to send (Events are the API
    // server's least urgent writes) must not hold back the alerts that read them.
    metrics.recordCheck(name, outcome.kind(), took);
    if (outcome instanceof CheckOutcome.Checked checked) {
      metrics.recordVerdicts(name, checked.result().verdicts());
      metrics.recordHealth(name, checked.result().verdicts(), checked.result().health());
      metrics.recordPostures(name, checked.result().postures());
      metrics.recordSuccess(name, now);
    }
    for (PlannedEvent event : eventsFor(before, after)) {
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
  }

  /**
   * Transitions from the stored status; on a heartbeat refresh (nothing changed but lastCheckTime, see
   * {@link StatusComposer#HEARTBEAT}) the standing Warnings, which bump the same Events' count.
   */
  static List<PlannedEvent> eventsFor(NodeAddressPolicyStatus before, NodeAddressPolicyStatus after) {
    boolean heartbeat = before != null && StatusComposer.sameIgnoringTime(before, after)
        && !Objects.equals(before.getLastCheckTime(), after.getLastCheckTime());
    return heartbeat ? EventPlanner.standing(after) : EventPlanner.plan(before, after);
  }

  public void forget(String policy) {
    metrics.forget(policy);
  }
}
