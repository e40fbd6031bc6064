package io.etcdguard.classify;

import io.etcdguard.host.AddressPrediction;
import io.etcdguard.host.HostAddress;
import io.etcdguard.host.NodeHostReport;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One rule per {@link Risk}: the restart posture of an etcd server Node, from its node-args (the API alone) and
 * its agent's fresh report. Pure, like {@link Rules}; docs/reasons.md documents each rule.
 */
final class PostureRules {
  private PostureRules() {}

  /** K3s/RKE2 check the member list against https://&lt;node address&gt;:2380, always port 2380. */
  static final int RANCHER_PEER_PORT = 2380;

  /**
   * What the posture rules read about one member's Node.
   *
   * @param rancher "k3s" or "rke2" when the Node runs one of them, else null
   * @param report the Node's fresh report, if any
   * @param allMembers the member list as etcd gives it (K3s quotes it in its error)
   */
  record PostureFacts(MemberFacts member, NodeInfo node, String rancher, Optional<NodeHostReport> report, List<EtcdMember> allMembers) {
    NodeArgs args() {
      return node.nodeArgs();
    }

    /** A K3s/RKE2 server whose node-args are readable and carry no --node-ip. */
    boolean autoDetects() {
      return rancher != null && args().present() && args().readable() && !args().nodeIpPinned();
    }

    /** The member's registered peer address (its first peer URL's IP), or null. */
    InetAddress registered() {
      return member.peers().stream().map(Peer::ip).filter(Objects::nonNull).findFirst().orElse(null);
    }

    String configFile() {
      return "/etc/rancher/" + rancher + "/config.yaml";
    }

    String service() {
      return "rke2".equals(rancher) ? "rke2-server" : "k3s";
    }

    String display() {
      return "rke2".equals(rancher) ? "RKE2" : "K3s";
    }
  }

  @FunctionalInterface
  interface Rule {
    void check(PostureFacts facts, List<RiskFinding> out);
  }

  static final List<Rule> ALL = List.of(
      PostureRules::restartRisk,
      PostureRules::temporaryAddressesEnabled,
      PostureRules::nodeIpNotPinned,
      PostureRules::nodeArgsUnreadable);

  /** "k3s", "rke2" or null, from node-args, the etcd member annotations, or the kubelet version. */
  static String rancherOf(NodeInfo node) {
    if (node.nodeArgs().present()) {
      return node.nodeArgs().isRke2() ? "rke2" : "k3s";
    }
    if (node.annotations().keySet().stream().anyMatch(k -> k.startsWith("etcd.rke2.cattle.io/"))) {
      return "rke2";
    }
    if (node.annotations().keySet().stream().anyMatch(k -> k.startsWith("etcd.k3s.cattle.io/"))) {
      return "k3s";
    }
    String kubelet = Objects.requireNonNullElse(node.kubeletVersion(), "");
    return kubelet.contains("+rke2") ? "rke2" : kubelet.contains("+k3s") ? "k3s" : null;
  }

  static void restartRisk(PostureFacts f, List<RiskFinding> out) {
    InetAddress registered = f.registered();
    if (!f.autoDetects() || f.report().isEmpty() || registered == null) {
      return;
    }
    NodeHostReport report = f.report().get();
    for (var when : List.of(new When("now", report.predictions().now()), new When("at boot before IPv4 is up", report.predictions().bootRace()))) {
      AddressPrediction p = when.prediction();
      InetAddress predicted = p == null || !p.found() ? null : PeerAddress.parseLiteral(p.address()).orElse(null);
      if (predicted != null && !predicted.equals(registered)) {
        String expect = f.member().member().name() + "=" + rancherPeerUrl(predicted);
        String message = "node " + f.node().name() + " (" + f.display() + ") auto-detects its node address (no --node-ip in "
            + f.args().annotation() + "); a start " + when.label() + " would pick " + PeerAddress.toText(predicted) + " on "
            + p.interfaceName() + " (" + p.why() + (p.certainty() == AddressPrediction.Certainty.UNCERTAIN
                ? "; read from /proc, so the order among several addresses is uncertain" : "")
            + "), not member " + f.member().member().name() + "'s registered " + PeerAddress.toText(registered)
            + ". " + f.display() + " would log: \"" + notAMemberLine(f.allMembers(), expect) + "\"";
        out.add(new RiskFinding(Risk.RestartRisk, message, restartFix(f, registered, report), PeerAddress.toText(predicted)));
        return;
      }
    }
  }

  private record When(String label, AddressPrediction prediction) {}

  /** K3s'/RKE2's own line when the member list does not contain the node's address. */
  static String notAMemberLine(List<EtcdMember> members, String expect) {
    String found = members.stream().filter(m -> !m.peerUrls().isEmpty())
        .map(m -> m.name() + "=" + m.peerUrls().get(0)).collect(Collectors.joining(" "));
    return "this server is a not a member of the etcd cluster. Found [" + found + "], expect: " + expect;
  }

