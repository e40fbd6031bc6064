package io.etcdguard.advice;

import io.etcdguard.api.v1alpha1.AddressFamily;
import io.etcdguard.classify.Cidr;
import io.etcdguard.classify.ClusterView;
import io.etcdguard.classify.EtcdMember;
import io.etcdguard.classify.Finding;
import io.etcdguard.classify.MemberVerdict;
import io.etcdguard.classify.MembershipHealth;
import io.etcdguard.classify.NodeInfo;
import io.etcdguard.classify.PeerAddress;
import io.etcdguard.classify.PeerAddress.Family;
import io.etcdguard.classify.PolicyRules;
import io.etcdguard.classify.Reason;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Computes one {@link Fix} per non-compliant member from the facts: its primary reason, its Node and
 * distribution, the policy, the membership's size and (when known) its health. Pure. The rules it
 * follows are listed in docs/reasons.md ("Advice").
 */
public final class Advisor {
  private Advisor() {}

  /** Fixes by member ID, for every non-compliant verdict. */
  public static Map<Long, Fix> advise(ClusterView view, PolicyRules rules, List<MemberVerdict> verdicts) {
    Map<String, NodeInfo> nodes = view.nodes().stream().collect(Collectors.toMap(NodeInfo::name, Function.identity(), (a, b) -> a));
    Map<Long, Fix> fixes = new LinkedHashMap<>();
    for (MemberVerdict v : verdicts) {
      if (!v.compliant()) {
        fixes.put(v.member().id(), new MemberAdvice(v, nodes.get(v.nodeName()), view, rules, verdicts).fix());
      }
    }
    return fixes;
  }

  /** The advice for one member: the facts first, then the fix that follows from them. */
  private static final class MemberAdvice {
    private final MemberVerdict verdict;
    private final EtcdMember member;
    private final NodeInfo node;
    private final PolicyRules rules;
    private final List<MemberVerdict> all;
    private final MembershipHealth health;
    private final Distribution.Detected distribution;
    private final Set<InetAddress> flagged = new HashSet<>();
    private final Family wantedFamily;
    private final Optional<InetAddress> target;
    private final int voters;
    private final Integer margin;
    private final Boolean reachable;
    /** Where etcdctl runs against when no other member is healthy and this one answers elsewhere once fixed; else null. */
    private String ownEndpointOnceFixed;

    MemberAdvice(MemberVerdict verdict, NodeInfo node, ClusterView view, PolicyRules rules, List<MemberVerdict> all) {
      this.verdict = verdict;
      this.member = verdict.member();
      this.node = node;
      this.rules = rules;
      this.all = all;
      this.health = view.health();
      this.distribution = node != null ? Distribution.detect(node) : clusterDistribution(view.nodes());
      for (MemberVerdict v : all) {
        if (flaggedAddress(v)) {
          peerIps(v.member()).forEach(flagged::add);
        } else if (v != verdict) {
          // another member's own address is never this member's
          peerIps(v.member()).forEach(flagged::add);
        }
      }
      this.wantedFamily = wantedFamily();
      this.target = chooseTarget();
      this.voters = health.voters() != null ? health.voters() : (int) all.stream().filter(v -> !v.member().learner()).count();
      this.margin = health.marginFor(member.id());
      this.reachable = health.reachable(member.id());
    }

    /** A finding about the member's address (not only about it being down): its peer addresses are no target. */
    private static boolean flaggedAddress(MemberVerdict v) {
      return v.findings().stream().anyMatch(f -> f.reason() != Reason.MemberDownNodeNotReady);
    }

    private static Distribution.Detected clusterDistribution(List<NodeInfo> nodes) {
      Map<Distribution, Distribution.Detected> seen = new HashMap<>();
      Map<Distribution, Long> counts = nodes.stream().map(Distribution::detect)
          .peek(d -> seen.putIfAbsent(d.distribution(), d))
          .collect(Collectors.groupingBy(Distribution.Detected::distribution, Collectors.counting()));
      return counts.entrySet().stream().max(Map.Entry.comparingByValue())
          .map(e -> new Distribution.Detected(e.getKey(), "the other Nodes: " + seen.get(e.getKey()).evidence()))
          .orElse(new Distribution.Detected(Distribution.OTHER, "no Node"));
    }

    private static List<InetAddress> peerIps(EtcdMember m) {
      return m.peerUrls().stream().map(Advisor::literalOf).flatMap(Optional::stream).toList();
    }

