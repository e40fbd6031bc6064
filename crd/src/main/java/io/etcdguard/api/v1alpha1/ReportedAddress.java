package io.etcdguard.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import lombok.Getter;
import lombok.Setter;

/** One address on one of the Node's interfaces, as the kernel lists it (spec.addresses is in the kernel's order when spec.source is Netlink). */
@JsonPropertyOrder({"interface", "ifindex", "address", "prefixLength", "family", "scope", "temporary", "deprecated", "tentative", "dadfailed", "permanent", "optimistic", "mngtmpaddr", "noprefixroute", "stablePrivacy", "validLifetime", "validLifetimeSeconds", "validLifetimeAtMostSeconds", "preferredLifetime", "preferredLifetimeSeconds", "preferredLifetimeAtMostSeconds"})
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class ReportedAddress {
  @JsonProperty("interface")
  @Required
  @JsonPropertyDescription("Interface name, e.g. eth0.")
  private String interfaceName;

  @JsonPropertyDescription("Kernel interface index.")
  private Integer ifindex;

  @Required
  @JsonPropertyDescription("The address, IPv6 compressed (fd00:c0ff:ee::1e), without zone or brackets.")
  private String address;

  @JsonPropertyDescription("Prefix length, e.g. 64.")
  private int prefixLength;

  @JsonPropertyDescription("IPv4 or IPv6.")
  private String family;

  @JsonPropertyDescription("Address scope: global, site, link or host.")
  private String scope;

  @JsonPropertyDescription("IFA_F_TEMPORARY: an RFC 8981 temporary (privacy) address; it is deprecated and then removed.")
  private boolean temporary;

  @JsonPropertyDescription("IFA_F_DEPRECATED: preferred lifetime over; not chosen for new connections.")
  private boolean deprecated;

  @JsonPropertyDescription("IFA_F_TENTATIVE: duplicate address detection not finished.")
  private boolean tentative;

  @JsonPropertyDescription("IFA_F_DADFAILED: duplicate address detection failed.")
  private boolean dadfailed;

  @JsonPropertyDescription("IFA_F_PERMANENT: configured statically, valid forever.")
  private boolean permanent;

  @JsonPropertyDescription("IFA_F_OPTIMISTIC: usable during duplicate address detection (RFC 4429).")
  private boolean optimistic;

  @JsonPropertyDescription("IFA_F_MNGTMPADDR: the kernel makes temporary addresses from this one. Always false when spec.source is Proc.")
  private boolean mngtmpaddr;

  @JsonPropertyDescription("IFA_F_NOPREFIXROUTE. Always false when spec.source is Proc.")
  private boolean noprefixroute;

  @JsonPropertyDescription("IFA_F_STABLE_PRIVACY: an RFC 7217 stable address (not temporary). Always false when spec.source is Proc.")
  private boolean stablePrivacy;

  @JsonPropertyDescription("Forever, Finite (validLifetimeSeconds left at observedAt) or Unknown (read from /proc).")
  private String validLifetime;

  @JsonPropertyDescription("Seconds of valid lifetime left at observedAt, when validLifetime is Finite.")
  private Long validLifetimeSeconds;

  @JsonPropertyDescription("When validLifetime is Unknown: an upper bound (temp_valid_lft for a temporary address), if one is known.")
  private Long validLifetimeAtMostSeconds;

  @JsonPropertyDescription("Forever, Finite (preferredLifetimeSeconds left at observedAt) or Unknown.")
  private String preferredLifetime;

  @JsonPropertyDescription("Seconds of preferred lifetime left at observedAt, when preferredLifetime is Finite.")
  private Long preferredLifetimeSeconds;

  @JsonPropertyDescription("When preferredLifetime is Unknown: an upper bound (temp_prefered_lft for a temporary address), if one is known.")
  private Long preferredLifetimeAtMostSeconds;
}
