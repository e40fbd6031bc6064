package io.etcdguard.check;

import io.etcdguard.advice.Advisor;
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
public record CheckResult(long clusterId, List<MemberVerdict> verdicts, Map<Long, Fix> fixes, MembershipHealth health) {
  public CheckResult {
    verdicts = List.copyOf(verdicts);
    fixes = Map.copyOf(fixes);
    health = health == null ? MembershipHealth.unknown() : health;
  }

  /** Classifies the view and advises on every non-compliant member. */
  public static CheckResult of(long clusterId, ClusterView view, PolicyRules rules) {
    List<MemberVerdict> verdicts = Classifier.classify(view, rules);
    return new CheckResult(clusterId, verdicts, Advisor.advise(view, rules, verdicts), view.health());
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

  public boolean compliant() {
    return violations() == 0;
  }
}
