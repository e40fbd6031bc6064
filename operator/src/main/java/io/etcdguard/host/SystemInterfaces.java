package io.etcdguard.host;

import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What {@code java.net.NetworkInterface} tells without netlink: the interfaces and their IPv4 addresses (it has
 * no IPv6 flags or lifetimes). Only the /proc fallback uses it.
 */
public interface SystemInterfaces {
  List<NetInterface> interfaces() throws SocketException;

  /** IPv4 addresses; flags and lifetimes unknown, scope derived from the address. */
  List<HostAddress> ipv4Addresses() throws SocketException;

  SystemInterfaces JAVA_NET = new SystemInterfaces() {
    @Override
    public List<NetInterface> interfaces() throws SocketException {
      List<NetInterface> interfaces = new ArrayList<>();
      for (NetworkInterface each : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        interfaces.add(new NetInterface(each.getIndex(), each.getName(), each.isUp(), each.isLoopback()));
      }
      interfaces.sort(java.util.Comparator.comparingInt(NetInterface::ifindex));
      return interfaces;
    }

    @Override
    public List<HostAddress> ipv4Addresses() throws SocketException {
      List<HostAddress> addresses = new ArrayList<>();
      List<NetworkInterface> all = new ArrayList<>(Collections.list(NetworkInterface.getNetworkInterfaces()));
      all.sort(java.util.Comparator.comparingInt(NetworkInterface::getIndex));
      for (NetworkInterface each : all) {
        for (InterfaceAddress address : each.getInterfaceAddresses()) {
          if (address.getAddress() instanceof Inet4Address ipv4) {
            int scope = ipv4.isLoopbackAddress() ? HostAddress.RT_SCOPE_HOST
                : ipv4.isLinkLocalAddress() ? HostAddress.RT_SCOPE_LINK : HostAddress.RT_SCOPE_UNIVERSE;
            addresses.add(new HostAddress(each.getName(), each.getIndex(), Addresses.fromBytes(ipv4.getAddress()),
                address.getNetworkPrefixLength(), scope, AddressFlags.NONE, Lifetime.UNKNOWN, Lifetime.UNKNOWN));
          }
        }
      }
      return addresses;
    }
  };
}
