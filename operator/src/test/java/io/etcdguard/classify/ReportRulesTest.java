package io.etcdguard.classify;

import static io.etcdguard.classify.ClassifierTest.K3S_1;
import static io.etcdguard.classify.ClassifierTest.K3S_2;
import static io.etcdguard.classify.ClassifierTest.SEED_NODES;
import static io.etcdguard.classify.ClassifierTest.TEMP_V6;
import static io.etcdguard.classify.ClassifierTest.member;
import static io.etcdguard.classify.ReportFixtures.NOW;
import static io.etcdguard.classify.ReportFixtures.READ_AT;
import static io.etcdguard.classify.ReportFixtures.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.api.v1alpha1.AddressFamily;
import io.etcdguard.host.Lifetime;
import io.etcdguard.host.NodeHostReport;
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
 * Reports as one more classifier input. Table: the member losangeles (and its Node), the report of its Node,
 * the findings expected for it ("Reason@address", "?" for Suspected).
 */
class ReportRulesTest {
  static final EtcdMember LOSANGELES_ON_TEMP = member(0x2L, "losangeles-0ac72af5", "https://[" + TEMP_V6 + "]:2380");
  static final String V6_NODE_IP = "2001:db8::3c4d:15ff:1e4a:9b21";

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("no report: the address alone, Suspected", LOSANGELES_ON_TEMP, SEED_NODES, PolicyRules.defaults(), null,
            Set.of("NotNodeInternalIP@" + TEMP_V6, "AddressFamilyMismatch@" + TEMP_V6, "TemporaryIPv6Address@" + TEMP_V6 + "?")),
        Arguments.of("the node reports it temporary: Confirmed", LOSANGELES_ON_TEMP, SEED_NODES, PolicyRules.defaults(),
            report("losangeles").stable("192.168.1.30").temporary(TEMP_V6).build(),
            Set.of("NotNodeInternalIP@" + TEMP_V6, "AddressFamilyMismatch@" + TEMP_V6, "TemporaryIPv6Address@" + TEMP_V6)),
        Arguments.of("the node reports it, not temporary: no TemporaryIPv6Address at all", LOSANGELES_ON_TEMP, SEED_NODES,
            PolicyRules.defaults(), report("losangeles").stable("192.168.1.30").stable(TEMP_V6).build(),
            Set.of("NotNodeInternalIP@" + TEMP_V6, "AddressFamilyMismatch@" + TEMP_V6)),
        Arguments.of("IPv6-only node under an IPv4 policy, reported stable: provably not temporary",
            member(1, "a", "https://[" + V6_NODE_IP + "]:2380"), List.of(ClassifierTest.node("a", V6_NODE_IP)),
            ClassifierTest.rules(AddressFamily.IPv4), report("a").stable(V6_NODE_IP).build(),
            Set.of("AddressFamilyMismatch@" + V6_NODE_IP)),
        Arguments.of("the address is gone from the node: AddressNotOnNode, and still suspected temporary", LOSANGELES_ON_TEMP,
            SEED_NODES, PolicyRules.defaults(), report("losangeles").stable("192.168.1.30").build(),
            Set.of("NotNodeInternalIP@" + TEMP_V6, "AddressFamilyMismatch@" + TEMP_V6, "TemporaryIPv6Address@" + TEMP_V6 + "?",
                "AddressNotOnNode@" + TEMP_V6)),
        Arguments.of("registered IPv4 not on the node any more", member(0x2L, "losangeles-0ac72af5", "https://192.168.1.30:2380"),
            SEED_NODES, PolicyRules.defaults(), report("losangeles").stable("192.168.1.77").build(),
            Set.of("AddressNotOnNode@192.168.1.30")),
        Arguments.of("registered IPv4 on the node: compliant", member(0x2L, "losangeles-0ac72af5", "https://192.168.1.30:2380"),
            SEED_NODES, PolicyRules.defaults(), report("losangeles").stable("192.168.1.30").temporary(TEMP_V6).build(), Set.of()),
        Arguments.of("a stale report is ignored: back to Suspected, no AddressNotOnNode", LOSANGELES_ON_TEMP, SEED_NODES,
            PolicyRules.defaults(), report("losangeles").stable("192.168.1.30").readAt(NOW.minusSeconds(16 * 60)).build(),
            Set.of("NotNodeInternalIP@" + TEMP_V6, "AddressFamilyMismatch@" + TEMP_V6, "TemporaryIPv6Address@" + TEMP_V6 + "?")),
        Arguments.of("another node's report says nothing about this member", LOSANGELES_ON_TEMP, SEED_NODES, PolicyRules.defaults(),
            report("k3s-1").stable("192.168.1.31").temporary(TEMP_V6).build(),
            Set.of("NotNodeInternalIP@" + TEMP_V6, "AddressFamilyMismatch@" + TEMP_V6, "TemporaryIPv6Address@" + TEMP_V6 + "?")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void findingsOfTheMemberGivenItsNodesReport(String title, EtcdMember member, List<NodeInfo> nodes, PolicyRules rules,
      NodeHostReport report, Set<String> expected) {
    MemberVerdict verdict = classify(member, nodes, rules, report).get(0);
    assertThat(new TreeSet<>(verdict.findings().stream()
        .map(f -> f.reason() + "@" + f.address() + (f.confidence() == Confidence.Suspected ? "?" : "")).collect(Collectors.toSet())))
        .isEqualTo(new TreeSet<>(expected));
  }

  static List<MemberVerdict> classify(EtcdMember member, List<NodeInfo> nodes, PolicyRules rules, NodeHostReport report) {
    Map<String, NodeHostReport> reports = report == null ? Map.of() : Map.of(report.nodeName(), report);
    ClusterView view = new ClusterView(List.of(member), nodes).withReports(HostReports.of(reports, NOW));
    return Classifier.classify(view, rules);
  }

  @Test
  void confirmedTemporaryIsThePrimaryReasonAndSaysWhenItIsDeprecatedAndRemoved() {
    MemberVerdict verdict = classify(LOSANGELES_ON_TEMP, SEED_NODES, PolicyRules.defaults(),
        report("losangeles").stable("192.168.1.30").temporary(TEMP_V6).build()).get(0);
    Finding primary = verdict.primary().orElseThrow();
    assertThat(primary.reason()).isEqualTo(Reason.TemporaryIPv6Address);
    assertThat(primary.message()).contains("is a temporary (privacy) address on interface eth0 of node losangeles",
        "deprecated at " + READ_AT.plusSeconds(86_400), "removed at " + READ_AT.plusSeconds(172_800));
  }

  @Test
  void withoutTheLifetimeTheMessageGivesTheBound() {
    MemberVerdict verdict = classify(LOSANGELES_ON_TEMP, SEED_NODES, PolicyRules.defaults(),
        report("losangeles").lifetimes(Lifetime.atMost(172_800), Lifetime.UNKNOWN).temporary(TEMP_V6).build()).get(0);
    assertThat(verdict.primary().orElseThrow().message())
        .contains("removed by " + READ_AT.plusSeconds(172_800) + " at the latest (temp_valid_lft 172800s")
        .doesNotContain("deprecated at");
  }

  @Test
  void addressNotOnNodeNamesWhatTheNodeHas() {
    MemberVerdict verdict = classify(member(0x2L, "losangeles-0ac72af5", "https://192.168.1.30:2380"), SEED_NODES,
        PolicyRules.defaults(), report("losangeles").stable("192.168.1.77").build()).get(0);
    assertThat(verdict.primary().orElseThrow().message())
        .contains("192.168.1.30 is on none of node losangeles's interfaces", "192.168.1.77");
  }

  @Test
  void reportsConcernOnlyTheirNode() {
    NodeHostReport losangeles = report("losangeles").stable("192.168.1.30").build();
    List<MemberVerdict> verdicts = Classifier.classify(new ClusterView(List.of(K3S_1, ClassifierTest.LOSANGELES, K3S_2), SEED_NODES)
        .withReports(HostReports.of(Map.of("losangeles", losangeles), NOW)), PolicyRules.defaults());
    assertThat(verdicts).allMatch(MemberVerdict::compliant);
  }
}
