package io.etcdguard.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.etcdguard.api.v1alpha1.MemberStatus;
import io.etcdguard.api.v1alpha1.PolicySummary;
import io.etcdguard.check.CheckResult;
import io.etcdguard.status.MemberStatuses;
import java.util.List;

/** The one JSON object `audit -o json` prints; members have the CR status shape. */
@JsonPropertyOrder({"clusterID", "members", "summary"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AuditReport(@JsonProperty("clusterID") String clusterID, List<MemberStatus> members, PolicySummary summary) {
  public static AuditReport of(CheckResult result) {
    return new AuditReport(result.clusterIdHex(), MemberStatuses.of(result), MemberStatuses.summary(result));
  }
}
