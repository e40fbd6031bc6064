package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import lombok.Getter;
import lombok.Setter;

/** A default route of the Node, in the order /proc/net/route and /proc/net/ipv6_route list them. */
@JsonPropertyOrder({"family", "interface", "gateway", "metric"})
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class ReportedRoute {
  @Required
  @JsonPropertyDescription("IPv4 or IPv6.")
  private String family;

  @JsonProperty("interface")
  @Required
  @JsonPropertyDescription("The interface the route leaves through.")
  private String interfaceName;

  @JsonPropertyDescription("The gateway address; absent for an on-link route.")
  private String gateway;

  @JsonPropertyDescription("Route metric (not used by K3s' detection, which takes the routes in file order).")
  private Long metric;
}
