package io.etcdguard.classify;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The restart posture of one etcd server Node (a Node that holds a member).
 *
 * @param memberName the member on it
 * @param risks the posture findings, most urgent first
 * @param report whether the Node's agent report was there and fresh
 * @param reportAge the report's age at the check, or null when there is none
 * @param reportObservedAt when the report's host facts were read, or null when there is none
 * @param factsMissing a restart cannot be judged: the address is not known to be pinned and no fresh report tells
 *     what a start would pick
 */
public record NodePosture(String nodeName, String memberName, List<RiskFinding> risks, HostReports.State report,
    Duration reportAge, java.time.Instant reportObservedAt, boolean factsMissing) {
  public NodePosture {
    risks = risks.stream().sorted(Comparator.comparing(RiskFinding::risk, Risk.MOST_URGENT_FIRST)).toList();
  }

  public boolean atRisk() {
    return !risks.isEmpty();
  }

  public Optional<RiskFinding> primary() {
    return risks.stream().findFirst();
  }

  /** A start now or at boot is predicted to fail. */
  public boolean restartWouldFail() {
    return risks.stream().anyMatch(r -> r.risk() == Risk.RestartRisk);
  }

  /** Why the facts are missing, e.g. "no report from its agent" or "its agent's report is 47m old", else null. */
  public String missingFacts() {
    if (!factsMissing) {
      return null;
    }
    return report == HostReports.State.STALE
        ? "the report of its agent is " + HostReports.describe(reportAge) + " old (older than " + HostReports.STALE_AFTER_HEARTBEATS
            + " heartbeats): ignored"
        : "no report from its agent";
  }
}
