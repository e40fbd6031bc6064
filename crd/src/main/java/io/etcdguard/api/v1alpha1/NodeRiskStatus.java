package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** One etcd server Node at risk of failing its next start (posture, not a member violation). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"node", "member", "risk", "risks", "message", "fix", "predictedAddress", "report"})
@Getter
@Setter
@EqualsAndHashCode
public class NodeRiskStatus {
  @JsonPropertyDescription("The Node.")
  private String node;

  @JsonPropertyDescription("The etcd member on it.")
  private String member;

  @JsonPropertyDescription("The most urgent risk: RestartRisk, TemporaryAddressesEnabled, NodeIPNotPinned or NodeArgsUnreadable.")
  private String risk;

  @JsonPropertyDescription("Every risk found, most urgent first.")
  private List<String> risks = new ArrayList<>();

  @JsonPropertyDescription("The evidence of the most urgent risk; for RestartRisk it quotes the line K3s/RKE2 would log.")
  private String message;

  @JsonPropertyDescription("What to do, best first.")
  private String fix;

  @JsonPropertyDescription("The address an auto-detecting start would pick (RestartRisk).")
  private String predictedAddress;

  @JsonPropertyDescription("The Node's agent report: when it was read (its age is now minus that; a time, so the status does not change at every check), stale and ignored, or none.")
  private String report;

  public NodeRiskStatus() {}
}
