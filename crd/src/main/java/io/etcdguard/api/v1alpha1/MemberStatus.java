package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** One etcd member and its verdict: the shape of `audit -o json` members and of status.members. */
@JsonPropertyOrder({"id", "name", "node", "matchedBy", "peerURLs", "clientURLs", "isLearner", "compliant", "primaryReason", "reasons", "fix", "health"})
@JsonInclude(JsonInclude.Include.ALWAYS)
@Getter
@Setter
@EqualsAndHashCode
public class MemberStatus {
  @JsonPropertyDescription("Member ID as unsigned hex, as etcdctl prints it.")
  private String id;

  @JsonPropertyDescription("Member name; empty for a member added but never started.")
  private String name;

  @JsonPropertyDescription("The Node this member was matched to, or null.")
  private String node;

  @JsonPropertyDescription("How the Node was matched: annotation, nodeName, nodeNameWithSuffix, etcdPrefixedName, peerAddress or clientAddress; absent without a Node.")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  private String matchedBy;

  @JsonProperty("peerURLs")
  private List<String> peerURLs = new ArrayList<>();

  @JsonProperty("clientURLs")
  private List<String> clientURLs = new ArrayList<>();

  @JsonProperty("isLearner")
  private boolean learner;

  private boolean compliant;

  @JsonPropertyDescription("The root cause among the reasons (see docs/reasons.md for the order); absent when compliant.")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  private String primaryReason;

  @JsonPropertyDescription("Every reason found: the evidence, primary reason first.")
  private List<ReasonStatus> reasons = new ArrayList<>();

  @JsonPropertyDescription("The one fix for this member; absent when compliant.")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  private FixStatus fix;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyDescription("The member's own Status answer (reachable, leader, lag...); absent when health was "
      + "not observed (audit file mode).")
  private MemberHealthStatus health;

  @JsonProperty("peerURLs")
  public List<String> getPeerURLs() {
    return peerURLs;
  }

  @JsonProperty("peerURLs")
  public void setPeerURLs(List<String> peerURLs) {
    this.peerURLs = peerURLs;
  }

  @JsonProperty("clientURLs")
  public List<String> getClientURLs() {
    return clientURLs;
  }

  @JsonProperty("clientURLs")
  public void setClientURLs(List<String> clientURLs) {
    this.clientURLs = clientURLs;
  }

  @JsonProperty("isLearner")
  public boolean isLearner() {
    return learner;
  }

  @JsonProperty("isLearner")
  public void setLearner(boolean learner) {
    this.learner = learner;
  }
}
