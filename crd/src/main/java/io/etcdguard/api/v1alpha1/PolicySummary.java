package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

@Getter
@Setter
@EqualsAndHashCode
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

  public PolicySummary(int members, int violations) {
    this.members = members;
    this.violations = violations;
    this.compliant = violations == 0;
  }
}
