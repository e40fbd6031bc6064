package io.etcdguard.classify;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;

/**
 * One peer URL of a member with the IP it stands for (the literal, or what its hostname resolved to).
 *
 * @param ip null when the host could not be resolved (then resolutionFailure says why)
 * @param port the URL's port, or -1 when it names none
 */
record Peer(PeerAddress address, InetAddress ip, int port, HostResolution.Failure resolutionFailure, String resolutionDetail) {

  /** The address as findings show it: the IP, or "hostname (ip)". */
  String shown() {
    if (ip == null) {
      return address.display();
    }
    return address.isHostname() ? address.display() + " (" + PeerAddress.toText(ip) + ")" : address.display();
  }

  /** host:port as one member's own endpoint: two members may not share it. */
  String endpointKey() {
    String host = ip != null ? PeerAddress.toText(ip) : address.host().toLowerCase(Locale.ROOT);
    return host + "|" + port;
  }

  static int portOf(String url) {
    try {
      return new URI(url.trim()).getPort();
    } catch (Exception e) {
      return -1;
    }
  }
}
