package io.etcdguard.operator;

import io.etcdguard.api.v1alpha1.Conditions;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.report.CheckOutcome;
import io.etcdguard.report.EventPlanner;
import io.etcdguard.report.EventSink;
import io.etcdguard.report.PlannedEvent;
import io.etcdguard.report.PolicyMetrics;
import io.etcdguard.report.StatusComposer;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The "report" step's I/O: Events on transitions, metrics every check, a log line per change. */
public class PolicyReporter {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyReporter.class);

  private final EventSink events;
  private final PolicyMetrics metrics;

  public PolicyReporter(EventSink events, PolicyMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  public void report(NodeAddressPolicy policy, NodeAddressPolicyStatus before, NodeAddressPolicyStatus after,
      CheckOutcome outcome, Duration took, Instant now) {
    String name = policy.getMetadata().getName();
    metrics.recordCheck(name, outcome.kind(), took);
    if (outcome instanceof CheckOutcome.Checked checked) {
      metrics.recordVerdicts(name, checked.result().verdicts());
      metrics.recordHealth(name, checked.result().verdicts(), checked.result().health());
      metrics.recordSuccess(name, now);
    }
    for (PlannedEvent event : EventPlanner.plan(before, after)) {
      events.emit(policy, event);
    }
    boolean changed = before == null || !StatusComposer.sameIgnoringTime(before, after);
    if (changed) {
      LOG.info("policy {}: Ready={} EtcdReachable={} QuorumHealthy={} Compliant={}: {}", name,
          Conditions.status(after, NodeAddressPolicyStatus.CONDITION_READY),
          Conditions.status(after, NodeAddressPolicyStatus.CONDITION_ETCD_REACHABLE),
          Conditions.status(after, NodeAddressPolicyStatus.CONDITION_QUORUM_HEALTHY),
          Conditions.status(after, NodeAddressPolicyStatus.CONDITION_COMPLIANT),
          Conditions.message(after, outcome instanceof CheckOutcome.Checked
              ? NodeAddressPolicyStatus.CONDITION_COMPLIANT : NodeAddressPolicyStatus.CONDITION_READY));
    } else {
      LOG.debug("policy {}: unchanged ({} ms)", name, took.toMillis());
    }
  }

  public void forget(String policy) {
    metrics.forget(policy);
  }
}
