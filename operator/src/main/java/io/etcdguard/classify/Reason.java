package io.etcdguard.classify;

import java.util.Comparator;
import java.util.List;

/**
 * Why a member does not comply. The names are API: they appear in CR status, as Kubernetes Event
 * reasons, as the {@code reason} label of etcdguard_member_violation and etcdguard_member_diagnosis and in
 * docs/reasons.md.
 */
public enum Reason {
  NotNodeInternalIP("The peer URL host is none of the matched Node's InternalIP addresses."),
  AddressFamilyMismatch("The peer address family differs from the policy's addressFamily, or (under Any) from the family most members use or the Node's first InternalIP."),
  OutsideAllowedCIDRs("The peer address is in none of the policy's allowedCIDRs."),
  LinkLocalOrLoopback("The peer address is loopback or link-local while other members advertise routable addresses."),
  TemporaryIPv6Address("The peer address is (Confirmed by the node's report) or looks like (Suspected) an IPv6 temporary (privacy) address, which the kernel deprecates within a day and removes within two."),
  AddressNotOnNode("The node's agent reports that the peer address is on none of the node's interfaces."),
  DuplicatePeerAddress("Another member advertises the same peer address (host and port): a NAT address or a VIP, never one member's own."),
  NoMatchingNode("No selected Node matches the member by annotation, name or address: a stale member, or a Node outside the selector."),
  UnstartedMember("The member was added but never started (empty name)."),
  UnresolvableHostname("The peer URL names a host that could not be resolved."),
  MemberDownNodeNotReady("The member does not answer and its Node is NotReady: most likely the node rebooted and its server could not rejoin etcd (its address changed at boot).");

  /**
   * Which reason is the primary one (the root cause an admin acts on) when a member has several: the
   * first of this list. docs/reasons.md gives the reasoning for each place.
   */
  public static final List<Reason> PRIMARY_ORDER = List.of(
      UnstartedMember,
      MemberDownNodeNotReady,
      TemporaryIPv6Address,
      LinkLocalOrLoopback,
      DuplicatePeerAddress,
      AddressNotOnNode,
      NoMatchingNode,
      UnresolvableHostname,
      OutsideAllowedCIDRs,
      AddressFamilyMismatch,
      NotNodeInternalIP);

  /** Orders reasons by {@link #PRIMARY_ORDER}: the root cause first. */
  public static final Comparator<Reason> ROOT_CAUSE_FIRST = Comparator.comparingInt(PRIMARY_ORDER::indexOf);

  private final String meaning;

  Reason(String meaning) {
    this.meaning = meaning;
  }

  public String meaning() {
    return meaning;
  }
}
