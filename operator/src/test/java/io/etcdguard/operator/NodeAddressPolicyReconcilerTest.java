package io.etcdguard.operator;

import io.etcdguard.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdguard.api.v1alpha1.Conditions;
import io.etcdguard.api.v1alpha1.EtcdTls;
import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.check.Checker;
import io.etcdguard.check.HostnameResolver;
import io.etcdguard.classify.EtcdMember;
import io.etcdguard.classify.MembershipHealth;
import io.etcdguard.classify.NodeInfo;
import io.etcdguard.etcd.EtcdAccessException;
import io.etcdguard.k8s.NodesUnavailableException;
import io.etcdguard.etcd.EtcdClientPool;
import io.etcdguard.etcd.MemberListing;
import io.etcdguard.etcd.TlsMaterialException;
import io.etcdguard.k8s.EventSink;
import io.etcdguard.metrics.PolicyMetrics;
import io.etcdguard.policy.Defaults;
import io.etcdguard.policy.ValidatedPolicy;
import io.etcdguard.status.ConditionReasons;
import io.etcdguard.status.PlannedEvent;
import io.etcdguard.testkit.Policies;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's branches, one at a time, with the observe step faked (no etcd, no API server): each
 * failure kind lands in its Condition, a check lands in the status, and an unchanged status is not patched.
 * The end-to-end test runs the same reconciler against real etcd and the mock API server.
 */
class NodeAddressPolicyReconcilerTest {
  static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  static final String TEMPORARY_IPV6 = "fd00:c0ff:ee:0:da69:8213:dd0b:aac3";
  static final List<NodeInfo> NODES = List.of(
      new NodeInfo("losangeles", Map.of("node-role.kubernetes.io/etcd", "true"),
          Map.of("etcd.k3s.cattle.io/node-name", "losangeles-0ac72af5"), List.of("192.168.1.30"), List.of()));

  /** What the faked observe step answers; null means it must not be called. */
  Observe observe;
  int observations;
  final List<PlannedEvent> events = new ArrayList<>();
  /** What the fake status writer stored, in order, and the order of the persist and report steps. */
  final List<NodeAddressPolicyStatus> persisted = new ArrayList<>();
  final List<String> order = new ArrayList<>();
  int failWrites;
  final MutableClock clock = new MutableClock(NOW);
  final HostnameResolver resolver = new HostnameResolver(Defaults.DNS_TIMEOUT);
  final NodeAddressPolicyReconciler reconciler = new NodeAddressPolicyReconciler(
      new PolicyObserver(null, null, null, null) {
        @Override
        public Observation observe(String policy, ValidatedPolicy validated) throws EtcdAccessException {
          observations++;
          assertThat(observe).as("the observe step is not reached for this policy").isNotNull();
          return observe.answer(validated);
        }
      },
      new Checker(resolver),
      new PolicyReporter(recordingSink(), new PolicyMetrics(new SimpleMeterRegistry())),
      new EtcdClientPool(config -> {
        throw new AssertionError("the faked observe step opens no etcd client");
      }),
      null,
      clock,
      (policy, status, context) -> {
        order.add("persist");
        if (failWrites > 0) {
          failWrites--;
          throw new KubernetesClientException("the server rejected our request (500)", 500, null);
        }
        persisted.add(status);
        policy.setStatus(status);
      },
      new CheckProgress(clock));

  interface Observe {
    PolicyObserver.Observation answer(ValidatedPolicy validated) throws EtcdAccessException;
  }

  @AfterEach
  void closeResolver() {
    resolver.close();
  }

  @Test
  void anEndpointPortOutOfRangeIsAnInvalidSpecNamingTheField() {
    NodeAddressPolicy policy = Policies.forEndpoints("bad-port", List.of("http://127.0.0.1:99999"), "30s");

    UpdateControl<NodeAddressPolicy> control = reconciler.reconcile(policy, context());

    NodeAddressPolicyStatus status = patchedStatus(control);
    assertThat(Conditions.status(status, NodeAddressPolicyStatus.CONDITION_READY)).isEqualTo("False");
    assertThat(Conditions.reason(status, NodeAddressPolicyStatus.CONDITION_READY)).isEqualTo(ConditionReasons.INVALID_SPEC);
    assertThat(Conditions.message(status, NodeAddressPolicyStatus.CONDITION_READY))
        .contains("spec.etcd.endpoints[0]", "99999", "1-65535");
    assertThat(observations).isZero();
    assertThat(control.getScheduleDelay()).as("the next slot at the invalid-spec interval")
        .contains(nextSlot(Defaults.INTERVAL_WHEN_INVALID, clock.instant(), "bad-port"));
  }

