package io.etcdguard.classify;

import static io.etcdguard.classify.ClassifierTest.K3S_1;
import static io.etcdguard.classify.ClassifierTest.K3S_2;
import static io.etcdguard.classify.ClassifierTest.LOSANGELES;
import static io.etcdguard.classify.ClassifierTest.NODE_K3S_1;
import static io.etcdguard.classify.ClassifierTest.NODE_K3S_2;
import static io.etcdguard.classify.ClassifierTest.TEMP_V6;
import static io.etcdguard.classify.ReportFixtures.NOW;
import static io.etcdguard.classify.ReportFixtures.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.host.NodeHostReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The posture table: the seed cluster as registered (every member on its IPv4), losangeles' node-args and its
 * agent's report -> losangeles' risks and whether the facts to judge a restart are missing.
 */
class PostureRulesTest {
  static final String UNPINNED = "[\"server\",\"--cluster-init\",\"--disable\",\"traefik\"]";
  static final String PINNED = "[\"server\",\"--node-ip\",\"192.168.1.30\"]";
  static final String ETCD_ARGS_ONLY = "[\"server\",\"--etcd-arg\",\"initial-advertise-peer-urls=https://192.168.1.30:2380\"]";

  static NodeInfo losangeles(String annotation, String nodeArgs) {
    Map<String, String> annotations = new HashMap<>(Map.of("etcd.k3s.cattle.io/node-name", "losangeles-0ac72af5"));
    if (nodeArgs != null) {
      annotations.put(annotation, nodeArgs);
    }
    return new NodeInfo("losangeles", Map.of("node-role.kubernetes.io/etcd", "true"), annotations, List.of("192.168.1.30"), List.of());
  }

  static Stream<Arguments> table() {
    String k3s = "k3s.io/node-args";
    return Stream.of(
        row("the incident before the reboot: unpinned, boot race picks the temporary IPv6", losangeles(k3s, UNPINNED),
            report("losangeles").temporary(TEMP_V6).stable("192.168.1.30").now("192.168.1.30").bootRace(TEMP_V6).useTempaddr(2).build(),
            Set.of(Risk.RestartRisk, Risk.TemporaryAddressesEnabled, Risk.NodeIPNotPinned), false),
        row("unpinned, a start now already picks another address", losangeles(k3s, UNPINNED),
            report("losangeles").stable("192.168.1.77").stable("192.168.1.30").now("192.168.1.77").bootRace("192.168.1.77").build(),
            Set.of(Risk.RestartRisk, Risk.NodeIPNotPinned), false),
        row("unpinned but both predictions keep the registered address: low urgency only", losangeles(k3s, UNPINNED),
            report("losangeles").stable("192.168.1.30").now("192.168.1.30").bootRace("192.168.1.30").build(),
            Set.of(Risk.NodeIPNotPinned), false),
        row("unpinned, no report: facts missing", losangeles(k3s, UNPINNED), null, Set.of(Risk.NodeIPNotPinned), true),
        row("unpinned, stale report: ignored, facts missing", losangeles(k3s, UNPINNED),
            report("losangeles").stable("192.168.1.30").now("192.168.1.30").bootRace(TEMP_V6).readAt(NOW.minusSeconds(3600)).build(),
            Set.of(Risk.NodeIPNotPinned), true),
        row("pinned with --node-ip: the boot race cannot move it", losangeles(k3s, PINNED),
            report("losangeles").temporary(TEMP_V6).stable("192.168.1.30").now("192.168.1.30").bootRace(TEMP_V6).build(), Set.of(), false),
        row("pinned, no report: nothing missing", losangeles(k3s, PINNED), null, Set.of(), false),
        row("pinned but temporary addresses on the member's interface", losangeles(k3s, PINNED),
            report("losangeles").stable("192.168.1.30").useTempaddr(1).build(), Set.of(Risk.TemporaryAddressesEnabled), false),
        row("--etcd-arg alone does not pin the node address", losangeles(k3s, ETCD_ARGS_ONLY),
            report("losangeles").stable("192.168.1.30").now("192.168.1.30").bootRace(TEMP_V6).build(),
            Set.of(Risk.RestartRisk, Risk.NodeIPNotPinned), false),
        row("RKE2 likewise", losangeles("rke2.io/node-args", UNPINNED),
            report("losangeles").stable("192.168.1.30").now("192.168.1.30").bootRace(TEMP_V6).build(),
            Set.of(Risk.RestartRisk, Risk.NodeIPNotPinned), false),
        row("unreadable node-args: a finding, and pinning unknown", losangeles(k3s, "[\"server\", --node-ip"),
            report("losangeles").stable("192.168.1.30").now("192.168.1.30").bootRace(TEMP_V6).build(),
            Set.of(Risk.NodeArgsUnreadable), true),
        row("K3s Node without node-args (before v1.21.5): pinning unknown", losangeles(k3s, null),
            report("losangeles").stable("192.168.1.30").build(), Set.of(), true),
        row("kubeadm Node: nothing auto-detects at start, no K3s check", new NodeInfo("losangeles", Map.of(), Map.of(),
                List.of("192.168.1.30"), List.of()),
            report("losangeles").stable("192.168.1.30").now("192.168.1.30").bootRace(TEMP_V6).build(), Set.of(), false));
  }

