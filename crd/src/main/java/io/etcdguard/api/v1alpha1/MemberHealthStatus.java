package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** What an etcd member said about itself when asked for its Status: status.members[].health. */
@JsonPropertyOrder({"reachable", "leader", "learner", "raftTerm", "lag", "version", "error"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MemberHealthStatus {
  @JsonPropertyDescription("True when the member answered Status at its client URL, false when it did not; absent "
      + "when it was not asked (no client URL: added, never started).")
  private Boolean reachable;

  @JsonPropertyDescription("True for the member the cluster's members follow as leader.")
  private boolean leader;

  @JsonPropertyDescription("True for a learner (a non-voting member).")
  private boolean learner;

  @JsonPropertyDescription("The raft term the member is in; absent when it did not answer.")
  private Long raftTerm;

  @JsonPropertyDescription("How many raft entries the member's applied index is behind the leader's; absent when "
      + "it or the leader did not answer.")
  private Long lag;

  @JsonPropertyDescription("The etcd version the member runs; absent when it did not answer.")
  private String version;

  @JsonPropertyDescription("Why the member is not healthy (did not answer, knows no leader, follows another), or "
      + "an alarm it reports; absent when healthy.")
  private String error;

  public MemberHealthStatus() {}

  public MemberHealthStatus(Boolean reachable, boolean leader, boolean learner, Long raftTerm, Long lag,
      String version, String error) {
    this.reachable = reachable;
    this.leader = leader;
    this.learner = learner;
    this.raftTerm = raftTerm;
    this.lag = lag;
    this.version = version;
    this.error = error;
  }

  public Boolean getReachable() {
    return reachable;
  }

  public void setReachable(Boolean reachable) {
    this.reachable = reachable;
  }

  public boolean isLeader() {
    return leader;
  }

  public void setLeader(boolean leader) {
    this.leader = leader;
  }

  public boolean isLearner() {
    return learner;
  }

  public void setLearner(boolean learner) {
    this.learner = learner;
  }

  public Long getRaftTerm() {
    return raftTerm;
  }

  public void setRaftTerm(Long raftTerm) {
    this.raftTerm = raftTerm;
  }

  public Long getLag() {
    return lag;
  }

  public void setLag(Long lag) {
    this.lag = lag;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getError() {
    return error;
  }

  public void setError(String error) {
    this.error = error;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MemberHealthStatus h && leader == h.leader && learner == h.learner
        && Objects.equals(reachable, h.reachable) && Objects.equals(raftTerm, h.raftTerm)
        && Objects.equals(lag, h.lag) && Objects.equals(version, h.version) && Objects.equals(error, h.error);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reachable, leader, learner, raftTerm, lag, version, error);
  }
}
