package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

public class PolicySummary {
  @JsonPropertyDescription("Number of etcd members.")
  private int members;

  @JsonPropertyDescription("Number of members with at least one reason.")
  private int violations;

  @JsonPropertyDescription("True when no member has a reason.")
  private boolean compliant;

  public PolicySummary() {}

  public PolicySummary(int members, int violations) {
    this.members = members;
    this.violations = violations;
    this.compliant = violations == 0;
  }

  public int getMembers() {
    return members;
  }

  public void setMembers(int members) {
    this.members = members;
  }

  public int getViolations() {
    return violations;
  }

  public void setViolations(int violations) {
    this.violations = violations;
  }

  public boolean isCompliant() {
    return compliant;
  }

  public void setCompliant(boolean compliant) {
    this.compliant = compliant;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PolicySummary s && members == s.members && violations == s.violations && compliant == s.compliant;
  }

  @Override
  public int hashCode() {
    return Objects.hash(members, violations, compliant);
  }
}
