package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import lombok.Getter;
import lombok.Setter;

/** A network interface of the Node with its IPv6 privacy-address sysctls. */
@JsonPropertyOrder({"name", "ifindex", "up", "loopback", "useTempaddr", "tempPreferredLifetimeSeconds", "tempValidLifetimeSeconds"})
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class ReportedInterface {
  @Required
  @JsonPropertyDescription("Interface name.")
  private String name;

  @JsonPropertyDescription("Kernel interface index.")
  private Integer ifindex;

  @JsonPropertyDescription("IFF_UP: the link is administratively up.")
  private boolean up;

  @JsonPropertyDescription("IFF_LOOPBACK.")
  private boolean loopback;

  @JsonPropertyDescription("net.ipv6.conf.<if>.use_tempaddr: 0 no temporary addresses, 1 made but not preferred, 2 made and preferred. Absent when unreadable or IPv6 is off.")
  private Integer useTempaddr;

  @JsonPropertyDescription("net.ipv6.conf.<if>.temp_prefered_lft: the longest preferred lifetime of a temporary address.")
  private Long tempPreferredLifetimeSeconds;

  @JsonPropertyDescription("net.ipv6.conf.<if>.temp_valid_lft: the longest valid lifetime of a temporary address.")
  private Long tempValidLifetimeSeconds;
}
