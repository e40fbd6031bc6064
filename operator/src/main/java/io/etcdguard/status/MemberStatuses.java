package io.etcdguard.status;

import io.etcdguard.advice.Fix;
import io.etcdguard.api.v1alpha1.FixStatus;
import io.etcdguard.api.v1alpha1.MemberStatus;
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
      result.add(s);
    }
    return result;
  }

  public static PolicySummary summary(List<MemberVerdict> verdicts) {
    return new PolicySummary(verdicts.size(), (int) verdicts.stream().filter(v -> !v.compliant()).count());
  }
}