    /** The policy's family; under Any the family the compliant members use, else the Node's first InternalIP's. */
    private Family wantedFamily() {
      if (rules.addressFamily() == AddressFamily.IPv4) {
        return Family.IPv4;
      }
      if (rules.addressFamily() == AddressFamily.IPv6) {
        return Family.IPv6;
      }
      Map<Family, Long> counts = all.stream().filter(MemberVerdict::compliant).map(v -> peerIps(v.member()))
          .filter(ips -> !ips.isEmpty()).map(ips -> PeerAddress.familyOf(ips.get(0)))
          .collect(Collectors.groupingBy(f -> f, Collectors.counting()));
      long total = counts.values().stream().mapToLong(Long::longValue).sum();
      Optional<Family> majority = counts.entrySet().stream().filter(e -> e.getValue() * 2 > total).map(Map.Entry::getKey).findFirst();
      if (majority.isPresent()) {
        return majority.get();
      }
      return node == null ? null : node.firstInternalAddress().map(PeerAddress::familyOf).orElse(null);
    }

    /**
     * The address the member should advertise: one of its Node's InternalIPs that is of the wanted family,
     * inside the allowed CIDRs, routable (unless the whole cluster lives on loopback), and not an address
     * that was flagged or belongs to another member. Empty when the Node has none.
     */
    private Optional<InetAddress> chooseTarget() {
      if (node == null) {
        return Optional.empty();
      }
      boolean clusterRoutable = all.stream().filter(MemberVerdict::compliant).flatMap(v -> peerIps(v.member()).stream())
          .anyMatch(ip -> !ip.isLoopbackAddress() && !ip.isLinkLocalAddress());
      return node.internalAddresses().stream()
          .filter(ip -> !flagged.contains(ip))
          .filter(ip -> wantedFamily == null || PeerAddress.familyOf(ip) == wantedFamily)
          .filter(ip -> rules.allowedCidrs().isEmpty() || rules.allowedCidrs().stream().anyMatch(c -> c.contains(ip)))
          .filter(ip -> !clusterRoutable || !(ip.isLoopbackAddress() || ip.isLinkLocalAddress()))
          .findFirst();
    }

    private String needed() {
      String family = wantedFamily == null ? "" : wantedFamily + " ";
      String cidrs = rules.allowedCidrs().isEmpty() ? ""
          : " in " + rules.allowedCidrs().stream().map(Cidr::text).collect(Collectors.joining(" or "));
      return "an " + family + "address" + cidrs + (node == null ? "" : " on node " + node.name());
    }

    private String targetText() {
      return target.map(PeerAddress::toText).orElseGet(() -> "<" + needed() + ">");
    }

    private String targetPeerUrl() {
      String url = member.peerUrls().isEmpty() ? "https://x:2380" : member.peerUrls().get(0);
      return target.map(ip -> replaceHost(url, ip)).orElseGet(() -> scheme(url) + "://<" + needed() + ">:" + port(url, 2380));
    }

    private String who() {
      return member.started() ? member.name() + " (" + member.idHex() + ")" : member.idHex();
    }

    Fix fix() {
      Reason primary = verdict.primaryReason();
      Steps steps = new Steps();
      List<String> pre = new java.util.ArrayList<>();
      pre.add("primary reason: " + primary + " (evidence: " + verdict.findings().stream().map(f -> f.reason().name()).distinct()
          .collect(Collectors.joining(", ")) + ")");
      pre.add(node == null ? "node: none matched by annotation, name, peer or client address"
          : "node: " + node.name() + " (matched by " + verdict.matchedBy().label() + ")");
      pre.add("distribution: " + distribution.describe());
      pre.add("member started: " + (member.started() ? "yes" : "no") + "; reachable: " + known(reachable));
      pre.add("voters: " + voters + (voters == 1 ? " (single member)" : "")
          + "; quorum margin: " + (margin == null ? "unknown (member health not read)" : margin
          + " (" + health.healthyVoters() + " of " + health.voters() + " voters healthy"
          + (othersAtRisk().isEmpty() ? "" : "; counting " + othersAtRisk().size() + " other healthy voter(s) expected to fail: "
              + String.join("; ", othersAtRisk())) + ")"));
      if (node != null) {
        pre.add(target.map(ip -> "target address: " + PeerAddress.toText(ip) + " (node " + node.name() + "'s InternalIP"
                + (wantedFamily == null ? "" : ", " + wantedFamily)
                + (rules.allowedCidrs().isEmpty() ? "" : ", inside the allowed CIDRs") + ", not a flagged or another member's address)")
            .orElse("target address: none known: node " + node.name() + " has InternalIP "
                + (node.internalIPs().isEmpty() ? "none" : String.join(", ", node.internalIPs()))
                + ", none of which is acceptable; needed: " + needed()));
      }

      String text;
      if (primary == Reason.UnstartedMember) {
        text = unstarted(steps);
      } else if (node == null) {
        text = withoutNode(steps);
      } else if (primary == Reason.MemberDownNodeNotReady) {
        text = recoverDownMember(steps);
      } else if (rightfulOwnerOfSharedAddress()) {
        text = keepAndMoveTheOthers(steps);
      } else {
        text = moveToNodeAddress(primary, steps);
      }
      return new Fix(text, steps.list(), pre);
    }

