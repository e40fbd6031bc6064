package io.etcdguard.classify;

import java.net.InetAddress;

/** An IPv4 or IPv6 network such as 192.168.1.0/24 or fd00::/64. */
public record Cidr(InetAddress network, int prefixLength, String text) {

  /**
   * Parses a CIDR; host bits may be set (192.168.1.30/24 means 192.168.1.0/24, as Kubernetes' cidr() allows).
   *
   * @throws IllegalArgumentException with the text when it is not a CIDR
   */
  public static Cidr parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    int slash = trimmed.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("'" + text + "' is not a CIDR (expected address/prefix, e.g. 192.168.1.0/24)");
    }
    InetAddress address = PeerAddress.parseLiteral(trimmed.substring(0, slash))
        .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not a CIDR: bad address"));
    int bits = address.getAddress().length * 8;
    int prefix;
    try {
      prefix = Integer.parseInt(trimmed.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a CIDR: bad prefix length");
    }
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("'" + text + "' is not a CIDR: prefix length must be 0.." + bits);
    }
    return new Cidr(address, prefix, trimmed);
  }

  public boolean contains(InetAddress candidate) {
    byte[] net = network.getAddress();
    byte[] ip = candidate.getAddress();
    if (net.length != ip.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (net[i] != ip[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (net[full] & mask) == (ip[full] & mask);
  }

  @Override
  public String toString() {
    return text;
  }
}
