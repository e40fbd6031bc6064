package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import lombok.Getter;
import lombok.Setter;

/** Both predictions of the Node's auto-detected address. */
@JsonPropertyOrder({"now", "bootRace"})
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class NodeIPPredictions {
  @Required
  @JsonPropertyDescription("What a start would pick with the host as it is.")
  private NodeIPPrediction now;

  @Required
  @JsonPropertyDescription("What a start would pick if IPv4 were not up yet (no IPv4 address or default route), as when network-online.target is reached on the first IPv6 address before DHCPv4.")
  private NodeIPPrediction bootRace;
}
