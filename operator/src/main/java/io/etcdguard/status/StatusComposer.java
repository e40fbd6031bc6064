package io.etcdguard.status;

import io.etcdguard.check.CheckOutcome;
import static io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus.CONDITION_COMPLIANT;
import static io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus.CONDITION_ETCD_REACHABLE;
import static io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus.CONDITION_QUORUM_HEALTHY;
import static io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus.CONDITION_READY;
import static io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus.CONDITION_RESTART_SAFE;

import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.api.v1alpha1.PolicySummary;
import io.etcdguard.check.CheckResult;
import io.etcdguard.classify.MembershipHealth;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the next status from the previous one and a check outcome. Pure: the reconciler decides
 * whether to patch by comparing the two, so an unchanged cluster costs no API write.
 */
public final class StatusComposer {
  /** Without a change, lastCheckTime is still refreshed this often, so the status shows the operator is alive. */
  public static final Duration HEARTBEAT = Duration.ofMinutes(5);

  private StatusComposer() {}

  public static NodeAddressPolicyStatus compose(NodeAddressPolicyStatus previous, long generation, CheckOutcome outcome, Instant now) {
    NodeAddressPolicyStatus next = new NodeAddressPolicyStatus();
    next.setObservedGeneration(generation);
    String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<Condition> old = previous == null ? List.of() : previous.getConditions();
    List<Condition> conditions = new ArrayList<>();

    if (outcome instanceof CheckOutcome.Checked checked) {
      CheckResult result = checked.result();
      next.setClusterID(result.clusterIdHex());
      MembershipHealth health = result.health();
      next.setMembers(MemberStatuses.of(result));
      next.setSummary(MemberStatuses.summary(result));
      next.setNodesAtRisk(NodeRisks.of(result));
      long violations = result.violations();
      conditions.add(condition(old, CONDITION_READY, "True", ConditionReasons.CHECK_SUCCEEDED,
          "Checked " + result.verdicts().size() + " etcd members", generation, timestamp));
      conditions.add(condition(old, CONDITION_ETCD_REACHABLE, "True", ConditionReasons.MEMBER_LIST_SUCCEEDED,
          "etcd answered MemberList", generation, timestamp));
      conditions.add(quorumCondition(old, health, generation, timestamp));
      if (health.quorumLost()) {
        // The member list came from one member's local copy, which nothing can update without quorum.
        conditions.add(condition(old, CONDITION_COMPLIANT, "Unknown", ConditionReasons.QUORUM_LOST,
            "etcd has lost quorum (" + health.healthyVoters() + " of " + health.voters() + " voters healthy): the "
                + "member list may be stale, so compliance is not known", generation, timestamp));
      } else if (violations == 0 && result.postureViolations() > 0) {
        conditions.add(condition(old, CONDITION_COMPLIANT, "False", ConditionReasons.NODES_AT_RISK,
            result.postureViolations() + " etcd Nodes at risk count as violations (spec.posture Enforce): "
                + String.join(", ", next.getNodesAtRisk().stream().map(n -> n.getNode() + " (" + n.getRisk() + ")").toList()),
            generation, timestamp));
      } else {
        conditions.add(violations == 0
          ? condition(old, CONDITION_COMPLIANT, "True", ConditionReasons.ALL_MEMBERS_COMPLY,
              "All " + result.verdicts().size() + " members advertise acceptable peer addresses", generation, timestamp)
          : condition(old, CONDITION_COMPLIANT, "False", ConditionReasons.MEMBERS_VIOLATE_POLICY,
              violations + " of " + result.verdicts().size() + " members violate the policy: " + violators(next)
                  + (result.postureViolations() > 0 ? "; and " + result.postureViolations() + " Nodes at risk (spec.posture Enforce)" : ""),
              generation, timestamp));
      }
      NodeRisks.RestartSafe restartSafe = NodeRisks.restartSafe(result);
      conditions.add(condition(old, CONDITION_RESTART_SAFE, restartSafe.status(), restartSafe.reason(), restartSafe.message(),
          generation, timestamp));
    } else if (outcome instanceof CheckOutcome.EtcdUnreachable down) {
      keepLastKnownMembers(previous, next);
      conditions.add(condition(old, CONDITION_READY, "False", ConditionReasons.ETCD_UNREACHABLE, down.message(), generation, timestamp));
      conditions.add(condition(old, CONDITION_ETCD_REACHABLE, "False", ConditionReasons.ETCD_UNREACHABLE, down.message(), generation, timestamp));
      conditions.add(condition(old, CONDITION_QUORUM_HEALTHY, "Unknown", ConditionReasons.ETCD_UNREACHABLE,
          "No etcd member answered", generation, timestamp));
      // Never a stale "compliant": without a member list nothing is known.
      conditions.add(condition(old, CONDITION_COMPLIANT, "Unknown", ConditionReasons.CHECK_FAILED,
          "etcd is unreachable; members last seen are kept in status.members", generation, timestamp));
      conditions.add(condition(old, CONDITION_RESTART_SAFE, "Unknown", ConditionReasons.CHECK_FAILED,
          "etcd is unreachable: the member list a restart is checked against is not known", generation, timestamp));
    } else if (outcome instanceof CheckOutcome.Invalid invalid) {
      keepLastKnownMembers(previous, next);
      conditions.add(condition(old, CONDITION_READY, "False", invalid.conditionReason(), invalid.message(), generation, timestamp));
      conditions.add(condition(old, CONDITION_ETCD_REACHABLE, "Unknown", invalid.conditionReason(),
          "Not checked: " + invalid.message(), generation, timestamp));
      conditions.add(condition(old, CONDITION_QUORUM_HEALTHY, "Unknown", invalid.conditionReason(),
          "Not checked: " + invalid.message(), generation, timestamp));
      conditions.add(condition(old, CONDITION_COMPLIANT, "Unknown", ConditionReasons.CHECK_FAILED,
          "Not checked: " + invalid.message(), generation, timestamp));
      conditions.add(condition(old, CONDITION_RESTART_SAFE, "Unknown", ConditionReasons.CHECK_FAILED,
          "Not checked: " + invalid.message(), generation, timestamp));
    }
    next.setConditions(conditions);
    boolean unchanged = previous != null && sameIgnoringTime(previous, next);
    boolean heartbeatDue = previous == null || previous.getLastCheckTime() == null
        || Instant.parse(previous.getLastCheckTime()).plus(HEARTBEAT).isBefore(now);
    next.setLastCheckTime(unchanged && !heartbeatDue ? previous.getLastCheckTime() : timestamp);
    return next;
  }