  @Test
  void unusableTlsMaterialIsReportedAsSuch() {
    NodeAddressPolicy policy = Policies.forEndpoints("tls", List.of("https://127.0.0.1:2379"), "30s");
    EtcdTls tls = new EtcdTls();
    tls.setCaFile("/nonexistent/ca.crt");
    policy.getSpec().getEtcd().setTls(tls);
    observe = validated -> {
      throw new TlsMaterialException("etcd TLS CA file /nonexistent/ca.crt: does not exist");
    };

    NodeAddressPolicyStatus status = patchedStatus(reconciler.reconcile(policy, context()));

    assertThat(Conditions.reason(status, NodeAddressPolicyStatus.CONDITION_READY)).isEqualTo(ConditionReasons.TLS_MATERIAL_INVALID);
    assertThat(Conditions.message(status, NodeAddressPolicyStatus.CONDITION_READY)).contains("/nonexistent/ca.crt");
  }

  @Test
  void anUnreachableEtcdLeavesComplianceUnknown() {
    NodeAddressPolicy policy = Policies.forEndpoints("down", List.of("http://127.0.0.1:9"), "45s");
    observe = validated -> {
      throw new EtcdAccessException(EtcdAccessException.Kind.CONNECTION_REFUSED, validated.endpoints(), "connection refused", null);
    };

    UpdateControl<NodeAddressPolicy> control = reconciler.reconcile(policy, context());

    NodeAddressPolicyStatus status = patchedStatus(control);
    assertThat(Conditions.status(status, NodeAddressPolicyStatus.CONDITION_ETCD_REACHABLE)).isEqualTo("False");
    assertThat(Conditions.reason(status, NodeAddressPolicyStatus.CONDITION_ETCD_REACHABLE)).isEqualTo(ConditionReasons.ETCD_UNREACHABLE);
    assertThat(Conditions.status(status, NodeAddressPolicyStatus.CONDITION_COMPLIANT)).isEqualTo("Unknown");
    assertThat(control.getScheduleDelay()).as("the next slot at the policy's own interval")
        .contains(nextSlot(Duration.ofSeconds(45), clock.instant(), "down"));
  }

  @Test
  void aCompliantClusterIsCompliantAndAnUnchangedStatusIsNotPatched() {
    NodeAddressPolicy policy = Policies.forEndpoints("k3s", List.of("http://127.0.0.1:2379"), "30s");
    observe = validated -> observation("https://192.168.1.30:2380");

    NodeAddressPolicyStatus status = patchedStatus(reconciler.reconcile(policy, context()));
    assertThat(Conditions.status(status, NodeAddressPolicyStatus.CONDITION_COMPLIANT)).isEqualTo("True");
    assertThat(Conditions.status(status, NodeAddressPolicyStatus.CONDITION_READY)).isEqualTo("True");

    UpdateControl<NodeAddressPolicy> again = reconciler.reconcile(policy, context());
    assertThat(again.isNoUpdate()).isTrue();
    assertThat(persisted).as("the same check at the same time writes nothing").hasSize(1);
    assertThat(again.getScheduleDelay()).contains(nextSlot(Duration.ofSeconds(30), clock.instant(), "k3s"));
    assertThat(observations).isEqualTo(2);
  }

  @Test
  void theNextCheckFallsOnThePolicysSlotCountedFromWhenThisOneBegan() {
    NodeAddressPolicy policy = Policies.forEndpoints("k3s", List.of("http://127.0.0.1:2379"), "5s");
    Instant began = clock.instant();
    observe = validated -> {
      clock.advance(Duration.ofMillis(600)); // the members' answers take their time
      return observation("https://192.168.1.30:2380");
    };

    UpdateControl<NodeAddressPolicy> control = reconciler.reconcile(policy, context());

    assertThat(control.getScheduleDelay()).as("the slot after a check that began at %s and ended 0.6 s later", began)
        .contains(CheckSchedule.nextCheckIn(Duration.ofSeconds(5), began, began.plusMillis(600), "k3s").toMillis());
  }

  @Test
  void aCheckLongerThanItsIntervalIsFollowedByTheNextSlot() {
    NodeAddressPolicy policy = Policies.forEndpoints("slow", List.of("http://127.0.0.1:2379"), "5s");
    observe = validated -> {
      clock.advance(Duration.ofSeconds(8)); // a hung member, answered at its deadline
      throw new EtcdAccessException(EtcdAccessException.Kind.TIMEOUT, validated.endpoints(), "deadline exceeded", null);
    };

    UpdateControl<NodeAddressPolicy> control = reconciler.reconcile(policy, context());

    assertThat(control.getScheduleDelay()).as("never negative, never a whole interval more").hasValueSatisfying(
        delay -> assertThat(delay).isBetween(0L, 4999L));
  }

