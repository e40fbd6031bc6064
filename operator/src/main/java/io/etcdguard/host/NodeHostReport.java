package io.etcdguard.host;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One Node's host as its agent reported it, in the host model: what classification reads (from a
 * {@code NodeAddressReport} in the cluster or from an {@code agent --once -o json} file, via
 * {@link NodeAddressReports#toHostReport}). Pure lookups only.
 */
public record NodeHostReport(String nodeName, HostSnapshot snapshot, NodeIpPredictions predictions) {

  public Instant observedAt() {
    return snapshot.readAt();
  }

  public HostSnapshot.Source source() {
    return snapshot.source();
  }

  /** The address on any interface of the Node equal to {@code address} (IPv6 zone ignored), first in kernel order. */
  public Optional<HostAddress> find(InetAddress address) {
    byte[] wanted = address.getAddress();
    return snapshot.addresses().stream().filter(a -> java.util.Arrays.equals(a.address().getAddress(), wanted)).findFirst();
  }

  /** {@code use_tempaddr} of an interface, empty when unknown (unreadable, or no IPv6 on it). */
  public Optional<Integer> useTempaddr(String interfaceName) {
    return snapshot.sysctlsOf(interfaceName).map(InterfaceSysctls::useTempaddr);
  }

  /**
   * When a report is too old to trust: older than {@code heartbeats} heartbeats at {@code now} (the agent refreshes
   * {@code observedAt} at least once per heartbeat).
   */
  public boolean isStale(Instant now, Duration heartbeat, int heartbeats) {
    return observedAt().plus(heartbeat.multipliedBy(heartbeats)).isBefore(now);
  }

  /** When an address stops being valid, from its lifetime at {@link #observedAt()}; empty when forever or unknown. */
  public Optional<Instant> validUntil(HostAddress address) {
    return address.validLifetime().kind() == Lifetime.Kind.FINITE
        ? Optional.of(observedAt().plusSeconds(address.validLifetime().seconds())) : Optional.empty();
  }

  /** When an address becomes deprecated, from its preferred lifetime; empty when forever or unknown. */
  public Optional<Instant> preferredUntil(HostAddress address) {
    return address.preferredLifetime().kind() == Lifetime.Kind.FINITE
        ? Optional.of(observedAt().plusSeconds(address.preferredLifetime().seconds())) : Optional.empty();
  }

  public List<HostAddress> addresses() {
    return snapshot.addresses();
  }
}
