package io.etcdguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.api.v1alpha1.NodeAddressPolicy;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.testkit.Policies;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What OperatorBench times a start by: the mock API server reports each request it handled, and only a policy's
 * status write counts as a completed check. Creating, reading or re-creating the policy does not.
 */
class FirstStatusSignalTest {

  @Test
  void onlyAPolicyStatusWriteIsAFirstCheckAndClosingStopsTheReports() throws Exception {
    try (MockApiServer api = new MockApiServer()) {
      List<String> statusWrites = new CopyOnWriteArrayList<>();
      List<String> handled = new CopyOnWriteArrayList<>();
      NodeAddressPolicy policy = Policies.forEndpoints("p-signal", List.of("https://127.0.0.1:2379"), "5s");
      try (MockApiServer.Registration watching = api.onHandled((method, path) -> {
        handled.add(method + " " + path);
        if (OperatorBench.isPolicyStatusWrite(method, path)) {
          statusWrites.add(method + " " + path);
        }
      })) {
        api.client().resource(policy).create();
        OperatorBench.withoutStatus(api, policy);
        api.client().resources(NodeAddressPolicy.class).withName("p-signal").get();
        assertThat(handled).as("every request is reported").hasSizeGreaterThanOrEqualTo(4);
        assertThat(statusWrites).as("creating, deleting and reading are not a check").isEmpty();

        NodeAddressPolicy stored = api.client().resources(NodeAddressPolicy.class).withName("p-signal").get();
        stored.setStatus(new NodeAddressPolicyStatus());
        stored.getStatus().setObservedGeneration(1L);
        api.client().resource(stored).updateStatus();
        assertThat(statusWrites).singleElement().asString()
            .startsWith("PUT /apis/etcdguard.io/v1alpha1/nodeaddresspolicies/p-signal/status");
      }
      int before = handled.size();
      api.client().resources(NodeAddressPolicy.class).withName("p-signal").get();
      assertThat(handled).as("no report once the registration is closed").hasSize(before);
    }
  }

  @Test
  void statusWritesAreTheStatusSubresourceOfAPolicyOnly() {
    String policies = "/apis/etcdguard.io/v1alpha1/nodeaddresspolicies/";
    assertThat(OperatorBench.isPolicyStatusWrite("PATCH", policies + "p/status")).isTrue();
    assertThat(OperatorBench.isPolicyStatusWrite("PUT", policies + "p/status?fieldManager=x")).isTrue();
    assertThat(OperatorBench.isPolicyStatusWrite("GET", policies + "p/status")).isFalse();
    assertThat(OperatorBench.isPolicyStatusWrite("PATCH", policies + "p")).isFalse();
    assertThat(OperatorBench.isPolicyStatusWrite("PATCH", "/apis/etcdguard.io/v1alpha1/nodeaddressreports/n/status")).isFalse();
    assertThat(OperatorBench.isPolicyStatusWrite("POST", "/api/v1/namespaces/default/events")).isFalse();
  }
}