    private String unstarted(Steps steps) {
      if (node != null) {
        if (!target.map(ip -> peerIps(member).contains(ip)).orElse(false) && verdict.findings().size() > 1) {
          steps.etcdctl("Correct the unstarted member's peer URL before its server starts: `etcdctl member update " + member.idHex()
              + " --peer-urls=" + targetPeerUrl() + "`.");
        }
        steps.add(startServer());
        steps.add("Check that the member now has a name and client URLs: `etcdctl member list -w table`.");
        return "Member " + member.idHex() + " was added for node " + node.name() + " but its server never started: start it on "
            + node.name() + " (it still counts towards quorum while it is down). Its Node exists, so do not remove it.";
      }
      steps.add("Confirm no server is about to join with it: no host has address " + hostOf(member) + " (`kubectl get nodes -o wide`,"
          + " and on the hosts `ip addr`), and `etcdctl member list -w table` still shows it without a name after the join timeout.");
      steps.etcdctl("Check that every started member is healthy: `etcdctl endpoint health --cluster`.");
      steps.etcdctl("Remove the member that was added by mistake: `etcdctl member remove " + member.idHex() + "`.");
      return "Member " + member.idHex() + " was added but never started and no Node has its address: confirm nothing is joining"
          + " with it, then remove it (an unstarted member counts towards quorum).";
    }

    /** Only DuplicatePeerAddress, on an address that is this member's own Node's InternalIP: the others must move. */
    private boolean rightfulOwnerOfSharedAddress() {
      return verdict.findings().stream().allMatch(f -> f.reason() == Reason.DuplicatePeerAddress)
          && peerIps(member).stream().anyMatch(node::hasInternalIp);
    }

    private String keepAndMoveTheOthers(Steps steps) {
      List<String> others = all.stream().filter(v -> v != verdict && !v.compliant())
          .filter(v -> peerIps(v.member()).stream().anyMatch(peerIps(member)::contains))
          .map(v -> v.memberLabel() + " (" + v.member().idHex() + ")").toList();
      steps.add("Leave this member as it is: " + hostOf(member) + " is node " + node.name() + "'s own InternalIP.");
      steps.add("Follow the fix of the member(s) that share it: " + String.join(", ", others) + ".");
      return "Member " + who() + " on node " + node.name() + " advertises its own Node's address, which "
          + String.join(", ", others) + " also advertise(s): move those, not this one.";
    }

    private String withoutNode(Steps steps) {
      if (Boolean.TRUE.equals(reachable)) {
        steps.add("Find the host that runs it: `kubectl get nodes -o wide` and compare with its client URLs "
            + String.join(", ", member.clientUrls()) + ".");
        steps.add("Make the policy select that Node: check the Node's labels against the policy's nodeSelector"
            + " (`kubectl get node <name> --show-labels`), or add the label (default node-role.kubernetes.io/etcd=true).");
        return "Member " + who() + " answers on its client URL but matches no selected Node: the Node is outside the policy's"
            + " nodeSelector or is named differently. It is live: do not remove it.";
      }
      if (voters <= 1 && !member.learner()) {
        steps.add("Find the host that runs it: `kubectl get nodes -o wide` and the hosts' `ip addr`, compared with its peer address "
            + hostOf(member) + " and client URLs " + String.join(", ", member.clientUrls()) + ".");
        steps.add("Make the policy select that Node: check the Node's labels against the policy's nodeSelector"
            + " (`kubectl get node <name> --show-labels`), then follow the fix given for it there.");
        return "Member " + who() + " is the cluster's only voter and matches no Node: it is not stale, it holds all the data."
            + " Find its host and fix the policy's nodeSelector or the Node's labels; do not remove it.";
      }
      String clients = member.clientUrls().isEmpty() ? "its client URLs" : String.join(",", member.clientUrls());
      steps.add("Confirm the member is stale before removing it: no Node or host has address " + hostOf(member)
          + " (`kubectl get nodes -o wide`), and it does not answer: `etcdctl --endpoints=" + clients + " endpoint status`"
          + " fails while `etcdctl endpoint health --cluster` shows the other members healthy.");
      steps.add("If a Node should match it, fix the policy's nodeSelector or the Node's labels instead, and stop here.");
      steps.etcdctl(marginCheck("Removing a member needs quorum"));
      steps.etcdctl("Remove the stale member: `etcdctl member remove " + member.idHex() + "`.");
      steps.add("If that server comes back, let it rejoin as a new member: stop it, move its etcd data directory aside"
          + (distribution.distribution().isRancher() ? " (/var/lib/rancher/" + (distribution.distribution() == Distribution.RKE2 ? "rke2" : "k3s")
              + "/server/db/etcd)" : "") + " and start it again.");
      return "Member " + who() + " matches no Node: if it is a stale member of a removed server, confirm that first, then remove"
          + " it while quorum holds (a dead member still counts towards quorum).";
    }