  /** The delay to the policy's next slot after a check that began and ended at {@code now}. */
  private static long nextSlot(Duration interval, Instant now, String name) {
    return CheckSchedule.nextCheckIn(interval, now, now, name).toMillis();
  }

  @Test
  void aTemporaryIpv6PeerUrlIsAViolationWithAWarningEvent() {
    NodeAddressPolicy policy = Policies.forEndpoints("k3s", List.of("http://127.0.0.1:2379"), "30s");
    observe = validated -> observation("https://[" + TEMPORARY_IPV6 + "]:2380");

    NodeAddressPolicyStatus status = patchedStatus(reconciler.reconcile(policy, context()));

    assertThat(Conditions.status(status, NodeAddressPolicyStatus.CONDITION_COMPLIANT)).isEqualTo("False");
    assertThat(status.getSummary().getViolations()).isEqualTo(1);
    assertThat(events).extracting(PlannedEvent::reason).contains("TemporaryIPv6Address");
    assertThat(events).filteredOn(PlannedEvent::warning).extracting(PlannedEvent::nodeName).contains("losangeles");
  }

  @Test
  void theStatusIsPersistedBeforeAnyEventIsSent() {
    NodeAddressPolicy policy = Policies.forEndpoints("k3s", List.of("http://127.0.0.1:2379"), "30s");
    observe = validated -> observation("https://[" + TEMPORARY_IPV6 + "]:2380");

    reconciler.reconcile(policy, context());

    assertThat(order).first().isEqualTo("persist");
    assertThat(order).contains("event TemporaryIPv6Address");
  }

  @Test
  void nodesNotListedYetGiveNoVerdictAndTheRetryChecks() {
    NodeAddressPolicy policy = Policies.forEndpoints("k3s", List.of("http://127.0.0.1:2379"), "30s");
    observe = validated -> {
      throw new NodesUnavailableException("Nodes node-role.kubernetes.io/etcd=true not listed within 30 s; the check waits for them");
    };

    assertThatThrownBy(() -> reconciler.reconcile(policy, context())).isInstanceOf(NodesUnavailableException.class);
    assertThat(persisted).as("no status, so no member is called NoMatchingNode").isEmpty();
    assertThat(events).isEmpty();
    reconciler.updateErrorStatus(policy, context(), new NodesUnavailableException("Nodes node-role.kubernetes.io/etcd=true not listed"));
    assertThat(Conditions.reason(policy.getStatus(), NodeAddressPolicyStatus.CONDITION_READY)).isEqualTo(ConditionReasons.RECONCILE_ERROR);
    assertThat(Conditions.message(policy.getStatus(), NodeAddressPolicyStatus.CONDITION_READY)).contains("not listed");
    assertThat(policy.getStatus().getMembers()).isEmpty();

    observe = validated -> observation("https://192.168.1.30:2380");
    reconciler.reconcile(policy, context());
    assertThat(Conditions.status(policy.getStatus(), NodeAddressPolicyStatus.CONDITION_COMPLIANT)).isEqualTo("True");
  }

  @Test
  void aFailedStatusWriteSendsNothingAndTheRetrySendsTheWarningOnce() {
    NodeAddressPolicy policy = Policies.forEndpoints("k3s", List.of("http://127.0.0.1:2379"), "30s");
    observe = validated -> observation("https://[" + TEMPORARY_IPV6 + "]:2380");
    failWrites = 1;

    assertThatThrownBy(() -> reconciler.reconcile(policy, context())).isInstanceOf(KubernetesClientException.class);
    assertThat(events).as("no Event from a status that was not stored").isEmpty();

    var error = reconciler.updateErrorStatus(policy, context(),
        new KubernetesClientException("the server rejected our request (500)", 500, null));
    assertThat(error.getResource()).as("written by the reconciler's own status writer").isEmpty();
    NodeAddressPolicyStatus failed = persisted.get(persisted.size() - 1);
    assertThat(Conditions.status(failed, NodeAddressPolicyStatus.CONDITION_READY)).isEqualTo("False");
    assertThat(Conditions.reason(failed, NodeAddressPolicyStatus.CONDITION_READY)).isEqualTo(ConditionReasons.RECONCILE_ERROR);
    assertThat(Conditions.message(failed, NodeAddressPolicyStatus.CONDITION_READY)).contains("500", "retried");
    assertThat(events).as("a failure record sends nothing either").isEmpty();

    reconciler.reconcile(policy, context());
    reconciler.reconcile(policy, context());
    assertThat(events).filteredOn(e -> e.reason().equals("TemporaryIPv6Address")).hasSize(1);
    assertThat(Conditions.reason(policy.getStatus(), NodeAddressPolicyStatus.CONDITION_READY)).isEqualTo(ConditionReasons.CHECK_SUCCEEDED);
  }

