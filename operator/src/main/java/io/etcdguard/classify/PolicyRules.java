package io.etcdguard.classify;

import io.etcdguard.api.v1alpha1.AddressFamily;
import java.util.List;

/** What a policy demands of peer addresses, already parsed and validated. */
public record PolicyRules(AddressFamily addressFamily, List<Cidr> allowedCidrs) {
  public PolicyRules {
    addressFamily = addressFamily == null ? AddressFamily.Any : addressFamily;
    allowedCidrs = List.copyOf(allowedCidrs);
  }

  public static PolicyRules defaults() {
    return new PolicyRules(AddressFamily.Any, List.of());
  }
}
