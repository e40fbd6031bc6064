package io.etcdguard.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.api.v1alpha1.AddressFamily;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The classifier's table: each row is a cluster (members, Nodes, policy) and the findings expected per
 * member, written "Reason@address" (Suspected findings end in "?"). Members not named must be compliant.
 */
class ClassifierTest {
  static final String TEMP_V6 = "fd00:c0ff:ee:0:da69:8213:dd0b:aac3";

  // The seed's cluster: three K3s servers registered at their IPv4 addresses.
  static final EtcdMember K3S_1 = member(0x1L, "k3s-1-b2495bc5", "https://192.168.1.31:2380");
  static final EtcdMember LOSANGELES = member(0x2L, "losangeles-0ac72af5", "https://192.168.1.30:2380");
  static final EtcdMember K3S_2 = member(0x3L, "k3s-2-5a3e0192", "https://192.168.1.32:2380");
  static final NodeInfo NODE_K3S_1 = k3sNode("k3s-1", "k3s-1-b2495bc5", "192.168.1.31");
  static final NodeInfo NODE_LOSANGELES = k3sNode("losangeles", "losangeles-0ac72af5", "192.168.1.30");
  static final NodeInfo NODE_K3S_2 = k3sNode("k3s-2", "k3s-2-5a3e0192", "192.168.1.32");
  static final List<NodeInfo> SEED_NODES = List.of(NODE_K3S_1, NODE_LOSANGELES, NODE_K3S_2);

