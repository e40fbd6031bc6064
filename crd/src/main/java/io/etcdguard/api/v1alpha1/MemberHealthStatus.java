package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** What an etcd member said about itself when asked for its Status: status.members[].health. */
@JsonPropertyOrder({"reachable", "leader", "learner", "raftTerm", "lag", "version", "error"})
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
@EqualsAndHashCode
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
}
