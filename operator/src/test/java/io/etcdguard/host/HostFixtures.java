package io.etcdguard.host;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Small builders for host snapshots in tests. */
final class HostFixtures {
  static final Instant READ_AT = Instant.parse("2026-11-30T12:00:00Z");

  private HostFixtures() {}

  static InetAddress ip(String literal) {
    try {
      return Addresses.fromBytes(InetAddress.getByName(literal).getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  static HostAddress address(String interfaceName, String cidr, int... flagBits) {
    String[] parts = cidr.split("/");
    InetAddress address = ip(parts[0]);
    int bits = 0;
    for (int flag : flagBits) {
      bits |= flag;
    }
    int scope = address.isLinkLocalAddress() ? HostAddress.RT_SCOPE_LINK
        : address.isLoopbackAddress() ? HostAddress.RT_SCOPE_HOST : HostAddress.RT_SCOPE_UNIVERSE;
    boolean temporary = (bits & AddressFlags.IFA_F_TEMPORARY) != 0;
    return new HostAddress(interfaceName, 0, address, Integer.parseInt(parts[1]), scope, AddressFlags.fromBits(bits),
        temporary ? Lifetime.seconds(600_000) : Lifetime.FOREVER, temporary ? Lifetime.seconds(80_000) : Lifetime.FOREVER);
  }

  static DefaultRoute route4(String interfaceName, String gateway, long metric) {
    return new DefaultRoute(IpFamily.IPV4, interfaceName, gateway == null ? null : ip(gateway), metric);
  }

  static DefaultRoute route6(String interfaceName, String gateway) {
    return new DefaultRoute(IpFamily.IPV6, interfaceName, ip(gateway), 1024);
  }

  static NetInterface up(String name) {
    return new NetInterface(0, name, true, name.equals("lo"));
  }

  static NetInterface down(String name) {
    return new NetInterface(0, name, false, false);
  }

  static HostSnapshot snapshot(HostSnapshot.Source source, List<NetInterface> interfaces, List<HostAddress> addresses,
      List<DefaultRoute> routes) {
    List<InterfaceSysctls> sysctls = new ArrayList<>();
    for (NetInterface each : interfaces) {
      sysctls.add(new InterfaceSysctls(each.name(), 2, 86_400L, 604_800L));
    }
    return new HostSnapshot(source, interfaces, addresses, routes, sysctls, List.of(), READ_AT);
  }

  static HostSnapshot netlink(List<NetInterface> interfaces, List<HostAddress> addresses, List<DefaultRoute> routes) {
    return snapshot(HostSnapshot.Source.NETLINK, interfaces, addresses, routes);
  }
}
