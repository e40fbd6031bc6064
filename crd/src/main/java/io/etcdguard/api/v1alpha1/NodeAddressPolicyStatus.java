package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeAddressPolicyStatus {
  public static final String CONDITION_READY = "Ready";
  public static final String CONDITION_ETCD_REACHABLE = "EtcdReachable";
  public static final String CONDITION_COMPLIANT = "Compliant";
  public static final String CONDITION_QUORUM_HEALTHY = "QuorumHealthy";
  public static final String CONDITION_RESTART_SAFE = "RestartSafe";

  @JsonPropertyDescription("The spec generation this status describes.")
  private Long observedGeneration;

  @JsonProperty("clusterID")
  @JsonPropertyDescription("The etcd cluster ID (hex), as etcdctl prints it.")
  private String clusterID;

  @JsonPropertyDescription("When the member list was last read (RFC 3339).")
  private String lastCheckTime;

  @JsonPropertyDescription("One entry per etcd member with its verdict; the same shape as `audit -o json`.")
  private List<MemberStatus> members = new ArrayList<>();

  private PolicySummary summary;

  @JsonPropertyDescription("Ready, EtcdReachable, QuorumHealthy, Compliant and RestartSafe.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("etcd server Nodes at risk of failing their next start (posture findings, not member violations), one entry per Node.")
  private List<NodeRiskStatus> nodesAtRisk = new ArrayList<>();

  public List<NodeRiskStatus> getNodesAtRisk() {
    return nodesAtRisk;
  }

  public void setNodesAtRisk(List<NodeRiskStatus> nodesAtRisk) {
    this.nodesAtRisk = nodesAtRisk;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getClusterID() {
    return clusterID;
  }

  public void setClusterID(String clusterID) {
    this.clusterID = clusterID;
  }

  public String getLastCheckTime() {
    return lastCheckTime;
  }

  public void setLastCheckTime(String lastCheckTime) {
    this.lastCheckTime = lastCheckTime;
  }

  public List<MemberStatus> getMembers() {
    return members;
  }

  public void setMembers(List<MemberStatus> members) {
    this.members = members;
  }

  public PolicySummary getSummary() {
    return summary;
  }

  public void setSummary(PolicySummary summary) {
    this.summary = summary;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeAddressPolicyStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(clusterID, s.clusterID)
        && Objects.equals(lastCheckTime, s.lastCheckTime)
        && Objects.equals(members, s.members)
        && Objects.equals(summary, s.summary)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(nodesAtRisk, s.nodesAtRisk);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, clusterID, lastCheckTime, members, summary, conditions, nodesAtRisk);
  }
}
