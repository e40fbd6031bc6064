package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** How many voters etcd has, how many are healthy, and how many more may fail: status.summary.quorum. */
@JsonPropertyOrder({"voters", "healthyVoters", "faultTolerance", "atRiskVoters", "faultToleranceAfterExpiry"})
@Getter
@Setter
@EqualsAndHashCode
public class QuorumStatus {
  @JsonPropertyDescription("Voting members (learners do not vote).")
  private int voters;

  @JsonPropertyDescription("Voters that answered Status and follow the cluster's leader.")
  private int healthyVoters;

  @JsonPropertyDescription("How many more voters may fail before quorum is lost: healthyVoters - (voters / 2 + 1). "
      + "0: the next failure stops etcd; negative: quorum is lost.")
  private int faultTolerance;

  @JsonPropertyDescription("Healthy voters expected to fail: their peer address is a temporary IPv6 address (the kernel "
      + "removes it within temp_valid_lft, 2 days by default) or is gone from their host, or their Node's next start is "
      + "predicted to fail (RestartRisk).")
  private int atRiskVoters;

  @JsonPropertyDescription("The fault tolerance once the at-risk voters have failed: faultTolerance - atRiskVoters. "
      + "0: no margin left then; negative: quorum will be lost.")
  private int faultToleranceAfterExpiry;

  public QuorumStatus() {}

  public QuorumStatus(int voters, int healthyVoters, int faultTolerance) {
    this(voters, healthyVoters, faultTolerance, 0);
  }

  public QuorumStatus(int voters, int healthyVoters, int faultTolerance, int atRiskVoters) {
    this.voters = voters;
    this.healthyVoters = healthyVoters;
    this.faultTolerance = faultTolerance;
    this.atRiskVoters = atRiskVoters;
    this.faultToleranceAfterExpiry = faultTolerance - atRiskVoters;
  }
}