    private String moveToNodeAddress(Reason primary, Steps steps) {
      Distribution d = distribution.distribution();
      String t = targetText();
      String url = targetPeerUrl();
      boolean bootRace = primary == Reason.TemporaryIPv6Address
          || (wantedFamily == Family.IPv4 && verdict.findings().stream().anyMatch(f -> f.reason() == Reason.AddressFamilyMismatch));
      if (target.isEmpty()) {
        steps.add("Give node " + node.name() + " " + needed() + " (its InternalIP " + String.join(", ", node.internalIPs())
            + " is not acceptable), or widen the policy's allowedCIDRs if the network plan changed.");
      }
      switch (d) {
        case K3S, RKE2 -> steps.add("On node " + node.name() + ", pin the node address in " + d.configFile() + ":\n"
            + "    node-ip: " + t + "\n    advertise-address: " + t + "\n"
            + "(" + d.display() + "'s own membership check compares the member list with https://<node-ip>:2380; pinning"
            + " --etcd-arg peer URLs alone does not satisfy it). Do not restart yet.");
        case KUBEADM -> steps.add("On node " + node.name() + ", pin the kubelet's node IP: KUBELET_EXTRA_ARGS=--node-ip=" + t
            + " in /etc/default/kubelet (or /etc/sysconfig/kubelet). Do not restart yet.");
        case TALOS -> steps.add("Pin etcd's subnet in the machine config of " + node.name() + ": `talosctl -n " + node.name()
            + " patch mc --patch '[{\"op\":\"add\",\"path\":\"/cluster/etcd/advertisedSubnets\",\"value\":[\"" + talosSubnet() + "\"]}]'`"
            + " (Talos then updates the member's peer URL itself; that needs quorum).");
        case OTHER -> steps.add("On node " + node.name() + ", set etcd's --initial-advertise-peer-urls=" + url + " and --listen-peer-urls="
            + url + " in its configuration. Do not restart yet.");
      }
      if (bootRace) {
        if (d == Distribution.TALOS) {
          steps.add("Stop temporary addresses on the etcd interface: machine config `machine.sysctls: {net.ipv6.conf.all.use_tempaddr: \"0\"}`.");
        } else {
          steps.add("Make boot wait for IPv4 before " + (d.service() == null ? "the server" : d.service() + ".service")
              + " starts: NetworkManager `nmcli connection modify <connection> ipv4.may-fail no`; systemd-networkd"
              + " `RequiredFamilyForOnline=ipv4` in the interface's .network file; or a oneshot unit with Before="
              + (d.service() == null ? "k3s" : d.service()) + ".service that waits until " + t + " is up.");
          if (primary == Reason.TemporaryIPv6Address) {
            steps.add("Stop temporary addresses on the etcd interface: `sysctl -w net.ipv6.conf.<interface>.use_tempaddr=0`"
                + " and the same line in /etc/sysctl.d/90-etcd.conf.");
          }
        }
      }
      if (primary == Reason.DuplicatePeerAddress) {
        steps.add("The shared address " + hostOf(member) + " is a NAT address or a VIP (e.g. Vagrant's 10.0.2.15), not this host's own:"
            + " choose the host's own interface" + (d.isRancher() ? " (also flannel-iface in " + d.configFile() + ")" : "")
            + ", then move each member that shares it, one at a time.");
      }
      if (primary == Reason.UnresolvableHostname) {
        steps.add("Advertise the IP instead of the hostname (as below), or repair the name " + hostOf(member) + " in DNS.");
      }
      String how;
      if (d == Distribution.TALOS) {
        steps.add("Wait until `talosctl -n " + node.name() + " etcd members` shows " + url + ", one node at a time.");
        how = "let Talos move the member";
      } else if (voters <= 1) {
        if (d.isRancher()) {
          steps.add("Reset the single-member cluster to the pinned address (it rewrites the member's peer URL):"
              + " `systemctl stop " + d.service() + " && " + (d == Distribution.K3S ? "k3s" : "rke2") + " server --cluster-reset && systemctl start "
              + d.service() + "`.");
          how = "reset the single-member cluster with --cluster-reset";
        } else {
          steps.etcdctl("Move the only member (it commits the change alone): `etcdctl member update " + member.idHex() + " --peer-urls=" + url + "`.");
          how = "move the member with etcdctl member update";
        }
      } else {
        steps.etcdctl(marginCheck("Moving a member needs quorum"));
        steps.etcdctl("Move the member: `etcdctl member update " + member.idHex() + " --peer-urls=" + url + "`"
            + " (one member at a time; wait for `etcdctl endpoint health --cluster` before the next).");
        how = "move the member with etcdctl member update while quorum holds";
      }
      switch (d) {
        case K3S, RKE2 -> {
          if (voters > 1) {
            steps.add("Restart the server on " + node.name() + ": `systemctl restart " + d.service() + "`.");
          }
        }
        case KUBEADM -> steps.add("On " + node.name() + ", set --initial-advertise-peer-urls=" + url + " and --listen-peer-urls="
            + url + " (and the client URLs on " + t + ") in " + d.configFile() + "; the kubelet restarts etcd. Then"
            + " `systemctl restart kubelet`.");
        case OTHER -> steps.add("Restart etcd on " + node.name() + ".");
        case TALOS -> { }
      }
      if (d != Distribution.TALOS) {
        steps.etcdctl("Verify: `etcdctl member list -w table` shows " + url + " and `etcdctl endpoint health --cluster` is healthy.");
      }
      String diagnosis = switch (primary) {
        case TemporaryIPv6Address -> "advertises a temporary IPv6 address that the kernel will remove";
        case LinkLocalOrLoopback -> "advertises a loopback or link-local address other hosts cannot reach";
        case DuplicatePeerAddress -> "shares its peer address with another member";
        case UnresolvableHostname -> "advertises a hostname that does not resolve";
        case OutsideAllowedCIDRs -> "advertises an address outside the allowed CIDRs";
        case AddressFamilyMismatch -> "advertises the wrong address family";
        default -> "advertises an address that is not its node's";
      };
      return "Member " + who() + " on node " + node.name() + " " + diagnosis + ". Fix the host's address choice ("
          + (d == Distribution.TALOS ? "cluster.etcd.advertisedSubnets" : d.isRancher() ? "node-ip " + t + " in " + d.configFile()
              : "node IP " + t) + (bootRace && d != Distribution.TALOS ? ", boot waits for IPv4" : "") + "), then "
          + how + " to " + url + (d == Distribution.TALOS || voters <= 1 ? "." : ", then restart the server.");
    }

