package io.etcdguard.classify;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Facts about an IP address that need no host: scope, ULA, EUI-64 interface id. */
final class AddressKinds {
  private AddressKinds() {}

  static boolean isLoopbackOrLinkLocal(InetAddress a) {
    return a.isLoopbackAddress() || a.isLinkLocalAddress();
  }

  /** Global unicast (2000::/3) or unique local (fc00::/7): the kinds SLAAC temporary addresses are made in. */
  static boolean isGlobalOrUniqueLocalIPv6(InetAddress a) {
    if (!(a instanceof Inet6Address)) {
      return false;
    }
    int first = a.getAddress()[0] & 0xff;
    boolean global = (first & 0xe0) == 0x20;
    boolean uniqueLocal = (first & 0xfe) == 0xfc;
    return global || uniqueLocal;
  }

  /**
   * Modified EUI-64 interface ids carry ff:fe in the middle (bytes 11 and 12): derived from a MAC,
   * stable, and never temporary.
   */
  static boolean hasEui64InterfaceId(InetAddress a) {
    byte[] b = a.getAddress();
    return b.length == 16 && b[11] == (byte) 0xff && b[12] == (byte) 0xfe;
  }
}
