package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** How many voters etcd has, how many are healthy, and how many more may fail: status.summary.quorum. */
@JsonPropertyOrder({"voters", "healthyVoters", "faultTolerance"})
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

  public QuorumStatus() {}

  public QuorumStatus(int voters, int healthyVoters, int faultTolerance) {
    this.voters = voters;
    this.healthyVoters = healthyVoters;
    this.faultTolerance = faultTolerance;
  }
}