    /** Why the other at-risk healthy voters will fail (this member is the one acted on). */
    private List<String> othersAtRisk() {
      return health.atRisk().entrySet().stream().filter(e -> e.getKey() != member.id()).map(Map.Entry::getValue).toList();
    }

    /**
     * The incident after the reboot: the member is down and its Node NotReady. When its registered address is still
     * acceptable and the Node's, the server only has to pick it again (pin it); otherwise pin the new address, move the
     * member from a healthy server while quorum holds, then start the server. A single member (kubeadm, other) is its
     * own quorum: back up its data directory, start it on the new address, then move it from itself; --force-new-cluster
     * is not used (it keeps the registered peer URL). Never remove it: it is the Node's own.
     */
    private String recoverDownMember(Steps steps) {
      Distribution d = distribution.distribution();
      boolean keepRegistered = target.map(ip -> peerIps(member).contains(ip)).orElse(false);
      boolean temporary = verdict.findings().stream().anyMatch(f -> f.reason() == Reason.TemporaryIPv6Address);
      boolean single = voters <= 1;
      boolean startThenMove = single && !keepRegistered && (d == Distribution.KUBEADM || d == Distribution.OTHER);
      String t = targetText();
      String url = targetPeerUrl();
      switch (d) {
        case K3S, RKE2 -> steps.add("On node " + node.name() + ", confirm why the server did not rejoin: `journalctl -u " + d.service()
            + " -b | grep 'not a member of the etcd cluster'`; its `expect:` is the address this boot picked (`ip -br addr`"
            + " lists what the node has), `Found [...]` the member list with " + hostOf(member) + ".");
        case KUBEADM -> steps.add("On node " + node.name() + ", see why etcd and the kubelet are not running: `journalctl -u kubelet -b`"
            + " and `crictl ps -a --name etcd`, then `crictl logs <etcd container>` (a bind error names the address etcd"
            + " cannot listen on).");
        case TALOS -> steps.add("Check etcd on node " + node.name() + ": `talosctl -n " + node.name() + " service etcd` and `talosctl -n "
            + node.name() + " logs etcd`.");
        case OTHER -> steps.add("On node " + node.name() + ", see why etcd does not run: its service log (`journalctl -u etcd -b`)"
            + " and `ip -br addr` (the addresses the node has now).");
      }
      if (target.isEmpty()) {
        steps.add("Give node " + node.name() + " " + needed() + " (its InternalIP " + String.join(", ", node.internalIPs())
            + " is not acceptable), or widen the policy's allowedCIDRs if the network plan changed.");
      }
      if (startThenMove) {
        steps.add("Back up the only member's data while etcd is down (`etcdctl snapshot save` needs a running member): on "
            + node.name() + ", `cp -a /var/lib/etcd/member /var/lib/etcd/member.backup`"
            + (d == Distribution.KUBEADM ? " (kubeadm's data dir; see --data-dir in " + d.configFile() + ")"
                : " (use etcd's --data-dir if it is not /var/lib/etcd)") + ".");
      }
      switch (d) {
        case K3S, RKE2 -> steps.add("Pin the node address in " + d.configFile() + " on " + node.name() + ":\n    node-ip: " + t
            + "\n    advertise-address: " + t + "\n(" + (keepRegistered ? "the member's registered address: the server then picks it"
                + " again; " : "") + d.display() + "'s own membership check compares the member list with https://<node-ip>:2380,"
            + " so pinning --etcd-arg URLs alone does not let it start).");
        case KUBEADM -> steps.add("Pin the kubelet's node IP on " + node.name() + ": KUBELET_EXTRA_ARGS=--node-ip=" + t
            + " in /etc/default/kubelet, and set --initial-advertise-peer-urls=" + url + ", --listen-peer-urls=" + url
            + " and the client URLs on " + t + " in " + d.configFile() + ".");
        case TALOS -> steps.add("Pin etcd's subnet in the machine config of " + node.name() + ": `talosctl -n " + node.name()
            + " patch mc --patch '[{\"op\":\"add\",\"path\":\"/cluster/etcd/advertisedSubnets\",\"value\":[\"" + talosSubnet() + "\"]}]'`"
            + " (Talos updates the member's peer URL itself once etcd runs; that needs quorum"
            + (single ? ", which a single member is for itself" : "") + ").");
        case OTHER -> steps.add("On node " + node.name() + ", set etcd's --initial-advertise-peer-urls=" + url + " and --listen-peer-urls="
            + url + " (and the client URLs on " + t + "), with --initial-cluster-state=existing.");
      }
      if (d != Distribution.TALOS && (temporary || !keepRegistered)) {
        steps.add("Make boot wait for IPv4 before " + (d.service() == null ? "the server" : d.service() + ".service")
            + " starts: NetworkManager `nmcli connection modify <connection> ipv4.may-fail no`; systemd-networkd"
            + " `RequiredFamilyForOnline=ipv4`; or a oneshot unit with Before=" + (d.service() == null ? "k3s" : d.service())
            + ".service that waits until " + t + " is up.");
        if (temporary) {
          steps.add("Stop temporary addresses on the etcd interface: `sysctl -w net.ipv6.conf.<interface>.use_tempaddr=0`"
              + " and the same line in /etc/sysctl.d/90-etcd.conf.");
        }
      }
      String how;
      if (d == Distribution.TALOS) {
        steps.add("Wait until `talosctl -n " + node.name() + " etcd members` shows " + url + " and the node is Ready.");
        if (single) {
          String n = "talosctl -n " + node.name();
          steps.add("If etcd still does not start, recover the single node from its own data (Talos' disaster recovery): copy the"
              + " database `" + n + " cp /var/lib/etcd/member/snap/db ./db.snapshot`, wipe the node's EPHEMERAL partition `" + n
              + " reset --graceful=false --reboot --system-labels-to-wipe=EPHEMERAL`, wait until `" + n + " service etcd` is"
              + " Preparing, then `" + n + " bootstrap --recover-from=./db.snapshot --recover-skip-hash-check` (the hash check"
              + " is skipped because the file is a copy of the data directory, not a `talosctl etcd snapshot`).");
        }
        how = "let Talos move the member" + (single ? " (or restore the single node from its database copy)" : "");
      } else if (keepRegistered) {
        how = "start the server so the member rejoins at its registered " + url;
      } else if (voters <= 1 && d.isRancher()) {
        steps.add("Reset the single-member cluster to the pinned address (it rewrites the member's peer URL): `"
            + (d == Distribution.K3S ? "k3s" : "rke2") + " server --cluster-reset`, then `systemctl start " + d.service() + "`.");
        how = "reset the single-member cluster with --cluster-reset";
      } else if (startThenMove) {
        ownEndpointOnceFixed = targetClientUrl();
        steps.add(startDownServer(d));
        steps.etcdctl("Once it runs, move the only member from itself (one voter is its own quorum, so the update commits alone): `etcdctl"
            + " --endpoints=" + targetClientUrl() + " member update " + member.idHex() + " --peer-urls=" + url + "`. Do not use"
            + " --force-new-cluster for this: it is not needed with one member and keeps the registered peer URL.");
        how = "back up its data, start it on " + t + " and move the only member to " + url + " with etcdctl member update (it is its"
            + " own quorum)";
      } else {
        steps.etcdctl(downMemberQuorumCheck());
        steps.etcdctl("From a healthy server, move the member to the address the node has: `etcdctl member update " + member.idHex()
            + " --peer-urls=" + url + "`.");
        how = "move the member with etcdctl member update from a healthy server while quorum holds";
      }
      if (!(single && d.isRancher() && !keepRegistered) && !startThenMove && d != Distribution.TALOS) {
        steps.add(startDownServer(d));
      }
      if (d != Distribution.TALOS) {
        steps.etcdctl("Verify: `etcdctl endpoint health --cluster` shows member " + member.idHex() + " healthy at " + url
            + ", and `kubectl get node " + node.name() + "` is Ready.");
      }
      return "Member " + who() + " does not answer and node " + node.name() + " is NotReady: most likely the node rebooted and its"
          + " server could not rejoin etcd (it picked another address than the registered one at boot). Pin "
          + (d == Distribution.TALOS ? "cluster.etcd.advertisedSubnets" : "the node address " + t) + ", then " + how
          + ". Do not remove the member: it is node " + node.name() + "'s own.";
    }

