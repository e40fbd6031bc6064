package io.etcdguard.host;

import io.etcdguard.testkit.MutableClock;
import static io.etcdguard.host.AddressFlags.IFA_F_PERMANENT;
import static io.etcdguard.host.AddressFlags.IFA_F_TEMPORARY;
import static io.etcdguard.host.HostFixtures.address;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.etcdguard.testkit.MockApiServer;
import io.etcdguard.host.ReportPublisher.Outcome;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's publishing against the fabric8 mock API server in CRUD mode, with the generated CRD installed. */
class ReportPublisherTest {
  private static final Duration HEARTBEAT = Duration.ofMinutes(5);

  private MockApiServer api;
  private KubernetesClient client;
  private ReportApi reportApi;
  private static final Instant START = Instant.parse("2026-11-30T12:00:00Z");
  private final MutableClock clock = new MutableClock(START);

  @BeforeEach
  void startApiServer() throws Exception {
    api = new MockApiServer();
    client = api.client();
    reportApi = ReportApi.of(client.getConfiguration());
    // MockApiServer installs the NodeAddressReport CRD as well
    assertThat(client.apiextensions().v1().customResourceDefinitions().withName(NodeAddressReport.CRD_NAME).get()).isNotNull();
  }

  @AfterEach
  void stopApiServer() {
    reportApi.close();
    api.close();
  }

  /** The host at the clock's time: like the kernel, finite lifetimes count down as time passes. */
  private NodeAddressReport read(List<HostAddress> addresses) {
    long elapsed = Duration.between(START, clock.instant()).toSeconds();
    List<HostAddress> now = addresses.stream().map(a -> a.validLifetime().kind() != Lifetime.Kind.FINITE ? a
        : new HostAddress(a.interfaceName(), a.ifindex(), a.address(), a.prefixLength(), a.scope(), a.flags(),
            Lifetime.seconds(a.validLifetime().seconds() - elapsed), Lifetime.seconds(a.preferredLifetime().seconds() - elapsed))).toList();
    HostSnapshot host = new HostSnapshot(HostSnapshot.Source.NETLINK, List.of(HostFixtures.up("eth0")), now,
        List.of(HostFixtures.route4("eth0", "192.168.1.1", 100), HostFixtures.route6("eth0", "fd00:c0ff:ee::1")),
        List.of(new InterfaceSysctls("eth0", 2, 86_400L, 604_800L)), List.of(), clock.instant());
    return NodeAddressReports.toReport("losangeles", host, NodeIpPredictor.predict(host));
  }

  private static List<HostAddress> incident() {
    return new ArrayList<>(List.of(address("eth0", "192.168.1.30/24", IFA_F_PERMANENT),
        address("eth0", "fd00:c0ff:ee:0:da69:8213:dd0b:aac3/64", IFA_F_TEMPORARY)));
  }

  private NodeAddressReport stored() {
    return client.resources(NodeAddressReport.class).withName("losangeles").get();
  }

  @Test
  void createsThenPatchesOnlyOnChangeOrHeartbeat() {
    ReportPublisher publisher = new ReportPublisher(reportApi, clock, HEARTBEAT);

    assertThat(publisher.publish(read(incident()))).isEqualTo(Outcome.CREATED);
    NodeAddressReport created = stored();
    assertThat(created.getSpec().getPredictions().getBootRace().getAddress()).isEqualTo("fd00:c0ff:ee:0:da69:8213:dd0b:aac3");
    String firstVersion = created.getMetadata().getResourceVersion();

    clock.advance(Duration.ofSeconds(30));
    assertThat(publisher.publish(read(incident()))).isEqualTo(Outcome.UNCHANGED);
    assertThat(stored().getMetadata().getResourceVersion()).as("no write when nothing changed").isEqualTo(firstVersion);

    clock.advance(Duration.ofSeconds(30));
    List<HostAddress> regenerated = incident();
    regenerated.add(1, address("eth0", "fd00:c0ff:ee:0:9999:8888:7777:6666/64", IFA_F_TEMPORARY));
    assertThat(publisher.publish(read(regenerated))).isEqualTo(Outcome.PATCHED_CHANGED);
    NodeAddressReport changed = stored();
    assertThat(changed.getMetadata().getResourceVersion()).isNotEqualTo(firstVersion);
    assertThat(changed.getSpec().getAddresses()).hasSize(3);
    assertThat(changed.getSpec().getPredictions().getBootRace().getAddress()).isEqualTo("fd00:c0ff:ee:0:9999:8888:7777:6666");
    assertThat(changed.getSpec().getObservedAt()).isEqualTo("2026-11-30T12:01:00Z");

    clock.advance(HEARTBEAT.minusSeconds(1));
    assertThat(publisher.publish(read(regenerated))).isEqualTo(Outcome.UNCHANGED);
    clock.advance(Duration.ofSeconds(1));
    assertThat(publisher.publish(read(regenerated))).isEqualTo(Outcome.PATCHED_HEARTBEAT);
    assertThat(stored().getSpec().getObservedAt()).as("the heartbeat refreshes observedAt").isEqualTo("2026-11-30T12:06:00Z");
  }

  @Test
  void aPatchRemovesFieldsThatBecameAbsent() {
    ReportPublisher publisher = new ReportPublisher(reportApi, clock, HEARTBEAT);
    publisher.publish(read(incident()));
    assertThat(stored().getSpec().getPredictions().getNow().getAddress()).isEqualTo("192.168.1.30");

    clock.advance(Duration.ofSeconds(30));
    // Only link-local left: both predictions lose their address.
    assertThat(publisher.publish(read(List.of(address("eth0", "fe80::1/64", IFA_F_PERMANENT))))).isEqualTo(Outcome.PATCHED_CHANGED);
    NodeAddressReport patched = stored();
    assertThat(patched.getSpec().getPredictions().getNow().getAddress()).isNull();
    assertThat(patched.getSpec().getPredictions().getNow().getWhy()).contains("no usable address");
    assertThat(patched.getSpec().getAddresses()).hasSize(1);
  }

  @Test
  void aRestartedAgentDoesNotRewriteAFreshUnchangedReport() {
    new ReportPublisher(reportApi, clock, HEARTBEAT).publish(read(incident()));
    String version = stored().getMetadata().getResourceVersion();

    clock.advance(Duration.ofMinutes(1));
    ReportPublisher restarted = new ReportPublisher(reportApi, clock, HEARTBEAT);
    assertThat(restarted.publish(read(incident()))).isEqualTo(Outcome.UNCHANGED);
    assertThat(stored().getMetadata().getResourceVersion()).isEqualTo(version);

    clock.advance(Duration.ofMinutes(4));
    assertThat(restarted.publish(read(incident()))).as("5 minutes after the stored observedAt").isEqualTo(Outcome.PATCHED_HEARTBEAT);
  }

  @Test
  void aReportDeletedBehindItsBackIsCreatedAgain() {
    ReportPublisher publisher = new ReportPublisher(reportApi, clock, HEARTBEAT);
    publisher.publish(read(incident()));
    client.resources(NodeAddressReport.class).withName("losangeles").delete();
    assertThat(stored()).isNull();

    clock.advance(HEARTBEAT);
    assertThat(publisher.publish(read(incident()))).isEqualTo(Outcome.CREATED);
    assertThat(stored()).isNotNull();
  }
}
