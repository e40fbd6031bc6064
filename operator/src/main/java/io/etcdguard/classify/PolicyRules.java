package io.etcdguard.classify;

import io.etcdguard.api.v1alpha1.AddressFamily;
import io.etcdguard.api.v1alpha1.PostureMode;
import java.util.List;

/** What a policy demands of peer addresses, and what it does with posture findings, already parsed and validated. */
public record PolicyRules(AddressFamily addressFamily, List<Cidr> allowedCidrs, PostureMode posture) {
  public PolicyRules {
    addressFamily = addressFamily == null ? AddressFamily.Any : addressFamily;
    allowedCidrs = List.copyOf(allowedCidrs);
    posture = posture == null ? PostureMode.Warn : posture;
  }

  public PolicyRules(AddressFamily addressFamily, List<Cidr> allowedCidrs) {
    this(addressFamily, allowedCidrs, PostureMode.Warn);
  }

  public static PolicyRules defaults() {
    return new PolicyRules(AddressFamily.Any, List.of());
  }
}
