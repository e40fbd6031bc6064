package io.etcdguard.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.status.PlannedEvent;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.testkit.Policies;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events against the CRUD mock API server: one Event per (object, reason, member, policy), a repeat bumps its
 * count and lastTimestamp, and an Event the API server dropped (its TTL passed) is created again.
 */
class KubernetesEventSinkTest {
  static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
  static final PlannedEvent TEMPORARY = new PlannedEvent("losangeles", true, "TemporaryIPv6Address",
      "member losangeles-0ac72af5 advertises a temporary IPv6 address", "91bc3c398fb3c146");

  MockApiServer api;
  NodeAddressPolicy policy = Policies.forEndpoints("k3s", List.of("http://127.0.0.1:2379"), "30s");

  @BeforeEach
  void start() throws Exception {
    api = new MockApiServer();
    api.createK3sNode("losangeles", "losangeles-0ac72af5", "192.168.1.30");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  KubernetesEventSink sinkAt(Instant now) {
    return new KubernetesEventSink(api.client(), "test", name -> api.client().nodes().withName(name).get(),
        Clock.fixed(now, ZoneOffset.UTC));
  }

  List<Event> events() {
    return api.client().v1().events().inNamespace("default").list().getItems();
  }

  @Test
  void aRepeatBumpsTheSameEventsCountAndLastTimestamp() {
    sinkAt(T0).emit(policy, TEMPORARY);
    sinkAt(T0.plus(Duration.ofMinutes(5))).emit(policy, TEMPORARY);

    assertThat(events()).hasSize(2) // on the policy and on the Node
        .allSatisfy(e -> {
          assertThat(e.getCount()).isEqualTo(2);
          assertThat(e.getFirstTimestamp()).isEqualTo("2026-11-30T12:00:00Z");
          assertThat(e.getLastTimestamp()).isEqualTo("2026-11-30T12:05:00Z");
        });
    assertThat(events()).extracting(e -> e.getInvolvedObject().getKind()).containsExactlyInAnyOrder("NodeAddressPolicy", "Node");
  }

  @Test
  void anotherMemberOrReasonIsAnotherEvent() {
    sinkAt(T0).emit(policy, TEMPORARY);
    sinkAt(T0).emit(policy, new PlannedEvent("losangeles", true, "TemporaryIPv6Address", "another member", "aaaa"));
    sinkAt(T0).emit(policy, new PlannedEvent("losangeles", true, "OutsideAllowedCIDRs", "same member", "91bc3c398fb3c146"));

    assertThat(events()).hasSize(6).extracting(Event::getCount).containsOnly(1);
  }

  @Test
  void anEventTheApiServerDroppedIsCreatedAgainOnTheNextSend() {
    sinkAt(T0).emit(policy, TEMPORARY);
    api.client().v1().events().inNamespace("default").delete(); // the Event TTL passed

    sinkAt(T0.plus(Duration.ofHours(2))).emit(policy, TEMPORARY);

    assertThat(events()).hasSize(2).allSatisfy(e -> {
      assertThat(e.getCount()).isEqualTo(1);
      assertThat(e.getLastTimestamp()).isEqualTo("2026-11-30T14:00:00Z");
      assertThat(e.getReason()).isEqualTo("TemporaryIPv6Address");
    });
  }
}
