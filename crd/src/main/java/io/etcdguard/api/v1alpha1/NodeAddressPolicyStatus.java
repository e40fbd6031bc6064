package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
@EqualsAndHashCode
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
}
