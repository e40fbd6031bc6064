package io.etcdguard.host;

/**
 * The node address an auto-detecting K3s/RKE2 start would pick, with the interface, the rule that led there
 * ({@code why}), and how sure the prediction is. {@code address} is null when the detection would fail
 * (no default route, or no global address on the routes' interfaces): {@code why} then says so.
 */
public record AddressPrediction(String address, IpFamily family, String interfaceName, String why, Certainty certainty) {

  public enum Certainty {
    /** The addresses were read over netlink, in the kernel's order: the same list K3s walks. */
    CERTAIN,
    /** Read from /proc: the order (and so the pick among several addresses) may differ from the kernel's. */
    UNCERTAIN
  }

  public boolean found() {
    return address != null;
  }
}
