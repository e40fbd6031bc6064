package io.etcdguard.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcFilesTest {
  /** Shapes as a dual-stack host with a temporary address writes them (hash order, not kernel order). */
  static final String IF_INET6 = """
      fd00c0ff00ee0000000000000000001e 02 40 00 80     eth0
      00000000000000000000000000000001 01 80 10 80       lo
      fd00c0ff00ee00007b34dd9fe62ca813 02 40 00 01     eth0
      fe8000000000000058d7cafffecfcef6 02 40 20 80     eth0
      fd00c0ff00ee0000aaaaaaaaaaaaaaaa 02 40 00 61     eth0
      """;

  static final String ROUTE = """
      Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
      eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
      eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0
      wg0\t00000000\t00000000\t0001\t0\t0\t50\t00000000\t0\t0\t0
      """;

  static final String IPV6_ROUTE = """
      fd00c0ff00ee00000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
      00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe80000000000000000000000000000 1 00000400 00000001 00000000 00000003     eth0
      00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd00c0ff00ee00000000000000000001 00000400 00000001 00000000 00000003     eth0
      00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
      """;

  @Test
  void ifInet6GivesTheLowFlagBitsAndBoundsTemporaryLifetimesBySysctls() {
    List<HostAddress> addresses = ProcFiles.parseIfInet6(IF_INET6, List.of(new InterfaceSysctls("eth0", 2, 86_400L, 604_800L)));
    assertThat(addresses).extracting(HostAddress::text).containsExactly(
        "fd00:c0ff:ee::1e", "::1", "fd00:c0ff:ee:0:7b34:dd9f:e62c:a813", "fe80::58d7:caff:fecf:cef6", "fd00:c0ff:ee:0:aaaa:aaaa:aaaa:aaaa");
    HostAddress stable = addresses.get(0);
    assertThat(stable.ifindex()).isEqualTo(2);
    assertThat(stable.prefixLength()).isEqualTo(64);
    assertThat(stable.flags().permanent()).isTrue();
    assertThat(stable.flags().mngtmpaddr()).as("above bit 7: not in /proc").isFalse();
    assertThat(stable.validLifetime()).isEqualTo(Lifetime.FOREVER);
    assertThat(addresses.get(1).scopeName()).isEqualTo("host");
    HostAddress temporary = addresses.get(2);
    assertThat(temporary.flags().temporary()).isTrue();
    assertThat(temporary.validLifetime()).isEqualTo(Lifetime.atMost(604_800));
    assertThat(temporary.preferredLifetime()).isEqualTo(Lifetime.atMost(86_400));
    assertThat(addresses.get(3).scopeName()).isEqualTo("link");
    HostAddress deprecatedTentative = addresses.get(4);
    assertThat(deprecatedTentative.flags().temporary()).isTrue();
    assertThat(deprecatedTentative.flags().deprecated()).isTrue();
    assertThat(deprecatedTentative.flags().tentative()).isTrue();
  }

  @Test
  void ipv4DefaultRoutesInFileOrderWithLittleEndianGateways() {
    List<DefaultRoute> routes = ProcFiles.parseIpv4DefaultRoutes(ROUTE);
    assertThat(routes).containsExactly(
        new DefaultRoute(IpFamily.IPV4, "eth0", Addresses.fromBytes(new byte[] {(byte) 192, (byte) 168, 1, 1}), 100),
        new DefaultRoute(IpFamily.IPV4, "wg0", null, 50));
    assertThat(routes.get(0).gatewayText()).isEqualTo("192.168.1.1");
  }

  @Test
  void ipv6DefaultRoutesNeedAGatewayLikeKubernetesReadsThem() {
    assertThatThrownBy(() -> ProcFiles.parseIpv6DefaultRoutes(IPV6_ROUTE))
        .as("a 31-digit gateway is malformed and named with its line")
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/proc/net/ipv6_route line 2");
    String wellFormed = IPV6_ROUTE.lines().filter(line -> !line.contains("fe80000000000000000000000000000 1")).reduce("", (a, b) -> a + b + "\n");
    List<DefaultRoute> routes = ProcFiles.parseIpv6DefaultRoutes(wellFormed);
    assertThat(routes).hasSize(1);
    assertThat(routes.get(0).interfaceName()).isEqualTo("eth0");
    assertThat(routes.get(0).gatewayText()).isEqualTo("fd00:c0ff:ee::1");
    assertThat(routes.get(0).metric()).isEqualTo(0x400);
  }

  @Test
  void malformedIfInet6NamesFileAndLine() {
    assertThatThrownBy(() -> ProcFiles.parseIfInet6("fd00 02 40 00 80 eth0\n", List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/proc/net/if_inet6 line 1");
  }
}