  static Stream<Arguments> table() {
    return Stream.of(
        row("seed cluster as registered: all compliant",
            List.of(K3S_1, LOSANGELES, K3S_2), SEED_NODES, PolicyRules.defaults(), Map.of()),
        row("seed, first-join shape: losangeles registered with the temporary IPv6",
            List.of(K3S_1, member(0x2L, "losangeles-0ac72af5", "https://[" + TEMP_V6 + "]:2380"), K3S_2),
            SEED_NODES, PolicyRules.defaults(),
            Map.of("losangeles-0ac72af5", Set.of("NotNodeInternalIP@" + TEMP_V6, "AddressFamilyMismatch@" + TEMP_V6,
                "TemporaryIPv6Address@" + TEMP_V6 + "?"))),
        row("first-join shape where the Node's InternalIP is the temporary address itself",
            List.of(K3S_1, member(0x2L, "losangeles-0ac72af5", "https://[" + TEMP_V6 + "]:2380"), K3S_2),
            List.of(NODE_K3S_1, k3sNode("losangeles", "losangeles-0ac72af5", TEMP_V6), NODE_K3S_2),
            PolicyRules.defaults(),
            Map.of("losangeles-0ac72af5", Set.of("AddressFamilyMismatch@" + TEMP_V6, "TemporaryIPv6Address@" + TEMP_V6 + "?"))),
        row("IPv6-only cluster on stable random-looking (RFC 7217) InternalIPs raises nothing",
            List.of(member(1, "a", "https://[2001:db8::3c4d:15ff:1e4a:9b21]:2380"),
                member(2, "b", "https://[2001:db8::8a1f:2c3e:77b0:d401]:2380"),
                member(3, "c", "https://[fd12:3456::e9a2:11c4:5f03:7a6b]:2380")),
            List.of(node("a", "2001:db8::3c4d:15ff:1e4a:9b21"), node("b", "2001:db8::8a1f:2c3e:77b0:d401"),
                node("c", "fd12:3456::e9a2:11c4:5f03:7a6b")),
            PolicyRules.defaults(), Map.of()),
        row("policy IPv6 with the same IPv6-only cluster raises nothing",
            List.of(member(1, "a", "https://[2001:db8::3c4d:15ff:1e4a:9b21]:2380"),
                member(2, "b", "https://[2001:db8::8a1f:2c3e:77b0:d401]:2380")),
            List.of(node("a", "2001:db8::3c4d:15ff:1e4a:9b21"), node("b", "2001:db8::8a1f:2c3e:77b0:d401")),
            rules(AddressFamily.IPv6), Map.of()),
        row("EUI-64 address that is not the node's IP: wrong address, but not temporary",
            List.of(K3S_1, member(0x2L, "losangeles-0ac72af5", "https://[fd00:c0ff:ee:0:21a:2bff:fe3c:4d5e]:2380"), K3S_2),
            SEED_NODES, PolicyRules.defaults(),
            Map.of("losangeles-0ac72af5", Set.of("NotNodeInternalIP@fd00:c0ff:ee:0:21a:2bff:fe3c:4d5e",
                "AddressFamilyMismatch@fd00:c0ff:ee:0:21a:2bff:fe3c:4d5e"))),
        row("policy IPv4 flags an IPv6 member that is its node's only InternalIP, and calls it temporary",
            List.of(member(1, "a", "https://[2001:db8::3c4d:15ff:1e4a:9b21]:2380")),
            List.of(node("a", "2001:db8::3c4d:15ff:1e4a:9b21")),
            rules(AddressFamily.IPv4),
            Map.of("a", Set.of("AddressFamilyMismatch@2001:db8::3c4d:15ff:1e4a:9b21",
                "TemporaryIPv6Address@2001:db8::3c4d:15ff:1e4a:9b21?"))),
        row("policy IPv6 flags IPv4 members",
            List.of(K3S_1), List.of(NODE_K3S_1), rules(AddressFamily.IPv6),
            Map.of("k3s-1-b2495bc5", Set.of("AddressFamilyMismatch@192.168.1.31"))),
        row("dual-stack node whose first InternalIP is IPv4, single IPv6 member under Any",
            List.of(member(1, "a", "https://[2001:db8::3c4d:15ff:1e4a:9b21]:2380")),
            List.of(node("a", "10.0.0.1", "2001:db8::3c4d:15ff:1e4a:9b21")), PolicyRules.defaults(),
            Map.of("a", Set.of("AddressFamilyMismatch@2001:db8::3c4d:15ff:1e4a:9b21",
                "TemporaryIPv6Address@2001:db8::3c4d:15ff:1e4a:9b21?"))),
        row("allowedCIDRs: a member on its node's IP outside them",
            List.of(K3S_1, member(2, "losangeles-0ac72af5", "https://10.0.0.5:2380")),
            List.of(NODE_K3S_1, k3sNode("losangeles", "losangeles-0ac72af5", "10.0.0.5")),
            new PolicyRules(AddressFamily.Any, List.of(Cidr.parse("192.168.1.0/24"))),
            Map.of("losangeles-0ac72af5", Set.of("OutsideAllowedCIDRs@10.0.0.5"))),
        row("allowedCIDRs: IPv6 prefix, member inside",
            List.of(member(1, "a", "https://[fd00:c0ff:ee::10]:2380")), List.of(node("a", "fd00:c0ff:ee::10")),
            new PolicyRules(AddressFamily.Any, List.of(Cidr.parse("fd00:c0ff:ee::/48"))), Map.of()),
        row("single-host test cluster on loopback is not flagged",
            List.of(member(1, "k3s-1-b2495bc5", "http://127.0.0.31:2380"), member(2, "losangeles-0ac72af5", "http://127.0.0.30:2380")),
            List.of(k3sNode("k3s-1", "k3s-1-b2495bc5", "127.0.0.31"), k3sNode("losangeles", "losangeles-0ac72af5", "127.0.0.30")),
            PolicyRules.defaults(), Map.of()),
        row("loopback demo cluster with one member moved to the temporary IPv6: the loopback members stay clean",
            List.of(member(1, "k3s-1-b2495bc5", "http://127.0.0.31:2380"),
                member(2, "losangeles-0ac72af5", "http://[" + TEMP_V6 + "]:2380"),
                member(3, "k3s-2-5a3e0192", "http://127.0.0.32:2380")),
            List.of(k3sNode("k3s-1", "k3s-1-b2495bc5", "127.0.0.31"), k3sNode("losangeles", "losangeles-0ac72af5", "127.0.0.30"),
                k3sNode("k3s-2", "k3s-2-5a3e0192", "127.0.0.32")),
            PolicyRules.defaults(),
            Map.of("losangeles-0ac72af5", Set.of("NotNodeInternalIP@" + TEMP_V6, "AddressFamilyMismatch@" + TEMP_V6,
                "TemporaryIPv6Address@" + TEMP_V6 + "?"))),
        row("loopback member among routable ones",
            List.of(K3S_1, LOSANGELES, member(3, "k3s-2-5a3e0192", "https://127.0.0.1:2380")), SEED_NODES,
            PolicyRules.defaults(),
            Map.of("k3s-2-5a3e0192", Set.of("NotNodeInternalIP@127.0.0.1", "LinkLocalOrLoopback@127.0.0.1"))),
        row("link-local member with a zone among routable IPv4 ones",
            List.of(K3S_1, LOSANGELES, member(3, "k3s-2-5a3e0192", "https://[fe80::1%25eth0]:2380")), SEED_NODES,
            PolicyRules.defaults(),
            Map.of("k3s-2-5a3e0192", Set.of("NotNodeInternalIP@fe80::1", "LinkLocalOrLoopback@fe80::1",
                "AddressFamilyMismatch@fe80::1"))),
        row("IPv4-mapped IPv6 counts as the IPv4 it carries",
            List.of(K3S_1, member(2, "losangeles-0ac72af5", "https://[::ffff:192.168.1.30]:2380"), K3S_2),
            SEED_NODES, PolicyRules.defaults(), Map.of()),
        row("two-member split: only the member off its Node's family is flagged, not its IPv4 peer",
            List.of(K3S_1, member(0x2L, "losangeles-0ac72af5", "https://[" + TEMP_V6 + "]:2380")),
            List.of(NODE_K3S_1, NODE_LOSANGELES), PolicyRules.defaults(),
            Map.of("losangeles-0ac72af5", Set.of("NotNodeInternalIP@" + TEMP_V6, "AddressFamilyMismatch@" + TEMP_V6,
                "TemporaryIPv6Address@" + TEMP_V6 + "?"))),
        row("stale member of a removed server",
            List.of(K3S_1, LOSANGELES, K3S_2, member(4, "tokyo-1f2e3d4c", "https://192.168.1.40:2380")), SEED_NODES,
            PolicyRules.defaults(), Map.of("tokyo-1f2e3d4c", Set.of("NoMatchingNode@192.168.1.40"))),
        row("member added but never started, no Node at its address",
            List.of(K3S_1, LOSANGELES, new EtcdMember(5, "", List.of("https://192.168.1.33:2380"), List.of(), false)),
            SEED_NODES, PolicyRules.defaults(),
            Map.of("5", Set.of("UnstartedMember@192.168.1.33", "NoMatchingNode@192.168.1.33"))),
        row("member added but never started, on a Node's address",
            List.of(K3S_1, new EtcdMember(5, "", List.of("https://192.168.1.30:2380"), List.of(), true)),
            SEED_NODES, PolicyRules.defaults(), Map.of("5", Set.of("UnstartedMember@192.168.1.30"))),
        row("kubeadm: member named after its node, no annotations",
            List.of(member(1, "cp-1", "https://10.0.0.11:2380"), member(2, "cp-2", "https://10.0.0.99:2380")),
            List.of(node("cp-1", "10.0.0.11"), node("cp-2", "10.0.0.12")), PolicyRules.defaults(),
            Map.of("cp-2", Set.of("NotNodeInternalIP@10.0.0.99"))),
        row("K3s member matched by its name suffix when the annotation is missing",
            List.of(member(1, "k3s-1-b2495bc5", "https://192.168.1.99:2380")), List.of(node("k3s-1", "192.168.1.31")),
            PolicyRules.defaults(), Map.of("k3s-1-b2495bc5", Set.of("NotNodeInternalIP@192.168.1.99"))),
        row("RKE2 annotation",
            List.of(member(1, "server-a-0badf00d", "https://10.1.0.9:2380")),
            List.of(new NodeInfo("srv-a", Map.of(), Map.of("etcd.rke2.cattle.io/node-name", "server-a-0badf00d"),
                List.of("10.1.0.10"), List.of())),
            PolicyRules.defaults(), Map.of("server-a-0badf00d", Set.of("NotNodeInternalIP@10.1.0.9"))),
        row("hostname peer URL that resolves to the node's InternalIP",
            List.of(member(1, "cp-1", "https://cp-1.example.internal:2380")), List.of(node("cp-1", "10.0.0.11")),
            PolicyRules.defaults(),
            Map.of()),
        row("hostname peer URL that does not resolve",
            List.of(member(1, "cp-1", "https://gone.example.internal:2380")), List.of(node("cp-1", "10.0.0.11")),
            PolicyRules.defaults(), Map.of("cp-1", Set.of("UnresolvableHostname@gone.example.internal"))),
        row("hostname peer URL whose lookup timed out is only suspected",
            List.of(member(1, "cp-1", "https://slow.example.internal:2380")), List.of(node("cp-1", "10.0.0.11")),
            PolicyRules.defaults(), Map.of("cp-1", Set.of("UnresolvableHostname@slow.example.internal?"))),
        row("every VM on the same NAT address (Vagrant 10.0.2.15): duplicate and not the node's IP, each",
            List.of(member(1, "cp-1", "https://10.0.2.15:2380"), member(2, "cp-2", "https://10.0.2.15:2380"),
                member(3, "cp-3", "https://10.0.2.15:2380")),
            List.of(node("cp-1", "192.168.56.11"), node("cp-2", "192.168.56.12"), node("cp-3", "192.168.56.13")),
            PolicyRules.defaults(),
            Map.of("cp-1", Set.of("NotNodeInternalIP@10.0.2.15", "DuplicatePeerAddress@10.0.2.15"),
                "cp-2", Set.of("NotNodeInternalIP@10.0.2.15", "DuplicatePeerAddress@10.0.2.15"),
                "cp-3", Set.of("NotNodeInternalIP@10.0.2.15", "DuplicatePeerAddress@10.0.2.15"))),
        row("a member advertising another member's address: both are flagged as duplicates, even the rightful one",
            List.of(K3S_1, member(2, "losangeles-0ac72af5", "https://192.168.1.31:2380")),
            List.of(NODE_K3S_1, NODE_LOSANGELES), PolicyRules.defaults(),
            Map.of("k3s-1-b2495bc5", Set.of("DuplicatePeerAddress@192.168.1.31"),
                "losangeles-0ac72af5", Set.of("NotNodeInternalIP@192.168.1.31", "DuplicatePeerAddress@192.168.1.31"))),
        row("one host, three members on different ports (etcd's Procfile): not duplicates",
            List.of(member(1, "infra1", "http://127.0.0.1:12380"), member(2, "infra2", "http://127.0.0.1:22380"),
                member(3, "infra3", "http://127.0.0.1:32380")),
            List.of(node("infra1", "127.0.0.1"), node("infra2", "127.0.0.1"), node("infra3", "127.0.0.1")),
            PolicyRules.defaults(), Map.of()),
        row("RKE1 member named etcd-<ip> matched to its Node by that address although it advertises another",
            List.of(member(1, "etcd-10.0.0.5", "https://10.0.0.99:2380"), member(2, "etcd-10.0.0.6", "https://10.0.0.6:2380")),
            List.of(node("rke1-a", "10.0.0.5"), node("rke1-b", "10.0.0.6")), PolicyRules.defaults(),
            Map.of("etcd-10.0.0.5", Set.of("NotNodeInternalIP@10.0.0.99"))),
        row("Rancher pool node whose own name ends in 8 hex characters, K3s suffix on top",
            List.of(member(1, "pool1-abcdef12-0123abcd", "https://10.2.0.9:2380")),
            List.of(node("pool1", "10.2.0.1"), node("pool1-abcdef12", "10.2.0.5")), PolicyRules.defaults(),
            Map.of("pool1-abcdef12-0123abcd", Set.of("NotNodeInternalIP@10.2.0.9"))),
        row("names left over from an empty hostname ('-<8 hex>') match by address",
            List.of(new EtcdMember(1, "-1a2b3c4d", List.of("https://10.3.0.5:2380"), List.of("https://10.3.0.5:2379"), false),
                new EtcdMember(2, "-5e6f7a8b", List.of("https://10.3.0.77:2380"), List.of("https://10.3.0.6:2379"), false)),
            List.of(node("a", "10.3.0.5"), node("b", "10.3.0.6")), PolicyRules.defaults(),
            Map.of("-5e6f7a8b", Set.of("NotNodeInternalIP@10.3.0.77"))),
        row("loopback peer URL, client URL on a Node's InternalIP: matched by the client URL, not a stale member",
            List.of(K3S_1, LOSANGELES,
                new EtcdMember(3, "default", List.of("http://127.0.0.1:2380"), List.of("https://192.168.1.32:2379"), false)),
            SEED_NODES, PolicyRules.defaults(),
            Map.of("default", Set.of("NotNodeInternalIP@127.0.0.1", "LinkLocalOrLoopback@127.0.0.1"))),
        row("IPv6 peer outside IPv4 allowedCIDRs under policy IPv4: CIDRs, family and temporary all evidence",
            List.of(member(1, "a", "https://[2001:db8::3c4d:15ff:1e4a:9b21]:2380")),
            List.of(node("a", "192.168.10.5")),
            new PolicyRules(AddressFamily.IPv4, List.of(Cidr.parse("192.168.10.0/24"))),
            Map.of("a", Set.of("NotNodeInternalIP@2001:db8::3c4d:15ff:1e4a:9b21", "AddressFamilyMismatch@2001:db8::3c4d:15ff:1e4a:9b21",
                "OutsideAllowedCIDRs@2001:db8::3c4d:15ff:1e4a:9b21", "TemporaryIPv6Address@2001:db8::3c4d:15ff:1e4a:9b21?"))));
  }

