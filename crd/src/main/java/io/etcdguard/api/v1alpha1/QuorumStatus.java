package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** How many voters etcd has, how many are healthy, and how many more may fail: status.summary.quorum. */
@JsonPropertyOrder({"voters", "healthyVoters", "faultTolerance"})
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

  public int getVoters() {
    return voters;
  }

  public void setVoters(int voters) {
    this.voters = voters;
  }

  public int getHealthyVoters() {
    return healthyVoters;
  }

  public void setHealthyVoters(int healthyVoters) {
    this.healthyVoters = healthyVoters;
  }

  public int getFaultTolerance() {
    return faultTolerance;
  }

  public void setFaultTolerance(int faultTolerance) {
    this.faultTolerance = faultTolerance;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QuorumStatus q && voters == q.voters && healthyVoters == q.healthyVoters
        && faultTolerance == q.faultTolerance;
  }

  @Override
  public int hashCode() {
    return Objects.hash(voters, healthyVoters, faultTolerance);
  }
}
