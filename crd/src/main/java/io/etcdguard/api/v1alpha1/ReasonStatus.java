package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** Why a member does not comply. */
@JsonPropertyOrder({"reason", "confidence", "address", "message"})
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

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getConfidence() {
    return confidence;
  }

  public void setConfidence(String confidence) {
    this.confidence = confidence;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReasonStatus r
        && Objects.equals(reason, r.reason)
        && Objects.equals(confidence, r.confidence)
        && Objects.equals(address, r.address)
        && Objects.equals(message, r.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, confidence, address, message);
  }
}
