package io.etcdguard.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.etcdguard.api.v1alpha1.MemberStatus;
import io.etcdguard.api.v1alpha1.NodeRiskStatus;
import io.etcdguard.status.NodeRisks;
import io.etcdguard.api.v1alpha1.PolicySummary;
import io.etcdguard.check.CheckResult;
import io.etcdguard.status.MemberStatuses;
import java.util.List;

/** The one JSON object `audit -o json` prints; members have the CR status shape. */
@JsonPropertyOrder({"clusterID", "members", "summary", "nodesAtRisk", "restartSafe"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AuditReport(@JsonProperty("clusterID") String clusterID, List<MemberStatus> members, PolicySummary summary,
    List<NodeRiskStatus> nodesAtRisk, RestartSafe restartSafe, @JsonIgnore boolean compliant) {

  /** The RestartSafe condition's status, reason and message, as the operator would set it. */
  public record RestartSafe(String status, String reason, String message) {}

  public static AuditReport of(CheckResult result) {
    NodeRisks.RestartSafe safe = NodeRisks.restartSafe(result);
    return new AuditReport(result.clusterIdHex(), MemberStatuses.of(result), MemberStatuses.summary(result), NodeRisks.of(result),
        new RestartSafe(safe.status(), safe.reason(), safe.message()), result.compliant());
  }
}
