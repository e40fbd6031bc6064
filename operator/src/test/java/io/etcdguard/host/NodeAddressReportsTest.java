package io.etcdguard.host;

import static io.etcdguard.host.AddressFlags.IFA_F_MNGTMPADDR;
import static io.etcdguard.host.AddressFlags.IFA_F_NOPREFIXROUTE;
import static io.etcdguard.host.AddressFlags.IFA_F_PERMANENT;
import static io.etcdguard.host.AddressFlags.IFA_F_TEMPORARY;
import static io.etcdguard.host.HostFixtures.address;
import static io.etcdguard.host.HostFixtures.netlink;
import static io.etcdguard.host.HostFixtures.route4;
import static io.etcdguard.host.HostFixtures.route6;
import static io.etcdguard.host.HostFixtures.up;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.etcdguard.api.v1alpha1.ReportedAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Host model -> report -> JSON -> report -> host model, and what classification reads from it. */
class NodeAddressReportsTest {
  static final HostSnapshot HOST = netlink(List.of(up("lo"), up("eth0")), List.of(
          address("eth0", "192.168.1.30/24", IFA_F_PERMANENT),
          address("eth0", "fd00:c0ff:ee:0:da69:8213:dd0b:aac3/64", IFA_F_TEMPORARY),
          address("eth0", "fd00:c0ff:ee::1e/64", IFA_F_MNGTMPADDR, IFA_F_NOPREFIXROUTE, IFA_F_PERMANENT),
          new HostAddress("eth0", 2, HostFixtures.ip("fd00:c0ff:ee:0:1111:2222:3333:4444"), 64, 0,
              AddressFlags.fromBits(IFA_F_TEMPORARY), Lifetime.atMost(604_800), Lifetime.UNKNOWN)),
      List.of(route4("eth0", "192.168.1.1", 100), route6("eth0", "fd00:c0ff:ee::1")));

  @Test
  void aReportSurvivesJsonAndReadsBackAsTheSameHost() {
    NodeAddressReport report = NodeAddressReports.toReport("losangeles", HOST, NodeIpPredictor.predict(HOST));
    String json = JsonMapper.shared().writeValueAsString(report);
    NodeAddressReport parsed = JsonMapper.shared().readValue(json, NodeAddressReport.class);

    NodeHostReport back = NodeAddressReports.toHostReport(parsed);

    assertThat(back.nodeName()).isEqualTo("losangeles");
    assertThat(back.snapshot()).isEqualTo(HOST);
    assertThat(back.predictions()).isEqualTo(NodeIpPredictor.predict(HOST));
    assertThat(ReportContent.same(new NodeHostReport("losangeles", HOST, NodeIpPredictor.predict(HOST)), back)).isTrue();
  }

  @Test
  void theJsonHasTheAddressFieldsAnAdminAndTheClassifierRead() {
    NodeAddressReport report = NodeAddressReports.toReport("losangeles", HOST, NodeIpPredictor.predict(HOST));
    var tree = JsonMapper.shared().valueToTree(report);
    assertThat(tree.path("kind").asText()).isEqualTo("NodeAddressReport");
    assertThat(tree.path("apiVersion").asText()).isEqualTo("etcdguard.io/v1alpha1");
    assertThat(tree.at("/metadata/name").asText()).isEqualTo("losangeles");
    var temporary = tree.at("/spec/addresses/1");
    for (String field : List.of("interface", "address", "prefixLength", "scope", "temporary", "deprecated", "tentative", "permanent")) {
      assertThat(temporary.has(field)).as("address field %s", field).isTrue();
    }
    assertThat(temporary.path("temporary").asBoolean()).isTrue();
    assertThat(temporary.path("validLifetime").asText()).isEqualTo("Finite");
    assertThat(temporary.path("validLifetimeSeconds").asLong()).isEqualTo(600_000);
    var bounded = tree.at("/spec/addresses/3");
    assertThat(bounded.path("validLifetime").asText()).isEqualTo("Unknown");
    assertThat(bounded.path("validLifetimeAtMostSeconds").asLong()).isEqualTo(604_800);
    assertThat(bounded.has("validLifetimeSeconds")).isFalse();
    assertThat(tree.at("/spec/predictions/bootRace/address").asText()).isEqualTo("fd00:c0ff:ee:0:da69:8213:dd0b:aac3");
    assertThat(tree.at("/spec/interfaces/1/useTempaddr").asInt()).isEqualTo(2);
  }

