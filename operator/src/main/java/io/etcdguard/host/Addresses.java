package io.etcdguard.host;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Address helpers shared by the readers and the predictor; no name lookups anywhere. */
public final class Addresses {
  private Addresses() {}

  /** From raw bytes (4 or 16); never a DNS lookup. */
  public static InetAddress fromBytes(byte[] bytes) {
    if (bytes.length != 4 && bytes.length != 16) {
      throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + bytes.length);
    }
    try {
      if (bytes.length == 16) {
        // Inet6Address.getByAddress keeps an IPv4-mapped address as IPv6 (InetAddress.getByAddress would not).
        return Inet6Address.getByAddress(null, bytes, null);
      }
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Canonical text: IPv4 dotted, IPv6 compressed per RFC 5952 (longest zero run as ::), lower case. */
  public static String text(InetAddress address) {
    if (address instanceof Inet4Address) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 0;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int start = i;
      while (i < 8 && groups[i] == 0) {
        i++;
      }
      if (i - start > bestLength && i - start >= 2) {
        bestStart = start;
        bestLength = i - start;
      }
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }

  /**
   * Go's {@code net.IP.IsGlobalUnicast}, which Kubernetes' {@code ChooseHostInterface} uses: not unspecified,
   * loopback, multicast, link-local unicast (169.254/16, fe80::/10) or the IPv4 broadcast address. Private
   * IPv4 and IPv6 ULA (fd00::/8) addresses are global unicast by this rule.
   */
  public static boolean isGlobalUnicast(InetAddress address) {
    if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isMulticastAddress()
        || address.isLinkLocalAddress()) {
      return false;
    }
    byte[] bytes = address.getAddress();
    if (bytes.length == 4) {
      return !((bytes[0] & 0xff) == 255 && (bytes[1] & 0xff) == 255 && (bytes[2] & 0xff) == 255 && (bytes[3] & 0xff) == 255);
    }
    return true;
  }
}
