package io.etcdguard.host;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * One address on one interface, as the kernel lists it. {@code scope} is the rtnetlink scope (0 global,
 * 200 site, 253 link, 254 host). Lifetimes are {@link Lifetime#UNKNOWN} unless read over netlink.
 */
public record HostAddress(
    String interfaceName,
    int ifindex,
    InetAddress address,
    int prefixLength,
    int scope,
    AddressFlags flags,
    Lifetime validLifetime,
    Lifetime preferredLifetime) {

  public static final int RT_SCOPE_UNIVERSE = 0;
  public static final int RT_SCOPE_SITE = 200;
  public static final int RT_SCOPE_LINK = 253;
  public static final int RT_SCOPE_HOST = 254;

  public HostAddress {
    if (address == null) {
      throw new IllegalArgumentException("address is required");
    }
    if (flags == null || validLifetime == null || preferredLifetime == null) {
      throw new IllegalArgumentException("flags and lifetimes are required for " + address.getHostAddress());
    }
  }

  public IpFamily family() {
    return address instanceof Inet4Address ? IpFamily.IPV4 : IpFamily.IPV6;
  }

  /** The address without zone or brackets, IPv6 in its compressed form (fd00:c0ff:ee::1e). */
  public String text() {
    return Addresses.text(address);
  }

  public static String scopeName(int scope) {
    return switch (scope) {
      case RT_SCOPE_UNIVERSE -> "global";
      case RT_SCOPE_SITE -> "site";
      case RT_SCOPE_LINK -> "link";
      case RT_SCOPE_HOST -> "host";
      default -> Integer.toString(scope);
    };
  }

  public String scopeName() {
    return scopeName(scope);
  }

  /** An IPv6 address that is not IPv4-mapped. */
  public boolean isIpv6() {
    return address instanceof Inet6Address;
  }
}
