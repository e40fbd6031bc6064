package io.etcdguard.classify;

import io.etcdguard.host.NodeHostReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the node agents reported about their hosts, by Node name, with the moment of the check (the classifier
 * reads no clock) and the agents' heartbeat: a report older than {@link #STALE_AFTER_HEARTBEATS} heartbeats is
 * not trusted and is treated as missing, and the posture says so.
 */
public record HostReports(Map<String, NodeHostReport> byNode, Instant now, Duration heartbeat) {
  public static final int STALE_AFTER_HEARTBEATS = 3;
  /** The agent's default {@code --heartbeat}. */
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofMinutes(5);

  /** No agent reports (file mode without --reports, or no agent installed). */
  public static final HostReports NONE = new HostReports(Map.of(), Instant.EPOCH, DEFAULT_HEARTBEAT);

  public enum State {
    /** No report for the Node. */
    MISSING,
    /** A report older than three heartbeats: ignored. */
    STALE,
    FRESH
  }

  public HostReports {
    byNode = Map.copyOf(byNode);
  }

  public static HostReports of(Map<String, NodeHostReport> byNode, Instant now) {
    return new HostReports(byNode, now, DEFAULT_HEARTBEAT);
  }

  public State state(String nodeName) {
    NodeHostReport report = nodeName == null ? null : byNode.get(nodeName);
    if (report == null) {
      return State.MISSING;
    }
    return report.isStale(now, heartbeat, STALE_AFTER_HEARTBEATS) ? State.STALE : State.FRESH;
  }

  /** The Node's report when it is recent enough to trust. */
  public Optional<NodeHostReport> fresh(String nodeName) {
    return state(nodeName) == State.FRESH ? Optional.of(byNode.get(nodeName)) : Optional.empty();
  }

  /** How old the Node's report is at {@link #now()}, empty when there is none. */
  public Optional<Duration> age(String nodeName) {
    NodeHostReport report = nodeName == null ? null : byNode.get(nodeName);
    return report == null ? Optional.empty() : Optional.of(Duration.between(report.observedAt(), now));
  }

  /** "12m", "3h5m": how people read a report's age. */
  public static String describe(Duration age) {
    long minutes = Math.max(0, age.toMinutes());
    if (minutes < 60) {
      return minutes + "m";
    }
    return minutes / 60 + "h" + (minutes % 60 == 0 ? "" : minutes % 60 + "m");
  }
}
