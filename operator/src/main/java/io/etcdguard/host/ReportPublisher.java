package io.etcdguard.host;

import io.etcdguard.api.v1alpha1.NodeAddressReport;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Publishes one Node's {@link NodeAddressReport}: creates it, then patches its spec only when the content
 * changed ({@link ReportContent#same}) or when the last write is a heartbeat old, so that a reader can tell a
 * live agent from a dead one by {@code spec.observedAt}. Needs create/get/patch on nodeaddressreports only.
 */
public final class ReportPublisher {
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofMinutes(5);

  public enum Outcome { CREATED, PATCHED_CHANGED, PATCHED_HEARTBEAT, UNCHANGED }

  private final ReportApi api;
  private final Clock clock;
  private final Duration heartbeat;
  private NodeHostReport lastWritten;
  private Instant lastWrittenAt;

  public ReportPublisher(ReportApi api, Clock clock, Duration heartbeat) {
    if (heartbeat.isZero() || heartbeat.isNegative()) {
      throw new IllegalArgumentException("heartbeat must be positive, got " + heartbeat);
    }
    this.api = api;
    this.clock = clock;
    this.heartbeat = heartbeat;
  }

  public Outcome publish(NodeAddressReport desired) {
    String name = desired.getMetadata().getName();
    NodeHostReport current = NodeAddressReports.toHostReport(desired);
    if (lastWritten == null) {
      NodeAddressReport existing = api.get(name);
      if (existing == null) {
        return create(desired, current);
      }
      try {
        lastWritten = NodeAddressReports.toHostReport(existing);
        lastWrittenAt = lastWritten.observedAt();
      } catch (IllegalArgumentException malformed) {
        return patch(desired, current, Outcome.PATCHED_CHANGED); // someone else's or an older shape: rewrite it
      }
    }
    if (!ReportContent.same(lastWritten, current)) {
      return patch(desired, current, Outcome.PATCHED_CHANGED);
    }
    if (!clock.instant().isBefore(lastWrittenAt.plus(heartbeat))) {
      return patch(desired, current, Outcome.PATCHED_HEARTBEAT);
    }
    return Outcome.UNCHANGED;
  }

  private Outcome create(NodeAddressReport desired, NodeHostReport current) {
    api.create(desired);
    remember(current);
    return Outcome.CREATED;
  }

  /** A JSON patch that replaces the whole spec: fields that became absent go too (a merge patch would keep them). */
  private Outcome patch(NodeAddressReport desired, NodeHostReport current, Outcome outcome) {
    try {
      api.replaceSpec(desired.getMetadata().getName(), desired.getSpec());
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
      return create(desired, current); // deleted behind our back
    }
    remember(current);
    return outcome;
  }

  private void remember(NodeHostReport current) {
    lastWritten = current;
    lastWrittenAt = clock.instant();
  }
}
