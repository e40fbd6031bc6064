package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import lombok.Getter;
import lombok.Setter;

/** The node address an auto-detecting K3s/RKE2 start (no --node-ip) would pick, and why. */
@JsonPropertyOrder({"address", "family", "interface", "why", "certainty"})
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class NodeIPPrediction {
  @JsonPropertyDescription("The predicted address; absent when auto-detection would fail (why says so).")
  private String address;

  @JsonPropertyDescription("IPv4 or IPv6; absent with address.")
  private String family;

  @JsonProperty("interface")
  @JsonPropertyDescription("The interface the address is on; absent with address.")
  private String interfaceName;

  @Required
  @JsonPropertyDescription("The detection rule applied to this Node: which default route, which interface, which address and its flags.")
  private String why;

  @Required
  @JsonPropertyDescription("Certain (kernel order read over netlink, or a single candidate) or Uncertain (read from /proc, whose order may differ from the kernel's).")
  private String certainty;
}
