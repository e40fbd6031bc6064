package io.etcdguard.host;

import java.net.InetAddress;

/**
 * A default route (destination 0.0.0.0/0 or ::/0) as {@code /proc/net/route} and {@code /proc/net/ipv6_route}
 * list it, in file order: the order Kubernetes' {@code ChooseHostInterface} walks them (it ignores the metric).
 * {@code gateway} is null for an on-link IPv4 default route (gateway 0.0.0.0).
 */
public record DefaultRoute(IpFamily family, String interfaceName, InetAddress gateway, long metric) {
  public DefaultRoute {
    if (family == null || interfaceName == null || interfaceName.isEmpty()) {
      throw new IllegalArgumentException("a default route needs a family and an interface");
    }
  }

  public String gatewayText() {
    return gateway == null ? null : Addresses.text(gateway);
  }
}