  /**
   * The status after a failed reconciliation: the last persisted status, with Ready False (ReconcileError)
   * saying why. Everything else is kept, so the Events of the next successful check are still planned
   * against what was last written.
   */
  public static NodeAddressPolicyStatus reconcileFailed(NodeAddressPolicyStatus previous, long generation, String message, Instant now) {
    NodeAddressPolicyStatus next = new NodeAddressPolicyStatus();
    String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<Condition> old = previous == null ? List.of() : previous.getConditions();
    List<Condition> conditions = new ArrayList<>();
    conditions.add(condition(old, CONDITION_READY, "False", ConditionReasons.RECONCILE_ERROR,
        "The last check could not complete and is retried with backoff: " + message, generation, timestamp));
    old.stream().filter(c -> !CONDITION_READY.equals(c.getType())).forEach(conditions::add);
    if (previous != null) {
      next.setObservedGeneration(previous.getObservedGeneration());
      next.setClusterID(previous.getClusterID());
      next.setMembers(previous.getMembers());
      next.setSummary(previous.getSummary());
      next.setLastCheckTime(previous.getLastCheckTime());
    }
    next.setConditions(conditions);
    return next;
  }

  private static Condition quorumCondition(List<Condition> old, MembershipHealth health, long generation,
      String timestamp) {
    if (!health.known()) {
      return condition(old, CONDITION_QUORUM_HEALTHY, "Unknown", ConditionReasons.HEALTH_NOT_OBSERVED,
          "The members' own health was not observed", generation, timestamp);
    }
    String figures = health.healthyVoters() + " of " + health.voters() + " voters healthy";
    if (health.quorumLost()) {
      return condition(old, CONDITION_QUORUM_HEALTHY, "False", ConditionReasons.QUORUM_LOST,
          "Quorum lost: " + figures + ", " + (health.voters() / 2 + 1) + " needed; etcd cannot commit anything",
          generation, timestamp);
    }
    if (health.faultTolerance() == 0) {
      return condition(old, CONDITION_QUORUM_HEALTHY, "True", ConditionReasons.NO_FAULT_TOLERANCE,
          "Quorum holds with no margin: " + figures + "; one more voter failure stops etcd" + atRisk(health), generation, timestamp);
    }
    return condition(old, CONDITION_QUORUM_HEALTHY, "True", ConditionReasons.FAULT_TOLERANT,
        "Quorum holds: " + figures + "; " + health.faultTolerance() + " more may fail" + atRisk(health), generation, timestamp);
  }

  /** The healthy voters expected to fail, and what is left when they have: "" when none. */
  private static String atRisk(MembershipHealth health) {
    if (health.atRisk().isEmpty()) {
      return "";
    }
    int after = health.faultToleranceAfterExpiry();
    return "; but " + health.atRiskVoters() + " healthy voter(s) are expected to fail (" + String.join("; ", health.atRisk().values())
        + "): after that " + (after < 0 ? "quorum is lost" : after == 0 ? "no further failure is tolerated" : after + " more may fail");
  }

  private static String violators(NodeAddressPolicyStatus status) {
    return String.join(", ", status.getMembers().stream().filter(m -> !m.isCompliant())
        .map(m -> (m.getName().isEmpty() ? m.getId() : m.getName()) + " ("
            + String.join(", ", m.getReasons().stream().map(r -> r.getReason()).distinct().toList()) + ")")
        .toList());
  }

  private static void keepLastKnownMembers(NodeAddressPolicyStatus previous, NodeAddressPolicyStatus next) {
    if (previous != null) {
      next.setClusterID(previous.getClusterID());
      next.setMembers(previous.getMembers());
      next.setNodesAtRisk(previous.getNodesAtRisk());
      next.setSummary(previous.getSummary() == null ? null
          : new PolicySummary(previous.getSummary().getMembers(), previous.getSummary().getViolations()));
    }
  }

  /** A condition whose lastTransitionTime moves only when its status does. */
  private static Condition condition(List<Condition> old, String type, String status, String reason, String message,
      long generation, String now) {
    String since = old.stream().filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime).filter(Objects::nonNull).findFirst().orElse(now);
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withObservedGeneration(generation).withLastTransitionTime(since).build();
  }

  /** Equal but for lastCheckTime. */
  public static boolean sameIgnoringTime(NodeAddressPolicyStatus a, NodeAddressPolicyStatus b) {
    return Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && Objects.equals(a.getClusterID(), b.getClusterID())
        && Objects.equals(a.getMembers(), b.getMembers())
        && Objects.equals(a.getSummary(), b.getSummary())
        && Objects.equals(a.getConditions(), b.getConditions())
        && Objects.equals(a.getNodesAtRisk(), b.getNodesAtRisk());
  }
}