  static String rancherPeerUrl(InetAddress address) {
    String text = PeerAddress.toText(address);
    return "https://" + (address instanceof Inet6Address ? "[" + text + "]" : text) + ":" + RANCHER_PEER_PORT;
  }

  /** Best first: pin the address; make boot wait for IPv4; no temporary addresses; never --etcd-arg alone. */
  static List<String> restartFix(PostureFacts f, InetAddress registered, NodeHostReport report) {
    String r = PeerAddress.toText(registered);
    String iface = report.find(registered).map(HostAddress::interfaceName).orElse("<interface>");
    return List.of(
        "Pin the node address in " + f.configFile() + ": `node-ip: " + r + "` and `advertise-address: " + r
            + "` (" + f.display() + "'s membership check compares the member list with https://<node-ip>:2380; pinning --etcd-arg"
            + " listen/advertise URLs alone does not satisfy it).",
        "Make boot wait for IPv4 before " + f.service()
            + ".service: NetworkManager `nmcli connection modify <connection> ipv4.may-fail no`; systemd-networkd"
            + " `RequiredFamilyForOnline=ipv4` in the interface's .network file; or a oneshot unit with Before=" + f.service()
            + ".service that waits until " + r + " is up.",
        "Stop temporary addresses on " + iface + ": `sysctl -w net.ipv6.conf."
            + iface + ".use_tempaddr=0` and the same line in /etc/sysctl.d/90-etcd.conf.");
  }

  static void temporaryAddressesEnabled(PostureFacts f, List<RiskFinding> out) {
    InetAddress registered = f.registered();
    if (f.report().isEmpty() || registered == null) {
      return;
    }
    NodeHostReport report = f.report().get();
    Optional<HostAddress> carrier = report.find(registered);
    if (carrier.isEmpty()) {
      return;
    }
    String iface = carrier.get().interfaceName();
    Optional<Integer> useTempaddr = report.useTempaddr(iface);
    if (useTempaddr.isPresent() && useTempaddr.get() >= 1) {
      out.add(new RiskFinding(Risk.TemporaryAddressesEnabled,
          "node " + f.node().name() + " has use_tempaddr=" + useTempaddr.get() + " on " + iface + ", the interface of member "
              + f.member().member().name() + "'s address " + PeerAddress.toText(registered) + ": the kernel makes IPv6 temporary"
              + " addresses there" + (useTempaddr.get() >= 2 ? " and prefers them" : "") + ".",
          List.of("`sysctl -w net.ipv6.conf." + iface + ".use_tempaddr=0` and the same line in /etc/sysctl.d/90-etcd.conf"
              + " (existing temporary addresses go when they expire, or at once with `ip -6 addr flush dev " + iface + " temporary`)."),
          null));
    }
  }

  static void nodeIpNotPinned(PostureFacts f, List<RiskFinding> out) {
    if (!f.autoDetects()) {
      return;
    }
    InetAddress registered = f.registered();
    String r = registered == null ? "<address>" : PeerAddress.toText(registered);
    out.add(new RiskFinding(Risk.NodeIPNotPinned,
        "node " + f.node().name() + " (" + f.display() + ") records no --node-ip in " + f.args().annotation() + ": its node address is"
            + " auto-detected at every start (the IPv4 default route's interface, else IPv6, first global address) and checked"
            + " against member " + f.member().member().name() + "'s peer URL.",
        List.of("Pin `node-ip: " + r + "` and `advertise-address: " + r + "` in " + f.configFile() + "."), null));
  }

  static void nodeArgsUnreadable(PostureFacts f, List<RiskFinding> out) {
    if (f.args().present() && !f.args().readable()) {
      out.add(new RiskFinding(Risk.NodeArgsUnreadable, "node " + f.node().name() + ": " + f.args().problem() + ".", List.of(), null));
    }
  }

  /** The posture of each matched member's Node. */
  static List<NodePosture> assess(List<MemberFacts> members, List<EtcdMember> all, HostReports reports) {
    List<NodePosture> postures = new ArrayList<>();
    for (MemberFacts m : members) {
      if (m.node() == null || !m.member().started()) {
        continue;
      }
      NodeInfo node = m.node();
      PostureFacts facts = new PostureFacts(m, node, rancherOf(node), reports.fresh(node.name()), all);
      List<RiskFinding> risks = new ArrayList<>();
      for (Rule rule : ALL) {
        rule.check(facts, risks);
      }
      // a restart can be judged when nothing auto-detects (not K3s/RKE2, or --node-ip), or when it does and a fresh report tells what it would pick
      boolean pinned = facts.rancher() == null || node.nodeArgs().nodeIpPinned();
      boolean factsMissing = !pinned && !(facts.autoDetects() && facts.report().isPresent());
      postures.add(new NodePosture(node.name(), m.member().name(), risks, reports.state(node.name()),
          reports.age(node.name()).orElse(null),
          reports.byNode().containsKey(node.name()) ? reports.byNode().get(node.name()).observedAt() : null, factsMissing));
    }
    return postures;
  }
}
