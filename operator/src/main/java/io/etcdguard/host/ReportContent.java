package io.etcdguard.host;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Whether two reads of a host say the same thing. Lifetimes count down between reads, so a finite lifetime is
 * compared as the moment it ends (observedAt + seconds), within a tolerance; everything else must be equal.
 * Pure; the publisher patches only when this says the content changed (or the heartbeat is due).
 */
public final class ReportContent {
  /** The kernel computes remaining lifetimes in whole seconds from jiffies: a few seconds of jitter is noise. */
  public static final Duration LIFETIME_TOLERANCE = Duration.ofSeconds(5);

  private ReportContent() {}

  public static boolean same(NodeHostReport previous, NodeHostReport current) {
    HostSnapshot a = previous.snapshot();
    HostSnapshot b = current.snapshot();
    if (!previous.nodeName().equals(current.nodeName()) || a.source() != b.source()
        || !a.interfaces().equals(b.interfaces()) || !a.defaultRoutes().equals(b.defaultRoutes())
        || !a.sysctls().equals(b.sysctls()) || !a.unreadable().equals(b.unreadable())
        || !previous.predictions().equals(current.predictions())) {
      return false;
    }
    List<HostAddress> before = a.addresses();
    List<HostAddress> after = b.addresses();
    if (before.size() != after.size()) {
      return false;
    }
    for (int i = 0; i < before.size(); i++) {
      HostAddress x = before.get(i);
      HostAddress y = after.get(i);
      boolean sameAddress = x.interfaceName().equals(y.interfaceName()) && x.ifindex() == y.ifindex()
          && x.address().equals(y.address()) && x.prefixLength() == y.prefixLength() && x.scope() == y.scope()
          && x.flags().equals(y.flags());
      if (!sameAddress || !sameEnd(x.validLifetime(), a.readAt(), y.validLifetime(), b.readAt())
          || !sameEnd(x.preferredLifetime(), a.readAt(), y.preferredLifetime(), b.readAt())) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameEnd(Lifetime x, Instant xRead, Lifetime y, Instant yRead) {
    if (x.kind() != y.kind()) {
      return false;
    }
    if (x.kind() != Lifetime.Kind.FINITE) {
      return java.util.Objects.equals(x.seconds(), y.seconds());
    }
    Instant xEnd = xRead.plusSeconds(x.seconds());
    Instant yEnd = yRead.plusSeconds(y.seconds());
    return Duration.between(xEnd, yEnd).abs().compareTo(LIFETIME_TOLERANCE) <= 0;
  }
}
