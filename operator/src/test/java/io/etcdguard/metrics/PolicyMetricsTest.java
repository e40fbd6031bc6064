package io.etcdguard.metrics;

import io.etcdguard.check.CheckOutcome;
import io.etcdguard.status.StatusAndEventsTest;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.etcdguard.etcd.EtcdTlsMaterial;
import io.etcdguard.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported series, as Prometheus scrapes them. */
class PolicyMetricsTest {
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final PolicyMetrics metrics = new PolicyMetrics(registry);

  void check(String policy, CheckOutcome outcome) {
    metrics.recordCheck(policy, outcome.kind(), Duration.ofMillis(40));
    if (outcome instanceof CheckOutcome.Checked c) {
      metrics.recordVerdicts(policy, c.result().verdicts());
      metrics.recordSuccess(policy, Instant.parse("2026-11-25T10:00:00Z"));
    }
  }

  @Test
  void violationSeriesExistOnlyWhileViolatingAndGoWithThePolicy() {
    check("k3s", StatusAndEventsTest.TEMPORARY);
    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("etcdguard_member_violation{member=\"losangeles-0ac72af5\",node=\"losangeles\",policy=\"k3s\",reason=\"TemporaryIPv6Address\"} 1")
        .contains("etcdguard_member_violation{member=\"losangeles-0ac72af5\",node=\"losangeles\",policy=\"k3s\",reason=\"NotNodeInternalIP\"} 1")
        .contains("etcdguard_member_diagnosis{member=\"losangeles-0ac72af5\",node=\"losangeles\",policy=\"k3s\",reason=\"TemporaryIPv6Address\"} 1")
        .contains("etcdguard_member_info{member=\"losangeles-0ac72af5\",member_id=\"91bc3c398fb3c146\",node=\"losangeles\",peer_url=\"https://[fd00:c0ff:ee:0:da69:8213:dd0b:aac3]:2380\",policy=\"k3s\"} 1")
        .contains("etcdguard_policy_members{policy=\"k3s\"} 2")
        .contains("etcdguard_policy_violations{policy=\"k3s\"} 1")
        .contains("etcdguard_etcd_up{policy=\"k3s\"} 1")
        .contains("etcdguard_checks_total{outcome=\"success\",policy=\"k3s\"} 1")
        .contains("etcdguard_check_duration_seconds_count{policy=\"k3s\"} 1")
        .contains("etcdguard_check_duration_seconds_bucket{policy=\"k3s\",le=")
        .containsPattern("etcdguard_last_successful_check_timestamp_seconds\\{policy=\"k3s\"} 1\\.7956008E9");
    assertThat(scrape).doesNotContain("member=\"k3s-1-b2495bc5\",node=\"k3s-1\",policy=\"k3s\",reason");
    assertThat(scrape.lines().filter(l -> l.startsWith("etcdguard_member_diagnosis{"))).as("one diagnosis series per member").hasSize(1);

    check("k3s", StatusAndEventsTest.HEALTHY);
    scrape = registry.scrape();
    assertThat(scrape).doesNotContain("etcdguard_member_violation{").doesNotContain("etcdguard_member_diagnosis{");
    assertThat(scrape).contains("etcdguard_policy_violations{policy=\"k3s\"} 0")
        .contains("peer_url=\"https://192.168.1.30:2380\"")
        .doesNotContain("fd00:c0ff");

    check("k3s", new CheckOutcome.EtcdUnreachable("refused"));
    assertThat(registry.scrape()).contains("etcdguard_etcd_up{policy=\"k3s\"} 0")
        .contains("etcdguard_checks_total{outcome=\"etcd_error\",policy=\"k3s\"} 1");

    check("other", StatusAndEventsTest.HEALTHY);
    metrics.forget("k3s");
    scrape = registry.scrape();
    assertThat(scrape).doesNotContain("policy=\"k3s\"").contains("policy=\"other\"");
  }

  @Test
  void clientCertificateExpiryIsTheLoadedCertificatesNotAfterAndGoesWithoutOne(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create(Files.createDirectory(dir.resolve("pki")), List.of("127.0.0.1"));
    TestPki.Issued client = pki.client(TestPki.KeyFormat.SEC1_EC);
    EtcdTlsMaterial material = EtcdTlsMaterial.fromFiles(pki.caCert(), client.cert(), client.key());
    long notAfter;
    try (var pem = Files.newInputStream(client.cert())) {
      notAfter = ((java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(pem)).getNotAfter().toInstant().getEpochSecond();
    }
    assertThat(notAfter).as("the test PKI issues for a day").isGreaterThan(Instant.now().getEpochSecond());

    metrics.recordClientCertificateExpiry("k3s", material.clientCertificateNotAfter());
    metrics.recordClientCertificateExpiry("other", material.clientCertificateNotAfter());
    String scrape = registry.scrape();
    assertThat(scrape).contains("# TYPE etcdguard_etcd_client_cert_expiry_timestamp_seconds gauge");
    assertThat(sample(scrape, "etcdguard_etcd_client_cert_expiry_timestamp_seconds{policy=\"k3s\"}")).isEqualTo(notAfter);

    // CA only (etcd asks for no client certificate): no series.
    metrics.recordClientCertificateExpiry("k3s", EtcdTlsMaterial.fromFiles(pki.caCert(), null, null).clientCertificateNotAfter());
    scrape = registry.scrape();
    assertThat(scrape).doesNotContain("etcdguard_etcd_client_cert_expiry_timestamp_seconds{policy=\"k3s\"}")
        .contains("etcdguard_etcd_client_cert_expiry_timestamp_seconds{policy=\"other\"}");

    metrics.forget("other");
    assertThat(registry.scrape()).doesNotContain("etcdguard_etcd_client_cert_expiry_timestamp_seconds{");
  }

  static double sample(String scrape, String series) {
    return scrape.lines().filter(line -> line.startsWith(series + " ")).map(line -> Double.parseDouble(line.substring(series.length() + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no sample " + series + " in\n" + scrape));
  }
}
