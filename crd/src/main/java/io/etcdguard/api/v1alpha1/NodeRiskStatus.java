package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** One etcd server Node at risk of failing its next start (posture, not a member violation). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"node", "member", "risk", "risks", "message", "fix", "predictedAddress", "report"})
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

  public String getNode() {
    return node;
  }

  public void setNode(String node) {
    this.node = node;
  }

  public String getMember() {
    return member;
  }

  public void setMember(String member) {
    this.member = member;
  }

  public String getRisk() {
    return risk;
  }

  public void setRisk(String risk) {
    this.risk = risk;
  }

  public List<String> getRisks() {
    return risks;
  }

  public void setRisks(List<String> risks) {
    this.risks = risks;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getFix() {
    return fix;
  }

  public void setFix(String fix) {
    this.fix = fix;
  }

  public String getPredictedAddress() {
    return predictedAddress;
  }

  public void setPredictedAddress(String predictedAddress) {
    this.predictedAddress = predictedAddress;
  }

  public String getReport() {
    return report;
  }

  public void setReport(String report) {
    this.report = report;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeRiskStatus s && Objects.equals(node, s.node) && Objects.equals(member, s.member)
        && Objects.equals(risk, s.risk) && Objects.equals(risks, s.risks) && Objects.equals(message, s.message)
        && Objects.equals(fix, s.fix) && Objects.equals(predictedAddress, s.predictedAddress) && Objects.equals(report, s.report);
  }

  @Override
  public int hashCode() {
    return Objects.hash(node, member, risk, risks, message, fix, predictedAddress, report);
  }
}
