package io.etcdguard.host;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

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
    return records(IF_INET6, text, null, f -> f.length >= 6 && f[0].length() == 32,
        "expected: 32-hex-digit address, ifindex, prefix, scope, flags, name", fields -> {
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
          return new HostAddress(name, ifindex, address, prefixLength, scope, flags, valid, preferred);
        });
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
    return records(ROUTE, text, "Iface", f -> f.length >= 7 && f[1].length() == 8 && f[2].length() == 8,
        "expected: Iface Destination Gateway Flags RefCnt Use Metric ...", fields -> {
          if (!fields[1].equals("00000000")) {
            return null;
          }
          byte[] gateway = HexFormat.of().parseHex(fields[2]);
          byte[] bigEndian = {gateway[3], gateway[2], gateway[1], gateway[0]};
          InetAddress gatewayAddress = fields[2].equals("00000000") ? null : Addresses.fromBytes(bigEndian);
          return new DefaultRoute(IpFamily.IPV4, fields[0], gatewayAddress, Long.parseLong(fields[6]));
        });
  }

  /**
   * {@code /proc/net/ipv6_route}: the IPv6 default routes (destination ::/0 with a gateway; Kubernetes skips the
   * gateway-less ones, such as the kernel's unreachable default on lo), in file order.
   */
  public static List<DefaultRoute> parseIpv6DefaultRoutes(String text) {
    return records(IPV6_ROUTE, text, null, f -> f.length >= 10 && f[0].length() == 32 && f[4].length() == 32,
        "expected: dest plen src plen gateway metric refcnt use flags iface", fields -> {
          if (!fields[0].equals(ZERO_IPV6) || !fields[1].equals("00") || fields[4].equals(ZERO_IPV6)) {
            return null;
          }
          InetAddress gateway = Addresses.fromBytes(HexFormat.of().parseHex(fields[4]));
          return new DefaultRoute(IpFamily.IPV6, fields[9], gateway, Long.parseLong(fields[5], 16));
        });
  }

  /**
   * The records of a /proc table, one a line, in file order: blank lines and a header line (starting with
   * {@code header}, or none) skipped; a line whose fields are not {@code wellFormed}, or that {@code record} cannot
   * parse (an IllegalArgumentException), is an error naming the file and line; a record of null is left out.
   */
  private static <T> List<T> records(String file, String text, String header, Predicate<String[]> wellFormed,
      String expected, Function<String[], T> record) {
    List<T> records = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.isEmpty() || (header != null && line.startsWith(header))) {
        continue;
      }
      String[] fields = line.split("\\s+");
      if (!wellFormed.test(fields)) {
        throw malformed(file, i, line, expected);
      }
      T parsed;
      try {
        parsed = record.apply(fields);
      } catch (IllegalArgumentException e) {
        throw malformed(file, i, line, e.getMessage());
      }
      if (parsed != null) {
        records.add(parsed);
      }
    }
    return records;
  }

  private static IllegalArgumentException malformed(String file, int lineIndex, String line, String detail) {
    return new IllegalArgumentException("/proc/" + file + " line " + (lineIndex + 1) + " is malformed (" + detail + "): " + line);
  }
}
