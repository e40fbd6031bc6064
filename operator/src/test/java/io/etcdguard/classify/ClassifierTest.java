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
            PolicyRules.defaults(), Map.of("cp-1", Set.of("UnresolvableHostname@slow.example.internal?"))));
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
  void seedFindingMessagesNameMemberPeerUrlNodeIpAndTheFix() {
    EtcdMember moved = member(0x8e9e05c52164694dL, "losangeles-0ac72af5", "https://[" + TEMP_V6 + "]:2380");
    MemberVerdict verdict = Classifier.classify(new ClusterView(List.of(K3S_1, moved, K3S_2), SEED_NODES), PolicyRules.defaults())
        .get(1);

    assertThat(verdict.nodeName()).isEqualTo("losangeles");
    assertThat(verdict.matchedBy()).isEqualTo(NodeMatch.ANNOTATION);
    assertThat(verdict.findings()).allSatisfy(f -> assertThat(f.message())
        .contains("losangeles-0ac72af5", "https://[" + TEMP_V6 + "]:2380", "192.168.1.30",
            "etcdctl member update 8e9e05c52164694d --peer-urls=https://192.168.1.30:2380"));
    Finding temporary = verdict.findings().stream().filter(f -> f.reason() == Reason.TemporaryIPv6Address).findFirst().orElseThrow();
    assertThat(temporary.message()).contains("Before=k3s.service", "use_tempaddr=0", "--node-ip=192.168.1.30",
        "--etcd-arg=initial-advertise-peer-urls=https://192.168.1.30:2380");
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
