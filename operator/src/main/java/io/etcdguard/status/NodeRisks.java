package io.etcdguard.status;

import io.etcdguard.api.v1alpha1.NodeRiskStatus;
import io.etcdguard.api.v1alpha1.PostureMode;
import io.etcdguard.check.CheckResult;
import io.etcdguard.classify.HostReports;
import io.etcdguard.classify.NodePosture;
import io.etcdguard.classify.RiskFinding;
import java.util.List;
import java.util.Optional;

/** Pure: the posture part of the status ({@code status.nodesAtRisk[]} and the RestartSafe condition's fields). */
public final class NodeRisks {
  private NodeRisks() {}

  /** The RestartSafe condition's status, reason and message. */
  public record RestartSafe(String status, String reason, String message) {}

  public static List<NodeRiskStatus> of(CheckResult result) {
    return result.nodesAtRisk().stream().map(NodeRisks::entry).toList();
  }

  static NodeRiskStatus entry(NodePosture posture) {
    RiskFinding primary = posture.primary().orElseThrow();
    NodeRiskStatus s = new NodeRiskStatus();
    s.setNode(posture.nodeName());
    s.setMember(posture.memberName());
    s.setRisk(primary.risk().name());
    s.setRisks(posture.risks().stream().map(r -> r.risk().name()).toList());
    s.setMessage(primary.message());
    s.setFix(primary.fix());
    s.setPredictedAddress(primary.predictedAddress());
    s.setReport(report(posture));
    return s;
  }

  /** When the report was read; not its age, which would change the status at every check. */
  static String report(NodePosture posture) {
    return switch (posture.report()) {
      case MISSING -> "none";
      case STALE -> "read at " + posture.reportObservedAt() + ", stale (older than " + HostReports.STALE_AFTER_HEARTBEATS
          + " heartbeats): ignored";
      case FRESH -> "read at " + posture.reportObservedAt();
    };
  }

  /** True when no etcd Node is predicted to fail its next start; False naming the first that is; Unknown when facts are missing. */
  public static RestartSafe restartSafe(CheckResult result) {
    if (result.postureMode() == PostureMode.Ignore) {
      return new RestartSafe("Unknown", ConditionReasons.POSTURE_IGNORED, "spec.posture is Ignore: the restart posture is not judged");
    }
    Optional<NodePosture> failing = result.postures().stream().filter(NodePosture::restartWouldFail).findFirst();
    if (failing.isPresent()) {
      long count = result.postures().stream().filter(NodePosture::restartWouldFail).count();
      RiskFinding risk = failing.get().primary().orElseThrow();
      return new RestartSafe("False", ConditionReasons.RESTART_WOULD_FAIL, "node " + failing.get().nodeName() + ": "
          + risk.risk() + (count > 1 ? " (and " + (count - 1) + " more Nodes, see status.nodesAtRisk)" : "") + ": " + risk.message());
    }
    Optional<NodePosture> unknown = result.postures().stream().filter(NodePosture::factsMissing).findFirst();
    if (unknown.isPresent()) {
      return new RestartSafe("Unknown", ConditionReasons.POSTURE_FACTS_MISSING, "node " + unknown.get().nodeName()
          + " auto-detects (or may auto-detect) its node address and " + unknown.get().missingFacts()
          + ": what its next start would pick is not known");
    }
    return new RestartSafe("True", ConditionReasons.NO_NODE_AT_RISK, "No etcd Node would pick another address at its next start ("
        + result.postures().size() + " judged)");
  }
}