  static Arguments row(String title, NodeInfo node, NodeHostReport report, Set<Risk> risks, boolean factsMissing) {
    return Arguments.of(title, node, report, risks, factsMissing);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void risksOfLosangeles(String title, NodeInfo node, NodeHostReport report, Set<Risk> risks, boolean factsMissing) {
    NodePosture posture = postureOf(node, report);
    assertThat(posture.risks().stream().map(RiskFinding::risk).collect(Collectors.toSet())).isEqualTo(risks);
    assertThat(posture.factsMissing()).isEqualTo(factsMissing);
    assertThat(posture.restartWouldFail()).isEqualTo(risks.contains(Risk.RestartRisk));
  }

  static NodePosture postureOf(NodeInfo node, NodeHostReport report) {
    List<NodeInfo> nodes = new ArrayList<>(List.of(NODE_K3S_1, node, NODE_K3S_2));
    ClusterView view = new ClusterView(List.of(K3S_1, LOSANGELES, K3S_2), nodes)
        .withReports(HostReports.of(report == null ? Map.of() : Map.of(report.nodeName(), report), NOW));
    // One match of members to Nodes for both gives what the two separate calls give, on every row.
    Classifier.Assessment both = Classifier.assess(view, PolicyRules.defaults(), true);
    assertThat(both.verdicts()).isEqualTo(Classifier.classify(view, PolicyRules.defaults()));
    assertThat(both.postures()).isEqualTo(Classifier.posture(view));
    assertThat(Classifier.assess(view, PolicyRules.defaults(), false).postures()).isEmpty();
    return both.postures().stream().filter(p -> p.nodeName().equals("losangeles")).findFirst().orElseThrow();
  }

  @Test
  void restartRiskQuotesTheLineK3sWouldLogAndTheFixBestFirst() {
    NodePosture posture = postureOf(losangeles("k3s.io/node-args", UNPINNED),
        report("losangeles").temporary(TEMP_V6).stable("192.168.1.30").now("192.168.1.30").bootRace(TEMP_V6).build());
    RiskFinding risk = posture.primary().orElseThrow();
    assertThat(risk.risk()).isEqualTo(Risk.RestartRisk);
    assertThat(risk.predictedAddress()).isEqualTo(TEMP_V6);
    assertThat(risk.message()).contains("a start at boot before IPv4 is up would pick " + TEMP_V6,
        "this server is a not a member of the etcd cluster. Found [k3s-1-b2495bc5=https://192.168.1.31:2380"
            + " losangeles-0ac72af5=https://192.168.1.30:2380 k3s-2-5a3e0192=https://192.168.1.32:2380],"
            + " expect: losangeles-0ac72af5=https://[" + TEMP_V6 + "]:2380");
    assertThat(risk.fix()).contains("node-ip: 192.168.1.30", "advertise-address: 192.168.1.30", "/etc/rancher/k3s/config.yaml",
        "ipv4.may-fail no", "RequiredFamilyForOnline=ipv4", "Before=k3s.service", "net.ipv6.conf.eth0.use_tempaddr=0",
        "--etcd-arg listen/advertise URLs alone does not satisfy it");
    assertThat(risk.fix().indexOf("node-ip:")).isLessThan(risk.fix().indexOf("ipv4.may-fail"));
    assertThat(risk.fix().indexOf("ipv4.may-fail")).isLessThan(risk.fix().indexOf("use_tempaddr=0"));
  }

  @Test
  void anIpv4PredictionIsWrittenWithoutBrackets() {
    RiskFinding risk = postureOf(losangeles("rke2.io/node-args", UNPINNED),
        report("losangeles").stable("192.168.1.77").stable("192.168.1.30").now("192.168.1.77").bootRace("192.168.1.77").build())
        .primary().orElseThrow();
    assertThat(risk.message()).contains("a start now would pick 192.168.1.77", "expect: losangeles-0ac72af5=https://192.168.1.77:2380", "RKE2 would log");
    assertThat(risk.fix()).contains("/etc/rancher/rke2/config.yaml", "Before=rke2-server.service");
  }

  @Test
  void staleReportIsSaid() {
    NodePosture posture = postureOf(losangeles("k3s.io/node-args", UNPINNED),
        report("losangeles").stable("192.168.1.30").readAt(NOW.minusSeconds(47 * 60)).build());
    assertThat(posture.report()).isEqualTo(HostReports.State.STALE);
    assertThat(posture.missingFacts()).isEqualTo("the report of its agent is 47m old (older than 3 heartbeats): ignored");
    assertThat(postureOf(losangeles("k3s.io/node-args", UNPINNED), null).missingFacts()).isEqualTo("no report from its agent");
  }
}
