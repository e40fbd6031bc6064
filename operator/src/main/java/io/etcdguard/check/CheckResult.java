package io.etcdguard.check;

import io.etcdguard.api.v1alpha1.PostureMode;
import io.etcdguard.classify.NodePosture;

import io.etcdguard.advice.Advisor;
import io.etcdguard.classify.AtRiskVoters;
import io.etcdguard.advice.Fix;
import io.etcdguard.classify.Classifier;
import io.etcdguard.classify.ClusterView;
import io.etcdguard.classify.MemberVerdict;
import io.etcdguard.classify.MembershipHealth;
import io.etcdguard.classify.PolicyRules;
import java.util.List;
import java.util.Map;

/**
 * The verdicts of one check, the cluster they are about, the fix of every non-compliant member, and the
 * members' own health.
 *
 * @param fixes by member ID, one per non-compliant member
 * @param health the members' own health; {@link MembershipHealth#unknown()} when not observed (file mode)
 */
public record CheckResult(long clusterId, List<MemberVerdict> verdicts, Map<Long, Fix> fixes, MembershipHealth health,
    List<NodePosture> postures, PostureMode postureMode) {
  public CheckResult {
    verdicts = List.copyOf(verdicts);
    fixes = Map.copyOf(fixes);
    health = health == null ? MembershipHealth.unknown() : health;
    postures = List.copyOf(postures);
    postureMode = postureMode == null ? PostureMode.Warn : postureMode;
  }

  public CheckResult(long clusterId, List<MemberVerdict> verdicts, Map<Long, Fix> fixes, MembershipHealth health) {
    this(clusterId, verdicts, fixes, health, List.of(), PostureMode.Warn);
  }

  /**
   * Classifies the view, judges each etcd Node's restart posture (unless Ignore), counts the healthy voters that
   * are expected to fail ({@link AtRiskVoters}), and advises on every non-compliant member with that margin.
   */
  public static CheckResult of(long clusterId, ClusterView view, PolicyRules rules) {
    Classifier.Assessment assessment = Classifier.assess(view, rules, rules.posture() != PostureMode.Ignore);
    List<MemberVerdict> verdicts = assessment.verdicts();
    List<NodePosture> postures = assessment.postures();
    MembershipHealth health = view.health().withAtRisk(AtRiskVoters.of(view.health(), verdicts, postures));
    return new CheckResult(clusterId, verdicts, Advisor.advise(view.withHealth(health), rules, verdicts), health, postures,
        rules.posture());
  }

  /** The Nodes with a posture finding. */
  public List<NodePosture> nodesAtRisk() {
    return postures.stream().filter(NodePosture::atRisk).toList();
  }

  /** Nodes at risk that count as violations: under Enforce, every one. */
  public long postureViolations() {
    return postureMode == PostureMode.Enforce ? nodesAtRisk().size() : 0;
  }

  /** The fix of a non-compliant member, or null. */
  public Fix fixFor(MemberVerdict verdict) {
    return fixes.get(verdict.member().id());
  }

  public String clusterIdHex() {
    return clusterId == 0 ? null : Long.toHexString(clusterId);
  }

  public long violations() {
    return verdicts.stream().filter(v -> !v.compliant()).count();
  }

  /** No member violates the policy, and under Enforce no Node is at risk. */
  public boolean compliant() {
    return violations() == 0 && postureViolations() == 0;
  }
}
