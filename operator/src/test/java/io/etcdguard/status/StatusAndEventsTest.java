package io.etcdguard.status;

import io.etcdguard.check.CheckOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.api.v1alpha1.Conditions;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.classify.ClusterView;
import io.etcdguard.classify.EtcdMember;
import io.etcdguard.classify.NodeInfo;
import io.etcdguard.classify.PolicyRules;
import io.etcdguard.check.CheckResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Status composition and Event planning across the transitions an admin cares about. */
public class StatusAndEventsTest {
  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  static final List<NodeInfo> NODES = List.of(
      node("k3s-1", "k3s-1-b2495bc5", "192.168.1.31"), node("losangeles", "losangeles-0ac72af5", "192.168.1.30"));

  static NodeInfo node(String name, String member, String ip) {
    return new NodeInfo(name, Map.of(), Map.of("etcd.k3s.cattle.io/node-name", member), List.of(ip), List.of());
  }

  static CheckOutcome check(String losangelesPeer) {
    List<EtcdMember> members = List.of(
        new EtcdMember(1, "k3s-1-b2495bc5", List.of("https://192.168.1.31:2380"), List.of(), false),
        new EtcdMember(0x91bc3c398fb3c146L, "losangeles-0ac72af5", List.of(losangelesPeer), List.of(), false));
    return new CheckOutcome.Checked(CheckResult.of(0xef37f5c3a3a1e0c4L, new ClusterView(members, NODES), PolicyRules.defaults()));
  }

  public static final CheckOutcome HEALTHY = check("https://192.168.1.30:2380");
  public static final CheckOutcome TEMPORARY = check("https://[fd00:c0ff:ee:0:da69:8213:dd0b:aac3]:2380");