  static final Map<String, HostResolution> DNS = Map.of(
      "cp-1.example.internal", HostResolution.resolved(List.of(ip("10.0.0.250"), ip("10.0.0.11"))),
      "gone.example.internal", HostResolution.failed(HostResolution.Failure.NOT_FOUND, "no such host"),
      "slow.example.internal", HostResolution.failed(HostResolution.Failure.TIMEOUT, "no answer within 2s"));

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void classifies(String title, List<EtcdMember> members, List<NodeInfo> nodes, PolicyRules rules,
      Map<String, Set<String>> expected) {
    List<MemberVerdict> verdicts = Classifier.classify(new ClusterView(members, nodes, DNS), rules);

    Map<String, Set<String>> actual = new LinkedHashMap<>();
    for (MemberVerdict v : verdicts) {
      String key = v.member().started() ? v.member().name() : v.member().idHex();
      Set<String> found = v.findings().stream()
          .map(f -> f.reason() + "@" + f.address() + (f.confidence() == Confidence.Suspected ? "?" : ""))
          .collect(Collectors.toCollection(TreeSet::new));
      if (!found.isEmpty()) {
        actual.put(key, found);
      }
      assertThat(v.compliant()).isEqualTo(found.isEmpty());
    }
    Map<String, Set<String>> expectedSorted = new LinkedHashMap<>();
    expected.forEach((k, s) -> expectedSorted.put(k, new TreeSet<>(s)));
    assertThat(actual).as(title).containsExactlyInAnyOrderEntriesOf(expectedSorted);
    assertThat(verdicts).hasSameSizeAs(members);
  }

