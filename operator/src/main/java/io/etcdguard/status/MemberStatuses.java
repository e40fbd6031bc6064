package io.etcdguard.status;

import io.etcdguard.advice.Fix;
import io.etcdguard.api.v1alpha1.FixStatus;
import io.etcdguard.api.v1alpha1.MemberHealthStatus;
import io.etcdguard.api.v1alpha1.MemberStatus;
import io.etcdguard.api.v1alpha1.QuorumStatus;
import io.etcdguard.classify.MembershipHealth;
import io.etcdguard.api.v1alpha1.PolicySummary;
import io.etcdguard.api.v1alpha1.ReasonStatus;
import io.etcdguard.classify.MemberVerdict;
import io.etcdguard.check.CheckResult;
import java.util.ArrayList;
import java.util.List;

/** Verdicts in the shape shared by `audit -o json` and the CR status. */
public final class MemberStatuses {
  private MemberStatuses() {}

  public static List<MemberStatus> of(CheckResult check) {
    MembershipHealth health = check.health();
    List<MemberStatus> result = new ArrayList<>();
    for (MemberVerdict v : check.verdicts()) {
      MemberStatus s = new MemberStatus();
      s.setId(v.member().idHex());
      s.setName(v.member().name());
      s.setNode(v.nodeName());
      s.setMatchedBy(v.matchedBy() == null ? null : v.matchedBy().label());
      s.setPrimaryReason(v.compliant() ? null : v.primaryReason().name());
      Fix fix = check.fixFor(v);
      s.setFix(fix == null ? null : new FixStatus(fix.text(), fix.steps(), fix.preconditions()));
      s.setPeerURLs(new ArrayList<>(v.member().peerUrls()));
      s.setClientURLs(new ArrayList<>(v.member().clientUrls()));
      s.setLearner(v.member().learner());
      s.setCompliant(v.compliant());
      s.setReasons(new ArrayList<>(v.findings().stream()
          .map(f -> new ReasonStatus(f.reason().name(), f.confidence().name(), f.address(), f.message()))
          .toList()));
      MembershipHealth.Member h = health.member(v.member().id());
      if (h != null) {
        s.setHealth(new MemberHealthStatus(h.reachable(), h.leader(), h.learner(), h.raftTerm(), h.lag(), h.version(),
            h.error()));
      }
      result.add(s);
    }
    return result;
  }

  /** Member counts, and the quorum figures when health was observed. */
  public static PolicySummary summary(CheckResult check) {
    List<MemberVerdict> verdicts = check.verdicts();
    MembershipHealth health = check.health();
    return new PolicySummary(verdicts.size(), (int) verdicts.stream().filter(v -> !v.compliant()).count(),
        health.known() ? new QuorumStatus(health.voters(), health.healthyVoters(), health.faultTolerance(),
            health.atRiskVoters()) : null);
  }
}
