package io.etcdguard.host;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Parsers for the /proc files the agent reads: {@code /proc/net/if_inet6}, {@code /proc/net/route},
 * {@code /proc/net/ipv6_route}. Pure: text in, records out; a malformed line is an
 * {@link IllegalArgumentException} naming the file and line.
 */
public final class ProcFiles {
  public static final String IF_INET6 = "net/if_inet6";
  public static final String ROUTE = "net/route";
  public static final String IPV6_ROUTE = "net/ipv6_route";

  private static final String ZERO_IPV6 = "00000000000000000000000000000000";

  private ProcFiles() {}

  /**
   * {@code /proc/net/if_inet6}: address, ifindex, prefix length, scope, flags (low 8 bits), name; all hex.
   * No lifetimes: valid/preferred are {@code unknown}, bounded by {@code temp_valid_lft}/{@code temp_prefered_lft}
   * for temporary addresses (given per interface by {@code sysctls}), and valid is forever for permanent ones.
   */
  public static List<HostAddress> parseIfInet6(String text, List<InterfaceSysctls> sysctls) {
    List<HostAddress> addresses = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split("\\s+");
      if (fields.length < 6 || fields[0].length() != 32) {
        throw malformed(IF_INET6, i, line, "expected: 32-hex-digit address, ifindex, prefix, scope, flags, name");
      }
      try {
        InetAddress address = Addresses.fromBytes(HexFormat.of().parseHex(fields[0]));
        int ifindex = Integer.parseInt(fields[1], 16);
        int prefixLength = Integer.parseInt(fields[2], 16);
        int scope = rtScopeOfIpv6AddrScope(Integer.parseInt(fields[3], 16));
        int flagBits = Integer.parseInt(fields[4], 16);
        String name = fields[5];
        AddressFlags flags = AddressFlags.fromBits(flagBits);
        InterfaceSysctls bounds = sysctls.stream().filter(s -> s.interfaceName().equals(name)).findFirst().orElse(null);
        Lifetime valid = Lifetime.UNKNOWN;
        Lifetime preferred = Lifetime.UNKNOWN;
        if (flags.permanent()) {
          valid = Lifetime.FOREVER;
        } else if (flags.temporary() && bounds != null) {
          valid = bounds.tempValidLifetime() == null ? Lifetime.UNKNOWN : Lifetime.atMost(bounds.tempValidLifetime());
          preferred = bounds.tempPreferredLifetime() == null ? Lifetime.UNKNOWN : Lifetime.atMost(bounds.tempPreferredLifetime());
        }
        addresses.add(new HostAddress(name, ifindex, address, prefixLength, scope, flags, valid, preferred));
      } catch (IllegalArgumentException e) {
        throw malformed(IF_INET6, i, line, e.getMessage());
      }
    }
    return addresses;
  }

  /** if_inet6 writes the kernel's IPV6_ADDR_SCOPE type bits; the report uses rtnetlink scopes like netlink does. */
  static int rtScopeOfIpv6AddrScope(int ipv6AddrScope) {
    return switch (ipv6AddrScope & 0x70) {
      case 0x10 -> HostAddress.RT_SCOPE_HOST;
      case 0x20 -> HostAddress.RT_SCOPE_LINK;
      case 0x40 -> HostAddress.RT_SCOPE_SITE;
      default -> HostAddress.RT_SCOPE_UNIVERSE;
    };
  }

  /**
   * {@code /proc/net/route}: the IPv4 default routes (destination 00000000, as Kubernetes reads them: the mask is
   * not looked at), in file order. Addresses are little-endian hex.
   */
  public static List<DefaultRoute> parseIpv4DefaultRoutes(String text) {
    List<DefaultRoute> routes = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.isEmpty() || line.startsWith("Iface")) {
        continue;
      }
      String[] fields = line.split("\\s+");
      if (fields.length < 7 || fields[1].length() != 8 || fields[2].length() != 8) {
        throw malformed(ROUTE, i, line, "expected: Iface Destination Gateway Flags RefCnt Use Metric ...");
      }
      try {
        if (!fields[1].equals("00000000")) {
          continue;
        }
        byte[] gateway = HexFormat.of().parseHex(fields[2]);
        byte[] bigEndian = {gateway[3], gateway[2], gateway[1], gateway[0]};
        InetAddress gatewayAddress = fields[2].equals("00000000") ? null : Addresses.fromBytes(bigEndian);
        routes.add(new DefaultRoute(IpFamily.IPV4, fields[0], gatewayAddress, Long.parseLong(fields[6])));
      } catch (IllegalArgumentException e) {
        throw malformed(ROUTE, i, line, e.getMessage());
      }
    }
    return routes;
  }

  /**
   * {@code /proc/net/ipv6_route}: the IPv6 default routes (destination ::/0 with a gateway; Kubernetes skips the
   * gateway-less ones, such as the kernel's unreachable default on lo), in file order.
   */
  public static List<DefaultRoute> parseIpv6DefaultRoutes(String text) {
    List<DefaultRoute> routes = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split("\\s+");
      if (fields.length < 10 || fields[0].length() != 32 || fields[4].length() != 32) {
        throw malformed(IPV6_ROUTE, i, line, "expected: dest plen src plen gateway metric refcnt use flags iface");
      }
      try {
        if (!fields[0].equals(ZERO_IPV6) || !fields[1].equals("00") || fields[4].equals(ZERO_IPV6)) {
          continue;
        }
        InetAddress gateway = Addresses.fromBytes(HexFormat.of().parseHex(fields[4]));
        routes.add(new DefaultRoute(IpFamily.IPV6, fields[9], gateway, Long.parseLong(fields[5], 16)));
      } catch (IllegalArgumentException e) {
        throw malformed(IPV6_ROUTE, i, line, e.getMessage());
      }
    }
    return routes;
  }

  private static IllegalArgumentException malformed(String file, int lineIndex, String line, String detail) {
    return new IllegalArgumentException("/proc/" + file + " line " + (lineIndex + 1) + " is malformed (" + detail + "): " + line);
  }
}