    private String startDownServer(Distribution d) {
      return switch (d) {
        case K3S, RKE2 -> "Start the server on " + node.name() + ": `systemctl restart " + d.service() + "`.";
        case KUBEADM -> "Restart the kubelet on " + node.name() + ": `systemctl restart kubelet` (it recreates etcd's static pod).";
        default -> "Start etcd on " + node.name() + ".";
      };
    }

    /** The member's client URL on the target address (scheme and port kept), where it answers once it runs there. */
    private String targetClientUrl() {
      String url = member.clientUrls().isEmpty() ? "https://x:2379" : member.clientUrls().get(0);
      return target.map(ip -> scheme(url) + "://" + (ip instanceof Inet6Address ? "[" + PeerAddress.toText(ip) + "]" : PeerAddress.toText(ip))
          + ":" + port(url, 2379)).orElseGet(() -> scheme(url) + "://<" + needed() + ">:" + port(url, 2379));
    }

    /** A member update needs quorum (not a margin: the member moved is already down, restarting it costs nothing). */
    private String downMemberQuorumCheck() {
      String why = "Updating a member needs quorum";
      if (health.faultTolerance() == null) {
        return why + ": check that a majority of the members is healthy first (`etcdctl endpoint health --cluster`).";
      }
      if (health.faultTolerance() < 0) {
        return why + " and it is lost (" + health.healthyVoters() + " of " + health.voters() + " voters healthy): the update cannot"
            + " commit. Bring another member back first, or follow etcd's disaster recovery (K3s/RKE2: `server --cluster-reset` on"
            + " one healthy server).";
      }
      return why + ": it holds (" + health.healthyVoters() + " of " + health.voters() + " voters healthy, " + health.faultTolerance()
          + " more may fail" + (othersAtRisk().isEmpty() ? "" : "; but " + String.join("; ", othersAtRisk()))
          + "); do it now, and restart no other server until this member is healthy again.";
    }

