package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** One etcd member and its verdict: the shape of `audit -o json` members and of status.members. */
@JsonPropertyOrder({"id", "name", "node", "matchedBy", "peerURLs", "clientURLs", "isLearner", "compliant", "primaryReason", "reasons", "fix", "health"})
@JsonInclude(JsonInclude.Include.ALWAYS)
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

  public String getMatchedBy() {
    return matchedBy;
  }

  public void setMatchedBy(String matchedBy) {
    this.matchedBy = matchedBy;
  }

  public String getPrimaryReason() {
    return primaryReason;
  }

  public void setPrimaryReason(String primaryReason) {
    this.primaryReason = primaryReason;
  }

  public FixStatus getFix() {
    return fix;
  }

  public void setFix(FixStatus fix) {
    this.fix = fix;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyDescription("The member's own Status answer (reachable, leader, lag...); absent when health was "
      + "not observed (audit file mode).")
  private MemberHealthStatus health;

  public MemberHealthStatus getHealth() {
    return health;
  }

  public void setHealth(MemberHealthStatus health) {
    this.health = health;
  }

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNode() {
    return node;
  }

  public void setNode(String node) {
    this.node = node;
  }

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

  public boolean isCompliant() {
    return compliant;
  }

  public void setCompliant(boolean compliant) {
    this.compliant = compliant;
  }

  public List<ReasonStatus> getReasons() {
    return reasons;
  }

  public void setReasons(List<ReasonStatus> reasons) {
    this.reasons = reasons;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MemberStatus m
        && learner == m.learner
        && compliant == m.compliant
        && Objects.equals(id, m.id)
        && Objects.equals(name, m.name)
        && Objects.equals(node, m.node)
        && Objects.equals(peerURLs, m.peerURLs)
        && Objects.equals(clientURLs, m.clientURLs)
        && Objects.equals(matchedBy, m.matchedBy)
        && Objects.equals(primaryReason, m.primaryReason)
        && Objects.equals(reasons, m.reasons)
        && Objects.equals(fix, m.fix)
        && Objects.equals(health, m.health);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, name, node, matchedBy, peerURLs, clientURLs, learner, compliant, primaryReason, reasons, fix, health);
  }
}
