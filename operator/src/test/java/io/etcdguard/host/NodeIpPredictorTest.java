package io.etcdguard.host;

import static io.etcdguard.host.AddressFlags.IFA_F_DEPRECATED;
import static io.etcdguard.host.AddressFlags.IFA_F_MNGTMPADDR;
import static io.etcdguard.host.AddressFlags.IFA_F_PERMANENT;
import static io.etcdguard.host.AddressFlags.IFA_F_TEMPORARY;
import static io.etcdguard.host.AddressFlags.IFA_F_TENTATIVE;
import static io.etcdguard.host.HostFixtures.address;
import static io.etcdguard.host.HostFixtures.down;
import static io.etcdguard.host.HostFixtures.netlink;
import static io.etcdguard.host.HostFixtures.route4;
import static io.etcdguard.host.HostFixtures.route6;
import static io.etcdguard.host.HostFixtures.snapshot;
import static io.etcdguard.host.HostFixtures.up;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.host.AddressPrediction.Certainty;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The two predictions against K3s' rule (Kubernetes' ChooseHostInterface), one row per host shape. */
class NodeIpPredictorTest {
  private static final String TEMP = "fd00:c0ff:ee:0:da69:8213:dd0b:aac3";
  private static final String STABLE = "fd00:c0ff:ee::1e";

  /** The incident's host: dual-stack, the kernel lists the temporary address before its template. */
  private static final List<HostAddress> INCIDENT = List.of(
      address("lo", "127.0.0.1/8", IFA_F_PERMANENT),
      address("eth0", "192.168.1.30/24", IFA_F_PERMANENT),
      address("lo", "::1/128", IFA_F_PERMANENT),
      address("eth0", TEMP + "/64", IFA_F_TEMPORARY),
      address("eth0", STABLE + "/64", IFA_F_MNGTMPADDR, IFA_F_PERMANENT),
      address("eth0", "fe80::1/64", IFA_F_PERMANENT));