    private String marginCheck(String why) {
      if (margin == null) {
        return why + ": check that every other member is healthy first (`etcdctl endpoint health --cluster`); with "
            + voters + " voters proceed only while all of them answer.";
      }
      if (margin < 1 && health.faultTolerance() >= 1) {
        return why + ": the cluster tolerates " + health.faultTolerance() + " more failure(s) now, but other healthy voters"
            + " are expected to fail (" + String.join("; ", othersAtRisk()) + "), which leaves no margin (quorum margin "
            + margin + " counting them). Do this member now, before they fail, restart no other server meanwhile, and confirm"
            + " with `etcdctl endpoint health --cluster` just before; then fix those members one at a time.";
      }
      if (margin < 1) {
        return why + " and the cluster tolerates no further failure now (quorum margin " + margin + "): bring the unhealthy"
            + " members back first and continue only when `etcdctl endpoint health --cluster` shows them healthy.";
      }
      return why + ": the cluster tolerates " + margin + " more failure(s)"
          + (othersAtRisk().isEmpty() ? "" : " once the " + othersAtRisk().size() + " other voter(s) expected to fail have failed")
          + "; confirm with `etcdctl endpoint health --cluster`.";
    }

    private String startServer() {
      Distribution d = distribution.distribution();
      return switch (d) {
        case K3S, RKE2 -> "On node " + node.name() + ", start the server so it joins: `systemctl start " + d.service() + "` (its "
            + d.configFile() + " needs server: and token: of the existing cluster).";
        case KUBEADM -> "On node " + node.name() + ", finish the join: `kubeadm join --control-plane ...` creates etcd's static pod.";
        case TALOS -> "Check node " + node.name() + " with `talosctl -n " + node.name() + " service etcd`.";
        case OTHER -> "On node " + node.name() + ", start etcd with --initial-cluster-state=existing and peer URL "
            + String.join(",", member.peerUrls()) + ".";
      };
    }

