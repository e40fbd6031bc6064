package io.etcdguard.check;

import io.etcdguard.classify.MemberVerdict;
import java.util.List;

/** The verdicts of one check and the cluster they are about. */
public record CheckResult(long clusterId, List<MemberVerdict> verdicts) {
  public CheckResult {
    verdicts = List.copyOf(verdicts);
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
