package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;
import lombok.Getter;
import lombok.Setter;

/** What the node agent read from its host, and the node addresses it predicts. */
@JsonPropertyOrder({"nodeName", "observedAt", "source", "addresses", "defaultRoutes", "interfaces", "predictions", "unreadable"})
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class NodeAddressReportSpec {
  @Required
  @JsonPropertyDescription("The Node this report is about (also the report's name).")
  private String nodeName;

  @Required
  @JsonPropertyDescription("When the host was read (RFC 3339); refreshed at least every heartbeat.")
  private String observedAt;

  @Required
  @JsonPropertyDescription("Netlink (rtnetlink dump: kernel order, all flags, lifetimes) or Proc (/proc/net/if_inet6 fallback: hash order, low 8 flag bits, no lifetimes).")
  private String source;

  @JsonPropertyDescription("Every address of every interface, in the kernel's order when source is Netlink.")
  private List<ReportedAddress> addresses = new ArrayList<>();

  @JsonPropertyDescription("IPv4 and IPv6 default routes, in file order (the order K3s walks).")
  private List<ReportedRoute> defaultRoutes = new ArrayList<>();

  @JsonPropertyDescription("Interfaces with link state and IPv6 privacy sysctls.")
  private List<ReportedInterface> interfaces = new ArrayList<>();

  @Required
  @JsonPropertyDescription("The address an auto-detecting start would pick now and during the boot race.")
  private NodeIPPredictions predictions;

  @JsonPropertyDescription("Facts that could not be read, each with the reason. Empty when everything was read.")
  private List<UnreadableHostFact> unreadable = new ArrayList<>();
}
