package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

public class PolicySummary {
  @JsonPropertyDescription("Number of etcd members.")
  private int members;

  @JsonPropertyDescription("Number of members with at least one reason.")
  private int violations;

  @JsonPropertyDescription("True when no member has a reason.")
  private boolean compliant;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyDescription("Voters, healthy voters and fault tolerance, from each member's own Status; absent when "
      + "health was not observed (audit file mode).")
  private QuorumStatus quorum;

  public PolicySummary() {}

  public PolicySummary(int members, int violations, QuorumStatus quorum) {
    this(members, violations);
    this.quorum = quorum;
  }

  public QuorumStatus getQuorum() {
    return quorum;
  }

  public void setQuorum(QuorumStatus quorum) {
    this.quorum = quorum;
  }

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
    return o instanceof PolicySummary s && members == s.members && violations == s.violations && compliant == s.compliant
        && Objects.equals(quorum, s.quorum);
  }

  @Override
  public int hashCode() {
    return Objects.hash(members, violations, compliant, quorum);
  }
}
