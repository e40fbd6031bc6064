package io.etcdguard.classify;

import java.net.InetAddress;
import java.util.List;

/**
 * What DNS said about a peer URL hostname. Resolution is I/O, so it happens at the edge and its
 * outcome is an input of the classifier.
 *
 * @param failure null when resolved
 */
public record HostResolution(List<InetAddress> addresses, Failure failure, String detail) {
  public enum Failure {
    /** The name does not exist (or has no address). */
    NOT_FOUND,
    /** DNS did not answer within the bound: the name may exist. */
    TIMEOUT
  }

  public HostResolution {
    addresses = List.copyOf(addresses);
  }

  public static HostResolution resolved(List<InetAddress> addresses) {
    return new HostResolution(addresses, null, null);
  }

  public static HostResolution failed(Failure failure, String detail) {
    return new HostResolution(List.of(), failure, detail);
  }
}
