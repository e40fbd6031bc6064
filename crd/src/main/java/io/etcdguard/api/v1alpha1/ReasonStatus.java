package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** Why a member does not comply. */
@JsonPropertyOrder({"reason", "confidence", "address", "message"})
@Getter
@Setter
@EqualsAndHashCode
public class ReasonStatus {
  @JsonPropertyDescription("Fixed reason name, e.g. TemporaryIPv6Address; see docs/reasons.md.")
  private String reason;

  @JsonPropertyDescription("Confirmed or Suspected.")
  private String confidence;

  @JsonPropertyDescription("The offending address or peer URL host.")
  private String address;

  @JsonPropertyDescription("What is wrong: the evidence (the fix is the member's fix).")
  private String message;

  public ReasonStatus() {}

  public ReasonStatus(String reason, String confidence, String address, String message) {
    this.reason = reason;
    this.confidence = confidence;
    this.address = address;
    this.message = message;
  }
}