  @Test
  void seedFindingMessagesNameMemberPeerUrlAndNodeIpButNotTheFix() {
    EtcdMember moved = member(0x8e9e05c52164694dL, "losangeles-0ac72af5", "https://[" + TEMP_V6 + "]:2380");
    MemberVerdict verdict = Classifier.classify(new ClusterView(List.of(K3S_1, moved, K3S_2), SEED_NODES), PolicyRules.defaults())
        .get(1);

    assertThat(verdict.nodeName()).isEqualTo("losangeles");
    assertThat(verdict.matchedBy()).isEqualTo(NodeMatch.ANNOTATION);
    assertThat(verdict.findings()).allSatisfy(f -> assertThat(f.message())
        .contains("losangeles-0ac72af5", "https://[" + TEMP_V6 + "]:2380", "192.168.1.30")
        .doesNotContain("etcdctl", "Fix:"));
  }

  /** Which reason is primary when a member has several: the root cause an admin acts on. */
  static Stream<Arguments> primaryReasons() {
    EtcdMember temporary = member(0x2L, "losangeles-0ac72af5", "https://[" + TEMP_V6 + "]:2380");
    return Stream.of(
        Arguments.of("seed: the temporary address explains NotNodeInternalIP and AddressFamilyMismatch",
            new ClusterView(List.of(K3S_1, temporary, K3S_2), SEED_NODES), PolicyRules.defaults(), "losangeles-0ac72af5",
            Reason.TemporaryIPv6Address),
        Arguments.of("loopback explains NotNodeInternalIP",
            new ClusterView(List.of(K3S_1, LOSANGELES, member(3, "k3s-2-5a3e0192", "https://127.0.0.1:2380")), SEED_NODES),
            PolicyRules.defaults(), "k3s-2-5a3e0192", Reason.LinkLocalOrLoopback),
        Arguments.of("link-local explains the family mismatch too",
            new ClusterView(List.of(K3S_1, LOSANGELES, member(3, "k3s-2-5a3e0192", "https://[fe80::1%25eth0]:2380")), SEED_NODES),
            PolicyRules.defaults(), "k3s-2-5a3e0192", Reason.LinkLocalOrLoopback),
        Arguments.of("a shared NAT address explains NotNodeInternalIP",
            new ClusterView(List.of(member(1, "cp-1", "https://10.0.2.15:2380"), member(2, "cp-2", "https://10.0.2.15:2380")),
                List.of(node("cp-1", "192.168.56.11"), node("cp-2", "192.168.56.12"))),
            PolicyRules.defaults(), "cp-1", Reason.DuplicatePeerAddress),
        Arguments.of("a member that never started: nothing about its address is a server's choice yet",
            new ClusterView(List.of(K3S_1, new EtcdMember(5, "", List.of("https://192.168.1.33:2380"), List.of(), false)), SEED_NODES),
            PolicyRules.defaults(), "5", Reason.UnstartedMember),
        Arguments.of("allowed CIDRs are stricter than the family: outside them comes first",
            new ClusterView(List.of(member(1, "a", "https://[2001:db8::3c4d:15ff:1e4a:9b21]:2380")), List.of(node("a", "2001:db8::3c4d:15ff:1e4a:9b21"))),
            new PolicyRules(AddressFamily.IPv6, List.of(Cidr.parse("fd00::/8"))), "a", Reason.OutsideAllowedCIDRs),
        Arguments.of("the family explains NotNodeInternalIP (EUI-64, so not temporary)",
            new ClusterView(List.of(K3S_1, member(0x2L, "losangeles-0ac72af5", "https://[fd00:c0ff:ee:0:21a:2bff:fe3c:4d5e]:2380"), K3S_2), SEED_NODES),
            PolicyRules.defaults(), "losangeles-0ac72af5", Reason.AddressFamilyMismatch));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("primaryReasons")
  void primaryReasonIsTheRootCause(String title, ClusterView view, PolicyRules rules, String member, Reason primary) {
    MemberVerdict verdict = Classifier.classify(view, rules).stream().filter(v -> v.memberLabel().equals(member)).findFirst().orElseThrow();
    assertThat(verdict.primaryReason()).as(title).isEqualTo(primary);
    assertThat(verdict.findings().get(0).reason()).isEqualTo(primary);
    assertThat(verdict.findings()).extracting(Finding::reason).isSortedAccordingTo(Reason.ROOT_CAUSE_FIRST);
  }

  /** MemberDownNodeNotReady: (title, the member's health, its Node's Ready, raised). */
  static Stream<Arguments> downOnNotReadyNode() {
    MembershipHealth.Member down = new MembershipHealth.Member(false, false, false,
        "etcd at https://192.168.1.30:2379: connection refused", null, null, null);
    MembershipHealth.Member up = new MembershipHealth.Member(true, false, false, null, 4L, 0L, "3.4.30");
    MembershipHealth.Member notAsked = new MembershipHealth.Member(null, false, false, null, null, null, null);
    return Stream.of(
        Arguments.of("down, Node NotReady: the incident after the reboot", down, false, true),
        Arguments.of("down, Node Ready: etcd alone is down, not this incident", down, true, false),
        Arguments.of("down, Node Ready unknown (stopped reporting: maybe only cut off from the API)", down, null, false),
        Arguments.of("answers, Node NotReady: the kubelet's problem, not etcd's", up, false, false),
        Arguments.of("not asked (no client URL), Node NotReady", notAsked, false, false),
        Arguments.of("health not observed (audit file mode), Node NotReady", null, false, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("downOnNotReadyNode")
  void aMemberDownOnANotReadyNodeIsTheIncidentAfterTheReboot(String title, MembershipHealth.Member losangeles, Boolean ready,
      boolean raised) {
    MembershipHealth.Member healthy = new MembershipHealth.Member(true, true, false, null, 4L, 0L, "3.4.30");
    MembershipHealth health = losangeles == null ? MembershipHealth.unknown()
        : new MembershipHealth(Map.of(0x1L, healthy, 0x2L, losangeles, 0x3L, healthy), 3, Boolean.TRUE.equals(losangeles.reachable()) ? 3 : 2,
            Boolean.TRUE.equals(losangeles.reachable()) ? 1 : 0);
    NodeInfo node = new NodeInfo("losangeles", Map.of(), Map.of("etcd.k3s.cattle.io/node-name", "losangeles-0ac72af5"),
        List.of("192.168.1.30"), List.of(), "v1.31.4+k3s1", "Ubuntu 24.04", ready);
    MemberVerdict verdict = Classifier.classify(new ClusterView(List.of(K3S_1, LOSANGELES, K3S_2), List.of(NODE_K3S_1, node, NODE_K3S_2),
        Map.of(), health), PolicyRules.defaults()).get(1);

    if (raised) {
      assertThat(verdict.findings()).as(title).singleElement().satisfies(f -> {
        assertThat(f.reason()).isEqualTo(Reason.MemberDownNodeNotReady);
        assertThat(f.confidence()).isEqualTo(Confidence.Confirmed);
        assertThat(f.address()).isEqualTo("192.168.1.30");
        assertThat(f.message()).contains("losangeles-0ac72af5 (2) does not answer (etcd at https://192.168.1.30:2379: connection refused)",
            "node losangeles is NotReady", "rebooted", "registered peer URL https://192.168.1.30:2380", "not a member of the etcd cluster",
            "node losangeles has InternalIP 192.168.1.30");
      });
    } else {
      assertThat(verdict.compliant()).as(title).isTrue();
    }
  }

  @Test
  void downOnANotReadyNodeIsThePrimaryReasonOverTheTemporaryAddressItRegistered() {
    EtcdMember temporary = new EtcdMember(0x2L, "losangeles-0ac72af5", List.of("https://[" + TEMP_V6 + "]:2380"),
        List.of("https://192.168.1.30:2379"), false);
    MembershipHealth.Member healthy = new MembershipHealth.Member(true, true, false, null, 4L, 0L, "3.4.30");
    MembershipHealth health = new MembershipHealth(Map.of(0x1L, healthy, 0x2L, new MembershipHealth.Member(false, false, false),
        0x3L, healthy), 3, 2, 0);
    NodeInfo notReady = new NodeInfo("losangeles", Map.of(), Map.of("etcd.k3s.cattle.io/node-name", "losangeles-0ac72af5"),
        List.of("192.168.1.30"), List.of(), null, null, false);
    MemberVerdict verdict = Classifier.classify(new ClusterView(List.of(K3S_1, temporary, K3S_2), List.of(NODE_K3S_1, notReady, NODE_K3S_2),
        Map.of(), health), PolicyRules.defaults()).get(1);
    assertThat(verdict.findings()).extracting(Finding::reason).containsExactly(Reason.MemberDownNodeNotReady,
        Reason.TemporaryIPv6Address, Reason.AddressFamilyMismatch, Reason.NotNodeInternalIP);
  }

  @Test
  void everyReasonHasAPlaceInThePrimaryOrder() {
    assertThat(Reason.PRIMARY_ORDER).containsExactlyInAnyOrder(Reason.values());
  }

  /** How each member finds its Node: (members, nodes, member -> "node by matchedBy"). */
  static Stream<Arguments> matching() {
    return Stream.of(
        Arguments.of(List.of(LOSANGELES), SEED_NODES, Map.of("losangeles-0ac72af5", "losangeles by ANNOTATION")),
        Arguments.of(List.of(member(1, "cp-1", "https://10.9.9.9:2380")), List.of(node("cp-1", "10.0.0.11")),
            Map.of("cp-1", "cp-1 by NODE_NAME")),
        Arguments.of(List.of(member(1, "pool1-abcdef12-0123abcd", "https://10.9.9.9:2380")),
            List.of(node("pool1", "10.2.0.1"), node("pool1-abcdef12", "10.2.0.5")),
            Map.of("pool1-abcdef12-0123abcd", "pool1-abcdef12 by NODE_NAME_WITH_SUFFIX")),
        Arguments.of(List.of(member(1, "etcd-10.0.0.5", "https://10.9.9.9:2380"), member(2, "etcd-rke1-b", "https://10.9.9.8:2380")),
            List.of(node("rke1-a", "10.0.0.5"), node("rke1-b", "10.0.0.6")),
            Map.of("etcd-10.0.0.5", "rke1-a by ETCD_PREFIXED_NAME", "etcd-rke1-b", "rke1-b by ETCD_PREFIXED_NAME")),
        Arguments.of(List.of(member(1, "-1a2b3c4d", "https://10.3.0.5:2380")), List.of(node("a", "10.3.0.5")),
            Map.of("-1a2b3c4d", "a by PEER_ADDRESS")),
        Arguments.of(List.of(member(1, "-v6", "https://[FD00:0:0:0::5]:2380"), member(2, "etcd-0:0:0:0:0:ffff:a04:6", "https://10.9.9.9:2380")),
            List.of(node("v6", "fd00::5"), node("v4", "10.4.0.6")),
            Map.of("-v6", "v6 by PEER_ADDRESS", "etcd-0:0:0:0:0:ffff:a04:6", "v4 by ETCD_PREFIXED_NAME")),
        Arguments.of(List.of(new EtcdMember(3, "default", List.of("http://127.0.0.1:2380"), List.of("https://192.168.1.32:2379"), false)),
            SEED_NODES, Map.of("default", "k3s-2 by CLIENT_ADDRESS")),
        Arguments.of(List.of(new EtcdMember(3, "gone", List.of("https://10.8.0.1:2380"), List.of("https://10.8.0.1:2379"), false)),
            SEED_NODES, Map.of("gone", "none")));
  }

  @ParameterizedTest
  @MethodSource("matching")
  void matchesMembersToNodes(List<EtcdMember> members, List<NodeInfo> nodes, Map<String, String> expected) {
    Map<String, String> actual = new LinkedHashMap<>();
    for (MemberVerdict v : Classifier.classify(new ClusterView(members, nodes), PolicyRules.defaults())) {
      actual.put(v.memberLabel(), v.nodeName() == null ? "none" : v.nodeName() + " by " + v.matchedBy());
    }
    assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void memberIdsAboveLongMaxValueArePrintedUnsignedLikeEtcdctl() {
    assertThat(member(0x8e9e05c52164694dL, "x", "https://10.0.0.1:2380").idHex()).isEqualTo("8e9e05c52164694d");
    assertThat(member(0xffffffffffffffffL, "x", "https://10.0.0.1:2380").idHex()).isEqualTo("ffffffffffffffff");
  }

  @Test
  void findingsAreNotRepeatedForTheSameAddress() {
    EtcdMember twice = new EtcdMember(9, "stale", List.of("https://192.168.1.40:2380", "https://192.168.1.40:2381"), List.of(), false);
    MemberVerdict v = Classifier.classify(new ClusterView(List.of(twice), SEED_NODES), PolicyRules.defaults()).get(0);
    assertThat(v.findings()).extracting(Finding::reason).containsExactly(Reason.NoMatchingNode);
  }

  private static Arguments row(String title, List<EtcdMember> members, List<NodeInfo> nodes, PolicyRules rules,
      Map<String, Set<String>> expected) {
    return Arguments.of(title, members, nodes, rules, expected);
  }

  static EtcdMember member(long id, String name, String... peerUrls) {
    return new EtcdMember(id, name, Arrays.asList(peerUrls), List.of(), false);
  }

  static NodeInfo node(String name, String... internalIps) {
    return new NodeInfo(name, Map.of(), Map.of(), List.of(internalIps), List.of());
  }

  static NodeInfo k3sNode(String name, String memberName, String internalIp) {
    return new NodeInfo(name, Map.of("node-role.kubernetes.io/etcd", "true"),
        Map.of("etcd.k3s.cattle.io/node-name", memberName, "etcd.k3s.cattle.io/node-address", internalIp),
        new ArrayList<>(List.of(internalIp)), List.of());
  }

  static PolicyRules rules(AddressFamily family) {
    return new PolicyRules(family, List.of());
  }

  static InetAddress ip(String text) {
    return PeerAddress.parseLiteral(text).orElseThrow();
  }
}