  @Test
  void lookupsForClassification() {
    NodeHostReport report = new NodeHostReport("losangeles", HOST, NodeIpPredictor.predict(HOST));
    HostAddress temporary = report.find(HostFixtures.ip("fd00:c0ff:ee:0:da69:8213:dd0b:aac3")).orElseThrow();
    assertThat(temporary.flags().temporary()).isTrue();
    assertThat(report.validUntil(temporary)).contains(HostFixtures.READ_AT.plusSeconds(600_000));
    assertThat(report.preferredUntil(temporary)).contains(HostFixtures.READ_AT.plusSeconds(80_000));
    assertThat(report.find(HostFixtures.ip("192.168.1.31"))).isEmpty();
    assertThat(report.useTempaddr("eth0")).contains(2);
    assertThat(report.useTempaddr("wg0")).isEmpty();
    assertThat(report.isStale(HostFixtures.READ_AT.plus(Duration.ofMinutes(15)), Duration.ofMinutes(5), 3)).isFalse();
    assertThat(report.isStale(HostFixtures.READ_AT.plus(Duration.ofMinutes(16)), Duration.ofMinutes(5), 3)).isTrue();
  }

  @Test
  void malformedReportsNameTheField() {
    NodeAddressReport report = NodeAddressReports.toReport("losangeles", HOST, NodeIpPredictor.predict(HOST));
    report.getSpec().setObservedAt("yesterday");
    assertThatThrownBy(() -> NodeAddressReports.toHostReport(report)).hasMessageContaining("NodeAddressReport losangeles: spec.observedAt");

    NodeAddressReport badAddress = NodeAddressReports.toReport("losangeles", HOST, NodeIpPredictor.predict(HOST));
    badAddress.getSpec().getAddresses().get(1).setAddress("losangeles.example");
    assertThatThrownBy(() -> NodeAddressReports.toHostReport(badAddress)).hasMessageContaining("spec.addresses[1].address is not an IP address");

    NodeAddressReport badLifetime = NodeAddressReports.toReport("losangeles", HOST, NodeIpPredictor.predict(HOST));
    ReportedAddress temporary = badLifetime.getSpec().getAddresses().get(1);
    temporary.setValidLifetimeSeconds(null);
    assertThatThrownBy(() -> NodeAddressReports.toHostReport(badLifetime)).hasMessageContaining("spec.addresses[1].validLifetime is Finite");
  }

  @Test
  void lifetimesCountingDownAreNotAChangeButANewAddressIs() {
    NodeHostReport first = new NodeHostReport("n", HOST, NodeIpPredictor.predict(HOST));
    Instant later = HostFixtures.READ_AT.plusSeconds(30);
    List<HostAddress> countedDown = HOST.addresses().stream().map(a -> a.validLifetime().kind() != Lifetime.Kind.FINITE ? a
        : new HostAddress(a.interfaceName(), a.ifindex(), a.address(), a.prefixLength(), a.scope(), a.flags(),
            Lifetime.seconds(a.validLifetime().seconds() - 30), Lifetime.seconds(a.preferredLifetime().seconds() - 31))).toList();
    HostSnapshot thirtySecondsLater = new HostSnapshot(HOST.source(), HOST.interfaces(), countedDown, HOST.defaultRoutes(),
        HOST.sysctls(), HOST.unreadable(), later);
    assertThat(ReportContent.same(first, new NodeHostReport("n", thirtySecondsLater, NodeIpPredictor.predict(thirtySecondsLater)))).isTrue();

    List<HostAddress> regenerated = new java.util.ArrayList<>(countedDown);
    regenerated.add(1, address("eth0", "fd00:c0ff:ee:0:9999:8888:7777:6666/64", IFA_F_TEMPORARY));
    HostSnapshot withNewTemporary = new HostSnapshot(HOST.source(), HOST.interfaces(), regenerated, HOST.defaultRoutes(),
        HOST.sysctls(), HOST.unreadable(), later);
    assertThat(ReportContent.same(first, new NodeHostReport("n", withNewTemporary, NodeIpPredictor.predict(withNewTemporary)))).isFalse();

    List<HostAddress> shortened = countedDown.stream().map(a -> a.validLifetime().kind() != Lifetime.Kind.FINITE ? a
        : new HostAddress(a.interfaceName(), a.ifindex(), a.address(), a.prefixLength(), a.scope(), a.flags(),
            Lifetime.seconds(60), a.preferredLifetime())).toList();
    HostSnapshot expiresSooner = new HostSnapshot(HOST.source(), HOST.interfaces(), shortened, HOST.defaultRoutes(),
        HOST.sysctls(), HOST.unreadable(), later);
    assertThat(ReportContent.same(first, new NodeHostReport("n", expiresSooner, NodeIpPredictor.predict(expiresSooner)))).isFalse();
  }
}
