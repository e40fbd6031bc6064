package io.etcdguard.status;

import static io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus.CONDITION_COMPLIANT;
import static io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus.CONDITION_QUORUM_HEALTHY;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.api.v1alpha1.Conditions;
import io.etcdguard.api.v1alpha1.MemberStatus;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.api.v1alpha1.QuorumStatus;
import io.etcdguard.classify.MembershipHealth;
import io.etcdguard.check.CheckOutcome;
import io.etcdguard.check.CheckResult;
import io.etcdguard.metrics.PolicyMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Membership health in the status, the Events and the metrics. */
class QuorumReportingTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final long K3S_1 = 1;
  private static final long LOSANGELES = 0x91bc3c398fb3c146L;

  private static CheckOutcome withHealth(CheckOutcome outcome, MembershipHealth health) {
    CheckResult result = ((CheckOutcome.Checked) outcome).result();
    return new CheckOutcome.Checked(new CheckResult(result.clusterId(), result.verdicts(), result.fixes(), health));
  }

  private static MembershipHealth.Member up(boolean leader) {
    return new MembershipHealth.Member(true, leader, false, null, 4L, 0L, "3.4.30");
  }

  private static MembershipHealth.Member down() {
    return new MembershipHealth.Member(false, false, false, "etcd at https://192.168.1.30:2379: timeout: no answer "
        + "within 10s (request timeout)", null, null, null);
  }

  /** Two voters: both healthy (fault tolerance 0), or one down (quorum lost). */
  static final MembershipHealth BOTH_UP =
      new MembershipHealth(Map.of(K3S_1, up(true), LOSANGELES, up(false)), 2, 2, 0);
  static final MembershipHealth ONE_DOWN =
      new MembershipHealth(Map.of(K3S_1, up(true), LOSANGELES, down()), 2, 1, -1);

  @Test
  void quorumAndMemberHealthAreInTheStatus() {
    NodeAddressPolicyStatus status = StatusComposer.compose(null, 1, withHealth(StatusAndEventsTest.HEALTHY, BOTH_UP), NOW);

    assertThat(status.getSummary().getQuorum()).isEqualTo(new QuorumStatus(2, 2, 0));
    MemberStatus leader = status.getMembers().stream().filter(m -> m.getId().equals("1")).findFirst().orElseThrow();
    assertThat(leader.getHealth().getReachable()).isTrue();
    assertThat(leader.getHealth().isLeader()).isTrue();
    assertThat(leader.getHealth().getVersion()).isEqualTo("3.4.30");
    assertThat(Conditions.status(status, CONDITION_QUORUM_HEALTHY)).isEqualTo("True");
    assertThat(Conditions.reason(status, CONDITION_QUORUM_HEALTHY)).isEqualTo(ConditionReasons.NO_FAULT_TOLERANCE);
    assertThat(Conditions.status(status, CONDITION_COMPLIANT)).isEqualTo("True");
  }

  @Test
  void quorumLostIsNeverCompliantAndRaisesOneWarning() {
    NodeAddressPolicyStatus before = StatusComposer.compose(null, 1, withHealth(StatusAndEventsTest.HEALTHY, BOTH_UP), NOW);
    NodeAddressPolicyStatus lost = StatusComposer.compose(before, 1, withHealth(StatusAndEventsTest.HEALTHY, ONE_DOWN),
        NOW.plusSeconds(30));

    assertThat(Conditions.status(lost, CONDITION_QUORUM_HEALTHY)).isEqualTo("False");
    assertThat(Conditions.reason(lost, CONDITION_QUORUM_HEALTHY)).isEqualTo(ConditionReasons.QUORUM_LOST);
    assertThat(Conditions.status(lost, CONDITION_COMPLIANT)).isEqualTo("Unknown");
    assertThat(Conditions.reason(lost, CONDITION_COMPLIANT)).isEqualTo(ConditionReasons.QUORUM_LOST);
    assertThat(lost.getSummary().getQuorum().getFaultTolerance()).isEqualTo(-1);
    assertThat(EventPlanner.plan(before, lost)).extracting(PlannedEvent::reason).containsExactly(EventReasons.QUORUM_LOST);
    // Still lost a check later: no second Warning.
    NodeAddressPolicyStatus stillLost = StatusComposer.compose(lost, 1, withHealth(StatusAndEventsTest.HEALTHY, ONE_DOWN),
        NOW.plusSeconds(60));
    assertThat(EventPlanner.plan(lost, stillLost)).isEmpty();

    NodeAddressPolicyStatus back = StatusComposer.compose(stillLost, 1, withHealth(StatusAndEventsTest.HEALTHY, BOTH_UP),
        NOW.plusSeconds(90));
    assertThat(Conditions.status(back, CONDITION_COMPLIANT)).isEqualTo("True");
    assertThat(EventPlanner.plan(stillLost, back)).extracting(PlannedEvent::reason)
        .containsExactly(EventReasons.QUORUM_RESTORED);
  }

  @Test
  void aHealthyVoterWhoseAddressExpiresIsCountedInTheStatusTheConditionAndTheMetrics() {
    MembershipHealth threeUpOneExpiring = new MembershipHealth(Map.of(K3S_1, up(true), LOSANGELES, up(false), 3L, up(false)), 3, 3, 1)
        .withAtRisk(Map.of(LOSANGELES, "losangeles-0ac72af5: peer address [fd00::aac3] is temporary (Suspected)"));
    NodeAddressPolicyStatus status = StatusComposer.compose(null, 1, withHealth(StatusAndEventsTest.HEALTHY, threeUpOneExpiring), NOW);

    assertThat(status.getSummary().getQuorum()).isEqualTo(new QuorumStatus(3, 3, 1, 1));
    assertThat(status.getSummary().getQuorum().getFaultToleranceAfterExpiry()).isZero();
    assertThat(Conditions.reason(status, CONDITION_QUORUM_HEALTHY)).isEqualTo(ConditionReasons.FAULT_TOLERANT);
    assertThat(Conditions.message(status, CONDITION_QUORUM_HEALTHY)).isEqualTo("Quorum holds: 3 of 3 voters healthy; 1 more may"
        + " fail; but 1 healthy voter(s) are expected to fail (losangeles-0ac72af5: peer address [fd00::aac3] is temporary"
        + " (Suspected)): after that no further failure is tolerated");

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PolicyMetrics metrics = new PolicyMetrics(registry);
    metrics.recordHealth("k3s", ((CheckOutcome.Checked) StatusAndEventsTest.HEALTHY).result().verdicts(), threeUpOneExpiring);
    assertThat(registry.scrape()).contains("etcdguard_quorum_fault_tolerance{policy=\"k3s\"} 1")
        .contains("etcdguard_quorum_at_risk_voters{policy=\"k3s\"} 1")
        .contains("etcdguard_quorum_fault_tolerance_after_expiry{policy=\"k3s\"} 0");
  }

  @Test
  void withoutVotersAtRiskTheConditionMessageIsUnchangedAndTheMetricsSayZero() {
    NodeAddressPolicyStatus status = StatusComposer.compose(null, 1, withHealth(StatusAndEventsTest.HEALTHY, BOTH_UP), NOW);
    assertThat(Conditions.message(status, CONDITION_QUORUM_HEALTHY)).doesNotContain("expected to fail");
    assertThat(status.getSummary().getQuorum().getAtRiskVoters()).isZero();
    assertThat(status.getSummary().getQuorum().getFaultToleranceAfterExpiry()).isZero();
  }

  @Test
  void unobservedHealthLeavesQuorumOutAndTheConditionUnknown() {
    NodeAddressPolicyStatus status = StatusComposer.compose(null, 1, StatusAndEventsTest.HEALTHY, NOW);

    assertThat(status.getSummary().getQuorum()).isNull();
    assertThat(status.getMembers()).allSatisfy(m -> assertThat(m.getHealth()).isNull());
    assertThat(Conditions.status(status, CONDITION_QUORUM_HEALTHY)).isEqualTo("Unknown");
  }

  @Test
  void healthMetricsFollowTheLastCheckAndEtcdUpIsAbsentForAPolicyThatNeverReachedEtcd() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PolicyMetrics metrics = new PolicyMetrics(registry);
    CheckOutcome oneDown = withHealth(StatusAndEventsTest.HEALTHY, ONE_DOWN);
    metrics.recordCheck("k3s", oneDown.kind(), Duration.ofMillis(5));
    metrics.recordVerdicts("k3s", ((CheckOutcome.Checked) oneDown).result().verdicts());
    metrics.recordHealth("k3s", ((CheckOutcome.Checked) oneDown).result().verdicts(), ONE_DOWN);

    assertThat(registry.scrape())
        .contains("etcdguard_member_up{member=\"k3s-1-b2495bc5\",member_id=\"1\",policy=\"k3s\"} 1")
        .contains("etcdguard_member_up{member=\"losangeles-0ac72af5\",member_id=\"91bc3c398fb3c146\",policy=\"k3s\"} 0")
        .contains("etcdguard_member_is_leader{member=\"k3s-1-b2495bc5\",member_id=\"1\",policy=\"k3s\"} 1")
        .contains("etcdguard_member_is_leader{member=\"losangeles-0ac72af5\",member_id=\"91bc3c398fb3c146\",policy=\"k3s\"} 0")
        .contains("etcdguard_quorum_fault_tolerance{policy=\"k3s\"} -1")
        .contains("etcdguard_quorum_voters{policy=\"k3s\"} 2")
        .contains("etcdguard_quorum_healthy_voters{policy=\"k3s\"} 1");

    // etcd stops answering: what was known about its members is no longer shown.
    metrics.recordCheck("k3s", CheckOutcome.Kind.ETCD_ERROR, Duration.ofMillis(5));
    assertThat(registry.scrape()).doesNotContain("etcdguard_member_up{").doesNotContain("etcdguard_quorum_")
        .contains("etcdguard_etcd_up{policy=\"k3s\"} 0");

    metrics.recordCheck("invalid", CheckOutcome.Kind.INVALID_POLICY, Duration.ofMillis(1));
    assertThat(registry.scrape()).doesNotContain("etcdguard_etcd_up{policy=\"invalid\"}")
        .contains("etcdguard_checks_total{outcome=\"invalid_policy\",policy=\"invalid\"} 1");
  }
}