  static Stream<Arguments> hosts() {
    return Stream.of(
        Arguments.of("dual-stack: IPv4 route first now, the temporary IPv6 in the boot race",
            netlink(List.of(up("lo"), up("eth0")), INCIDENT,
                List.of(route6("eth0", "fd00:c0ff:ee::1"), route4("eth0", "192.168.1.1", 100))),
            "192.168.1.30", TEMP),
        Arguments.of("IPv6-only: the first global address in kernel order, the temporary one",
            netlink(List.of(up("lo"), up("eth0")), INCIDENT.stream().filter(a -> a.family() == IpFamily.IPV6).toList(),
                List.of(route6("eth0", "fd00:c0ff:ee::1"))),
            TEMP, TEMP),
        Arguments.of("kernel order decides: template listed first wins",
            netlink(List.of(up("eth0")), List.of(address("eth0", STABLE + "/64", IFA_F_MNGTMPADDR, IFA_F_PERMANENT),
                address("eth0", TEMP + "/64", IFA_F_TEMPORARY)), List.of(route6("eth0", "fd00:c0ff:ee::1"))),
            STABLE, STABLE),
        Arguments.of("no default route: detection fails in both",
            netlink(List.of(up("eth0")), INCIDENT, List.of()),
            null, null),
        Arguments.of("link-local only on the route's interface: no address",
            netlink(List.of(up("eth0")), List.of(address("eth0", "fe80::1/64", IFA_F_PERMANENT)),
                List.of(route6("eth0", "fe80::ff"))),
            null, null),
        Arguments.of("several interfaces: the default route's interface, not the first interface",
            netlink(List.of(up("eth0"), up("eth1")), List.of(address("eth0", "10.0.0.5/24", IFA_F_PERMANENT),
                address("eth0", "fd00:a::5/64", IFA_F_PERMANENT), address("eth1", "192.168.1.30/24", IFA_F_PERMANENT),
                address("eth1", "fd00:b::30/64", IFA_F_PERMANENT)),
                List.of(route4("eth1", "192.168.1.1", 100), route6("eth1", "fd00:b::1"))),
            "192.168.1.30", "fd00:b::30"),
        Arguments.of("route order: file order, metric ignored",
            netlink(List.of(up("eth0"), up("eth1")), List.of(address("eth0", "10.0.0.5/24", IFA_F_PERMANENT),
                address("eth1", "192.168.1.30/24", IFA_F_PERMANENT)),
                List.of(route4("eth1", "192.168.1.1", 600), route4("eth0", "10.0.0.1", 100))),
            "192.168.1.30", null),
        Arguments.of("route via a down interface is skipped",
            netlink(List.of(down("eth0"), up("eth1")), List.of(address("eth0", "10.0.0.5/24", IFA_F_PERMANENT),
                address("eth1", "192.168.1.30/24", IFA_F_PERMANENT)),
                List.of(route4("eth0", "10.0.0.1", 100), route4("eth1", "192.168.1.1", 600))),
            "192.168.1.30", null),
        Arguments.of("IPv4 route but no IPv4 address on it: falls through to the IPv6 route",
            netlink(List.of(up("eth0")), List.of(address("eth0", TEMP + "/64", IFA_F_TEMPORARY)),
                List.of(route4("eth0", null, 0), route6("eth0", "fd00:c0ff:ee::1"))),
            TEMP, TEMP),
        Arguments.of("flags are not looked at: a deprecated, tentative temporary address still comes first",
            netlink(List.of(up("eth0")), List.of(address("eth0", TEMP + "/64", IFA_F_TEMPORARY, IFA_F_DEPRECATED, IFA_F_TENTATIVE),
                address("eth0", STABLE + "/64", IFA_F_MNGTMPADDR, IFA_F_PERMANENT)), List.of(route6("eth0", "fd00:c0ff:ee::1"))),
            TEMP, TEMP),
        Arguments.of("RFC 5549: only link-local on the route's interface, global address on loopback",
            netlink(List.of(up("lo"), up("eth0")), List.of(address("lo", "127.0.0.1/8", IFA_F_PERMANENT),
                address("lo", "10.255.0.7/32", IFA_F_PERMANENT), address("eth0", "fe80::7/64", IFA_F_PERMANENT)),
                List.of(route4("eth0", null, 0))),
            "10.255.0.7", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void predictsWhatAutoDetectionPicks(String description, HostSnapshot host, String now, String bootRace) {
    NodeIpPredictions predictions = NodeIpPredictor.predict(host);
    assertThat(predictions.now().address()).as("now: %s", predictions.now().why()).isEqualTo(now);
    assertThat(predictions.bootRace().address()).as("boot race: %s", predictions.bootRace().why()).isEqualTo(bootRace);
    assertThat(predictions.now().certainty()).isEqualTo(Certainty.CERTAIN);
    if (now == null) {
      assertThat(predictions.now().why()).containsAnyOf("no default route", "no usable address");
    } else {
      assertThat(predictions.now().why()).contains(now).contains(predictions.now().interfaceName());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void bootRaceNeverPicksIpv4(String description, HostSnapshot host, String now, String bootRace) {
    AddressPrediction prediction = NodeIpPredictor.predictBootRace(host);
    assertThat(prediction.family()).isNotEqualTo(IpFamily.IPV4);
    if (prediction.found()) {
      assertThat(prediction.why()).startsWith("if IPv4 were not up yet");
    }
  }

  @org.junit.jupiter.api.Test
  void whyNamesTheTemporaryFlagAndTheRoute() {
    AddressPrediction bootRace = NodeIpPredictor.predictBootRace(
        netlink(List.of(up("eth0")), INCIDENT, List.of(route4("eth0", "192.168.1.1", 100), route6("eth0", "fd00:c0ff:ee::1"))));
    assertThat(bootRace.why()).contains("IPv6 default route via fd00:c0ff:ee::1 leaves through eth0")
        .contains("first of its 2 global IPv6 addresses in the kernel's order").contains("temporary");
  }

  @org.junit.jupiter.api.Test
  void fromProcThePickAmongSeveralIsUncertainButASingleCandidateIsNot() {
    List<NetInterface> interfaces = List.of(up("eth0"));
    List<DefaultRoute> routes = List.of(route4("eth0", "192.168.1.1", 100), route6("eth0", "fd00:c0ff:ee::1"));
    NodeIpPredictions predictions = NodeIpPredictor.predict(snapshot(HostSnapshot.Source.PROC, interfaces, INCIDENT, routes));
    assertThat(predictions.now().certainty()).as("one IPv4 candidate").isEqualTo(Certainty.CERTAIN);
    assertThat(predictions.bootRace().certainty()).as("two IPv6 candidates in hash order").isEqualTo(Certainty.UNCERTAIN);
    assertThat(predictions.bootRace().why()).contains("could not be read");
  }
}
