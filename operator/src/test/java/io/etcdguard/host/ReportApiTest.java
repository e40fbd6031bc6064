package io.etcdguard.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.etcdguard.api.v1alpha1.NodeAddressReportSpec;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.testkit.RefusedPort;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** The agent's three calls against the fabric8 mock API server in CRUD mode, and how they fail. */
class ReportApiTest {

  static NodeAddressReport report(String name, String observedAt) {
    NodeAddressReport report = new NodeAddressReport();
    report.getMetadata().setName(name);
    NodeAddressReportSpec spec = new NodeAddressReportSpec();
    spec.setNodeName(name);
    spec.setObservedAt(observedAt);
    spec.setSource(NodeAddressReport.SOURCE_NETLINK);
    report.setSpec(spec);
    return report;
  }

  @Test
  void getsNothingThenCreatesThenReplacesTheSpec() throws Exception {
    try (MockApiServer server = new MockApiServer(); ReportApi api = ReportApi.of(server.client().getConfiguration())) {
      assertThat(api.get("losangeles")).isNull();
      api.create(report("losangeles", "2026-11-30T12:00:00Z"));
      assertThat(api.get("losangeles").getSpec().getObservedAt()).isEqualTo("2026-11-30T12:00:00Z");

      api.replaceSpec("losangeles", report("losangeles", "2026-11-30T12:05:00Z").getSpec());
      NodeAddressReport stored = server.client().resources(NodeAddressReport.class).withName("losangeles").get();
      assertThat(stored.getSpec().getObservedAt()).isEqualTo("2026-11-30T12:05:00Z");
    }
  }

  @Test
  void anErrorAnswerThrowsWithItsStatusCodeAndNamesTheReport() throws Exception {
    try (MockApiServer server = new MockApiServer(); ReportApi api = ReportApi.of(server.client().getConfiguration())) {
      api.create(report("losangeles", "2026-11-30T12:00:00Z"));
      assertThatThrownBy(() -> api.create(report("losangeles", "2026-11-30T12:00:00Z")))
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409))
          .hasMessageContaining("create of NodeAddressReport losangeles").hasMessageContaining("HTTP 409");
      assertThatThrownBy(() -> api.replaceSpec("k3s-1", report("k3s-1", "2026-11-30T12:00:00Z").getSpec()))
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }
  }

  @Test
  void anUnreachableApiServerThrowsNamingTheUrl() throws Exception {
    try (RefusedPort refused = new RefusedPort()) {
      Config config = new ConfigBuilder().withMasterUrl(refused.url()).withRequestRetryBackoffLimit(0)
          .withRequestTimeout(5_000).build();
      try (ReportApi api = ReportApi.of(config)) {
        assertThatThrownBy(() -> api.get("losangeles")).isInstanceOf(KubernetesClientException.class)
            .hasMessageContaining("get of NodeAddressReport losangeles at " + refused.url());
      }
    }
  }
}