  @Test
  void incidentRaisesOneWarningWithDiagnosisEvidenceAndFixThenNothingWhileUnchanged() {
    NodeAddressPolicyStatus healthy = StatusComposer.compose(null, 1, HEALTHY, T0);
    assertThat(Conditions.status(healthy, "Compliant")).isEqualTo("True");
    assertThat(healthy.getSummary().getViolations()).isZero();

    NodeAddressPolicyStatus incident = StatusComposer.compose(healthy, 1, TEMPORARY, T0.plusSeconds(30));
    assertThat(Conditions.status(incident, "Compliant")).isEqualTo("False");
    assertThat(Conditions.message(incident, "Compliant")).contains("losangeles-0ac72af5 (TemporaryIPv6Address, AddressFamilyMismatch, NotNodeInternalIP)");
    assertThat(incident.getMembers().get(1).getPrimaryReason()).isEqualTo("TemporaryIPv6Address");
    assertThat(incident.getMembers().get(1).getMatchedBy()).isEqualTo("annotation");
    assertThat(incident.getMembers().get(1).getFix().getSteps()).isNotEmpty();
    assertThat(incident.getMembers().get(0).getFix()).as("compliant members have no fix").isNull();
    List<PlannedEvent> events = EventPlanner.plan(healthy, incident);
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo("TemporaryIPv6Address");
      assertThat(e.nodeName()).isEqualTo("losangeles");
      assertThat(e.warning()).isTrue();
      assertThat(e.message()).contains("fd00:c0ff:ee:0:da69:8213:dd0b:aac3", "Also: AddressFamilyMismatch, NotNodeInternalIP",
          "Fix: ", "node-ip 192.168.1.30", "https://192.168.1.30:2380");
      assertThat(e.message().split("Fix: ", -1)).as("the fix once").hasSize(2);
    });

    NodeAddressPolicyStatus again = StatusComposer.compose(incident, 1, TEMPORARY, T0.plusSeconds(60));
    assertThat(EventPlanner.plan(incident, again)).isEmpty();
    assertThat(again).as("unchanged within the heartbeat: identical, so no patch").isEqualTo(incident);

    NodeAddressPolicyStatus fixed = StatusComposer.compose(again, 1, HEALTHY, T0.plusSeconds(90));
    assertThat(EventPlanner.plan(again, fixed)).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo(EventReasons.MEMBER_COMPLIANT);
      assertThat(e.warning()).isFalse();
      assertThat(e.nodeName()).isEqualTo("losangeles");
    });
    assertThat(Conditions.status(fixed, "Compliant")).isEqualTo("True");
  }

  @Test
  void anotherWarningOnlyWhenThePrimaryReasonChanges() {
    NodeAddressPolicyStatus incident = StatusComposer.compose(StatusComposer.compose(null, 1, HEALTHY, T0), 1, TEMPORARY, T0.plusSeconds(30));
    // The member moves from the temporary IPv6 to loopback: a new root cause, a new Warning.
    NodeAddressPolicyStatus loopback = StatusComposer.compose(incident, 1, check("https://127.0.0.1:2380"), T0.plusSeconds(60));
    assertThat(EventPlanner.plan(incident, loopback)).extracting(PlannedEvent::reason).containsExactly("LinkLocalOrLoopback");
    // Another non-node IPv4: the primary reason changes to NotNodeInternalIP; one Warning, then nothing.
    NodeAddressPolicyStatus other = StatusComposer.compose(loopback, 1, check("https://192.168.1.99:2380"), T0.plusSeconds(90));
    assertThat(EventPlanner.plan(loopback, other)).extracting(PlannedEvent::reason).containsExactly("NotNodeInternalIP");
    NodeAddressPolicyStatus otherAgain = StatusComposer.compose(other, 1, check("https://192.168.1.98:2380"), T0.plusSeconds(120));
    assertThat(EventPlanner.plan(other, otherAgain)).as("same primary reason, other address: no new Warning").isEmpty();
  }

  @Test
  void aStatusWrittenBeforePrimaryReasonExistedDoesNotRepeatTheWarning() {
    NodeAddressPolicyStatus incident = StatusComposer.compose(null, 1, TEMPORARY, T0);
    NodeAddressPolicyStatus legacy = StatusComposer.compose(null, 1, TEMPORARY, T0);
    legacy.getMembers().forEach(m -> {
      m.setPrimaryReason(null);
      m.setFix(null);
    });
    assertThat(EventPlanner.plan(legacy, incident)).isEmpty();
  }

  @Test
  void lastTransitionTimeMovesOnlyWithTheConditionStatus() {
    NodeAddressPolicyStatus first = StatusComposer.compose(null, 1, TEMPORARY, T0);
    NodeAddressPolicyStatus later = StatusComposer.compose(first, 1, TEMPORARY, T0.plus(Duration.ofMinutes(10)));
    assertThat(Conditions.find(later, "Compliant").orElseThrow().getLastTransitionTime()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(later.getLastCheckTime()).as("heartbeat refresh after 5 minutes").isEqualTo("2026-11-25T10:10:00Z");
    NodeAddressPolicyStatus fixed = StatusComposer.compose(later, 1, HEALTHY, T0.plus(Duration.ofMinutes(11)));
    assertThat(Conditions.find(fixed, "Compliant").orElseThrow().getLastTransitionTime()).isEqualTo("2026-11-25T10:11:00Z");
  }

  @Test
  void etcdDownIsUnknownNeverStaleCompliantAndWarnsOnce() {
    NodeAddressPolicyStatus healthy = StatusComposer.compose(null, 1, HEALTHY, T0);
    CheckOutcome down = new CheckOutcome.EtcdUnreachable("etcd https://127.0.0.1:2379: connection refused");
    NodeAddressPolicyStatus unreachable = StatusComposer.compose(healthy, 1, down, T0.plusSeconds(30));
    assertThat(Conditions.status(unreachable, "EtcdReachable")).isEqualTo("False");
    assertThat(Conditions.message(unreachable, "EtcdReachable")).contains("connection refused");
    assertThat(Conditions.status(unreachable, "Compliant")).isEqualTo("Unknown");
    assertThat(Conditions.status(unreachable, "Ready")).isEqualTo("False");
    assertThat(unreachable.getMembers()).as("last known members kept").hasSize(2);
    assertThat(EventPlanner.plan(healthy, unreachable)).extracting(PlannedEvent::reason).containsExactly(EventReasons.ETCD_UNREACHABLE);
    NodeAddressPolicyStatus stillDown = StatusComposer.compose(unreachable, 1, down, T0.plusSeconds(60));
    assertThat(EventPlanner.plan(unreachable, stillDown)).isEmpty();
    NodeAddressPolicyStatus back = StatusComposer.compose(stillDown, 1, HEALTHY, T0.plusSeconds(90));
    assertThat(EventPlanner.plan(stillDown, back)).extracting(PlannedEvent::reason).containsExactly(EventReasons.ETCD_REACHABLE);
    assertThat(Conditions.status(back, "Compliant")).isEqualTo("True");
  }

  @Test
  void invalidPolicyIsReportedOnceAsPolicyInvalid() {
    CheckOutcome invalid = new CheckOutcome.Invalid(ConditionReasons.TLS_MATERIAL_INVALID, "Secret kube-system/etcd-client key tls.key: missing");
    NodeAddressPolicyStatus first = StatusComposer.compose(null, 2, invalid, T0);
    assertThat(Conditions.reason(first, "Ready")).isEqualTo(ConditionReasons.TLS_MATERIAL_INVALID);
    assertThat(Conditions.message(first, "Ready")).contains("kube-system/etcd-client", "tls.key");
    assertThat(first.getObservedGeneration()).isEqualTo(2);
    assertThat(EventPlanner.plan(null, first)).extracting(PlannedEvent::reason).containsExactly(EventReasons.POLICY_INVALID);
    assertThat(EventPlanner.plan(first, StatusComposer.compose(first, 2, invalid, T0.plusSeconds(30)))).isEmpty();
  }
}