  @Test
  void aReRunRightAfterACheckSendsNoDuplicateWarning() {
    NodeAddressPolicy policy = Policies.forEndpoints("k3s", List.of("http://127.0.0.1:2379"), "30s");
    observe = validated -> observation("https://[" + TEMPORARY_IPV6 + "]:2380");

    reconciler.reconcile(policy, context());
    clock.advance(Duration.ofSeconds(1)); // a Node change triggers the next run at once
    reconciler.reconcile(policy, context());

    assertThat(events).as("the second run starts from the persisted (cached) status")
        .filteredOn(PlannedEvent::warning).extracting(PlannedEvent::reason).containsExactly("TemporaryIPv6Address");
  }

  @Test
  void aStandingViolationIsSentAgainOnEachHeartbeatAsTheSameEvent() {
    NodeAddressPolicy policy = Policies.forEndpoints("k3s", List.of("http://127.0.0.1:2379"), "30s");
    observe = validated -> observation("https://[" + TEMPORARY_IPV6 + "]:2380");
    reconciler.reconcile(policy, context());
    events.clear();

    clock.advance(Duration.ofMinutes(4));
    reconciler.reconcile(policy, context());
    assertThat(events).as("within the heartbeat nothing is repeated").isEmpty();

    clock.advance(Duration.ofMinutes(2));
    reconciler.reconcile(policy, context());
    assertThat(events).as("the heartbeat refresh re-touches the standing Warning")
        .extracting(PlannedEvent::reason, PlannedEvent::nodeName, PlannedEvent::memberId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("TemporaryIPv6Address", "losangeles", "91bc3c398fb3c146"));
  }

  @Test
  void aSpecTheTypesCannotReadIsAnInvalidSpecNamingFieldAndValue() {
    NodeAddressPolicy policy = new io.fabric8.kubernetes.client.utils.KubernetesSerialization().unmarshal("""
        {"apiVersion":"etcdguard.io/v1alpha1","kind":"NodeAddressPolicy","metadata":{"name":"skewed"},
         "spec":{"etcd":{"endpoints":["http://127.0.0.1:2379"]},"addressFamily":"IPv5"}}""", NodeAddressPolicy.class);

    NodeAddressPolicyStatus status = patchedStatus(reconciler.reconcile(policy, context()));

    assertThat(Conditions.reason(status, NodeAddressPolicyStatus.CONDITION_READY)).isEqualTo(ConditionReasons.INVALID_SPEC);
    assertThat(Conditions.message(status, NodeAddressPolicyStatus.CONDITION_READY)).contains("spec.addressFamily", "'IPv5'");
    assertThat(observations).isZero();
  }

  private static PolicyObserver.Observation observation(String peerUrl) {
    return new PolicyObserver.Observation(new MemberListing(0xef37f5c3a3a1e0c4L, List.of(
        new EtcdMember(0x91bc3c398fb3c146L, "losangeles-0ac72af5", List.of(peerUrl), List.of("https://192.168.1.30:2379"), false))),
        MembershipHealth.unknown(), NODES, io.etcdguard.classify.HostReports.NONE);
  }

  /** The status the reconciliation persisted itself: JOSDK is asked for no further update. */
  private NodeAddressPolicyStatus patchedStatus(UpdateControl<NodeAddressPolicy> control) {
    assertThat(control.isNoUpdate()).as("the status is written (and cached) by the reconciler, not by JOSDK").isTrue();
    assertThat(persisted).as("a changed status is persisted").isNotEmpty();
    return persisted.get(persisted.size() - 1);
  }

  private EventSink recordingSink() {
    return (policy, event) -> {
      order.add("event " + event.reason());
      events.add(event);
    };
  }

  /** A JOSDK Context for a live (not deleted) policy: the reconciler asks nothing else of it. */
  @SuppressWarnings("unchecked")
  private static Context<NodeAddressPolicy> context() {
    return (Context<NodeAddressPolicy>) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "isPrimaryResourceDeleted" -> false;
          case "toString" -> "fake Context";
          default -> throw new UnsupportedOperationException("Context." + method.getName() + " in a reconciler unit test");
        });
  }
}