    private String talosSubnet() {
      if (!rules.allowedCidrs().isEmpty()) {
        return rules.allowedCidrs().get(0).text();
      }
      return target.map(ip -> PeerAddress.toText(ip) + (ip instanceof Inet6Address ? "/128" : "/32")).orElse("<" + needed() + ">");
    }

    /** Steps, with the ETCDCTL_* environment put first when a step runs etcdctl. */
    private final class Steps {
      private final List<String> steps = new java.util.ArrayList<>();
      private boolean usesEtcdctl;

      void add(String step) {
        steps.add(step);
      }

      void etcdctl(String step) {
        usesEtcdctl = true;
        steps.add(step);
      }

      List<String> list() {
        if (!usesEtcdctl) {
          return steps;
        }
        String endpoint = ownEndpointOnceFixed != null ? ownEndpointOnceFixed : healthyEndpoint();
        String env = distribution.distribution().etcdctlEnvironment(endpoint);
        List<String> result = new java.util.ArrayList<>();
        if (ownEndpointOnceFixed != null) {
          result.add("On node " + node.name() + ", point etcdctl at the member's new client URL: `"
              + (env == null ? "export ETCDCTL_API=3 ETCDCTL_ENDPOINTS=" + endpoint + "` (plus ETCDCTL_CACERT/CERT/KEY for TLS)." : env + "`."));
        } else {
          result.add(env == null
              ? "Run etcdctl against a healthy member: `export ETCDCTL_API=3 ETCDCTL_ENDPOINTS=" + endpoint + "` (plus ETCDCTL_CACERT/CERT/KEY for TLS)."
              : "On a healthy server, point etcdctl at the cluster: `" + env + "`.");
        }
        result.addAll(steps);
        return result;
      }
    }

    /** A client URL of a compliant member (not this one), else of this member. */
    private String healthyEndpoint() {
      return all.stream().filter(v -> v.compliant() && v != verdict).flatMap(v -> v.member().clientUrls().stream()).findFirst()
          .or(() -> member.clientUrls().stream().findFirst()).orElse("https://127.0.0.1:2379");
    }
  }

  private static String known(Boolean b) {
    return b == null ? "unknown" : b ? "yes" : "no";
  }

  private static String hostOf(EtcdMember m) {
    return m.peerUrls().stream().map(u -> {
      try {
        return PeerAddress.parse(u).display();
      } catch (IllegalArgumentException e) {
        return u;
      }
    }).findFirst().orElse("(no peer URL)");
  }

  static Optional<InetAddress> literalOf(String url) {
    try {
      return Optional.ofNullable(PeerAddress.parse(url).literal());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String scheme(String url) {
    try {
      return Objects.requireNonNullElse(new URI(url).getScheme(), "https");
    } catch (Exception e) {
      return "https";
    }
  }

  private static int port(String url, int fallback) {
    try {
      int port = new URI(url).getPort();
      return port < 0 ? fallback : port;
    } catch (Exception e) {
      return fallback;
    }
  }

  /** The URL with its host replaced by the address (bracketed for IPv6), scheme and port kept. */
  public static String replaceHost(String url, InetAddress ip) {
    String text = PeerAddress.toText(ip);
    String host = ip instanceof Inet6Address ? "[" + text + "]" : text;
    return scheme(url) + "://" + host + ":" + port(url, 2380);
  }

  /** The first finding of the member's primary reason (its evidence line). */
  public static Optional<Finding> primaryFinding(MemberVerdict v) {
    return v.primary();
  }
}
