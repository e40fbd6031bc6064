package io.etcdguard.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.check.CheckOutcome;
import io.etcdguard.k8s.EventSink;
import io.etcdguard.metrics.PolicyMetrics;
import io.etcdguard.status.PlannedEvent;
import io.etcdguard.testkit.Policies;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyReporterTest {
  static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  /** For each Event sent: the policy's etcd_error checks the metrics counted at that moment. */
  final List<Double> checksSeenWhenSent = new ArrayList<>();
  final List<String> reasonsSent = new ArrayList<>();

  final EventSink sink = new EventSink() {
    @Override
    public void emit(NodeAddressPolicy policy, PlannedEvent event) {
      Counter counter = registry.find(PolicyMetrics.CHECKS).tags("policy", "p", "outcome", CheckOutcome.Kind.ETCD_ERROR.label())
          .counter();
      checksSeenWhenSent.add(counter == null ? 0.0 : counter.count());
      reasonsSent.add(event.reason());
    }
  };

  @Test
  void theMetricsShowACheckBeforeItsEventsAreSent() {
    PolicyReporter reporter = new PolicyReporter(sink, new PolicyMetrics(registry));
    NodeAddressPolicy policy = Policies.forEndpoints("p", List.of("https://127.0.0.1:2379"), "5s");
    CheckOutcome outcome = new CheckOutcome.EtcdUnreachable("no answer from https://127.0.0.1:2379");
    NodeAddressPolicyStatus after = reporter.compose(policy, outcome, NOW);

    reporter.published(policy, null, after, outcome, Duration.ofMillis(12), NOW);

    assertThat(reasonsSent).as("the Events planned for a first check that found etcd unreachable").isNotEmpty();
    assertThat(checksSeenWhenSent).as("etcdguard_checks_total when each Event was sent: already counted, so a slow"
        + " Event never holds back the alerts").containsOnly(1.0);
  }
}
