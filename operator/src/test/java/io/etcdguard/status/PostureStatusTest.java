package io.etcdguard.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.api.v1alpha1.AddressFamily;
import io.etcdguard.api.v1alpha1.Conditions;
import io.etcdguard.api.v1alpha1.NodeAddressPolicyStatus;
import io.etcdguard.api.v1alpha1.PostureMode;
import io.etcdguard.check.CheckOutcome;
import io.etcdguard.check.CheckResult;
import io.etcdguard.classify.ClusterView;
import io.etcdguard.classify.EtcdMember;
import io.etcdguard.classify.HostReports;
import io.etcdguard.classify.NodeInfo;
import io.etcdguard.classify.PolicyRules;
import io.etcdguard.host.AddressFlags;
import io.etcdguard.host.AddressPrediction;
import io.etcdguard.host.HostAddress;
import io.etcdguard.host.HostSnapshot;
import io.etcdguard.host.InterfaceSysctls;
import io.etcdguard.host.IpFamily;
import io.etcdguard.host.Lifetime;
import io.etcdguard.host.NetInterface;
import io.etcdguard.host.NodeHostReport;
import io.etcdguard.host.NodeIpPredictions;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The posture in the status: nodesAtRisk, RestartSafe, Compliant under Enforce, and the Node Events once per transition. */
class PostureStatusTest {
  static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
  static final String TEMP_V6 = "fd00:c0ff:ee:0:da69:8213:dd0b:aac3";
  static final List<EtcdMember> MEMBERS = List.of(
      new EtcdMember(1, "k3s-1-b2495bc5", List.of("https://192.168.1.31:2380"), List.of(), false),
      new EtcdMember(2, "losangeles-0ac72af5", List.of("https://192.168.1.30:2380"), List.of(), false));

  static NodeInfo node(String name, String member, String ip, String nodeArgs) {
    return new NodeInfo(name, Map.of(), Map.of("etcd.k3s.cattle.io/node-name", member, "k3s.io/node-args", nodeArgs), List.of(ip), List.of());
  }

  static final List<NodeInfo> NODES = List.of(node("k3s-1", "k3s-1-b2495bc5", "192.168.1.31", "[\"server\",\"--node-ip\",\"192.168.1.31\"]"),
      node("losangeles", "losangeles-0ac72af5", "192.168.1.30", "[\"server\"]"));

  static NodeHostReport losangelesReport(String bootRace, Instant readAt) {
    HostAddress v4 = new HostAddress("eth0", 2, ip("192.168.1.30"), 24, 0, AddressFlags.NONE, Lifetime.FOREVER, Lifetime.FOREVER);
    HostAddress temp = new HostAddress("eth0", 2, ip(TEMP_V6), 64, 0, AddressFlags.fromBits(AddressFlags.IFA_F_TEMPORARY),
        Lifetime.seconds(172_800), Lifetime.seconds(86_400));
    HostSnapshot host = new HostSnapshot(HostSnapshot.Source.NETLINK, List.of(new NetInterface(2, "eth0", true, false)), List.of(temp, v4),
        List.of(), List.of(new InterfaceSysctls("eth0", 0, 86_400L, 172_800L)), List.of(), readAt);
    AddressPrediction now = new AddressPrediction("192.168.1.30", IpFamily.IPV4, "eth0", "IPv4 default route", AddressPrediction.Certainty.CERTAIN);
    AddressPrediction race = new AddressPrediction(bootRace, bootRace.contains(":") ? IpFamily.IPV6 : IpFamily.IPV4, "eth0",
        "no IPv4 yet", AddressPrediction.Certainty.CERTAIN);
    return new NodeHostReport("losangeles", host, new NodeIpPredictions(now, race));
  }

  static InetAddress ip(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static CheckOutcome check(NodeHostReport report, PostureMode mode, Instant now) {
    ClusterView view = new ClusterView(MEMBERS, NODES).withReports(HostReports.of(report == null ? Map.of() : Map.of("losangeles", report), now));
    return new CheckOutcome.Checked(CheckResult.of(0xabcL, view, new PolicyRules(AddressFamily.Any, List.of(), mode)));
  }

  @Test
  void restartRiskMakesRestartSafeFalseListsTheNodeAndWarnsOnceOnTheNode() {
    NodeAddressPolicyStatus safe = StatusComposer.compose(null, 1, check(losangelesReport("192.168.1.30", T0), PostureMode.Warn, T0), T0);
    assertThat(Conditions.status(safe, "RestartSafe")).isEqualTo("True");
    assertThat(Conditions.reason(safe, "RestartSafe")).isEqualTo("NoNodeAtRisk");
    assertThat(safe.getNodesAtRisk()).singleElement().satisfies(n -> assertThat(n.getRisk()).isEqualTo("NodeIPNotPinned"));

    NodeAddressPolicyStatus risky = StatusComposer.compose(safe, 1, check(losangelesReport(TEMP_V6, T0), PostureMode.Warn, T0.plusSeconds(30)),
        T0.plusSeconds(30));
    assertThat(Conditions.status(risky, "RestartSafe")).isEqualTo("False");
    assertThat(Conditions.message(risky, "RestartSafe")).startsWith("node losangeles: RestartRisk: ");
    assertThat(Conditions.status(risky, "Compliant")).as("Warn: members stay compliant").isEqualTo("True");
    assertThat(risky.getNodesAtRisk()).singleElement().satisfies(n -> {
      assertThat(n.getNode()).isEqualTo("losangeles");
      assertThat(n.getMember()).isEqualTo("losangeles-0ac72af5");
      assertThat(n.getRisk()).isEqualTo("RestartRisk");
      assertThat(n.getRisks()).containsExactly("RestartRisk", "NodeIPNotPinned");
      assertThat(n.getPredictedAddress()).isEqualTo(TEMP_V6);
      assertThat(n.getReport()).isEqualTo("read at " + T0);
      assertThat(n.getFix()).startsWith("1. Pin the node address in /etc/rancher/k3s/config.yaml: `node-ip: 192.168.1.30`");
    });
    List<PlannedEvent> events = EventPlanner.plan(safe, risky);
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.nodeName()).isEqualTo("losangeles");
      assertThat(e.warning()).isTrue();
      assertThat(e.reason()).isEqualTo("RestartRisk");
      assertThat(e.message()).contains("this server is a not a member of the etcd cluster. Found [k3s-1-b2495bc5=https://192.168.1.31:2380"
          + " losangeles-0ac72af5=https://192.168.1.30:2380], expect: losangeles-0ac72af5=https://[" + TEMP_V6 + "]:2380", "Fix: 1. Pin");
      assertThat(e.message().length()).isLessThanOrEqualTo(EventPlanner.EVENT_MESSAGE_LIMIT);
    });

    NodeAddressPolicyStatus again = StatusComposer.compose(risky, 1, check(losangelesReport(TEMP_V6, T0), PostureMode.Warn, T0.plusSeconds(60)),
        T0.plusSeconds(60));
    assertThat(EventPlanner.plan(risky, again)).as("no repeat while nothing changed").isEmpty();
    assertThat(StatusComposer.sameIgnoringTime(risky, again)).as("the status does not change with the report's age").isTrue();
  }

  @Test
  void missingOrStaleReportsMakeRestartSafeUnknown() {
    NodeAddressPolicyStatus none = StatusComposer.compose(null, 1, check(null, PostureMode.Warn, T0), T0);
    assertThat(Conditions.status(none, "RestartSafe")).isEqualTo("Unknown");
    assertThat(Conditions.message(none, "RestartSafe")).contains("node losangeles", "no report from its agent");
    assertThat(none.getNodesAtRisk()).singleElement().satisfies(n -> assertThat(n.getReport()).isEqualTo("none"));

    Instant late = T0.plusSeconds(16 * 60);
    NodeAddressPolicyStatus stale = StatusComposer.compose(null, 1, check(losangelesReport(TEMP_V6, T0), PostureMode.Warn, late), late);
    assertThat(Conditions.status(stale, "RestartSafe")).isEqualTo("Unknown");
    assertThat(Conditions.message(stale, "RestartSafe")).contains("16m old (older than 3 heartbeats): ignored");
    assertThat(stale.getNodesAtRisk()).singleElement().satisfies(n -> {
      assertThat(n.getRisks()).containsExactly("NodeIPNotPinned");
      assertThat(n.getReport()).contains("stale (older than 3 heartbeats): ignored");
    });
  }

  @Test
  void enforceCountsNodesAtRiskAsViolationsAndIgnoreJudgesNothing() {
    NodeAddressPolicyStatus enforced = StatusComposer.compose(null, 1, check(losangelesReport(TEMP_V6, T0), PostureMode.Enforce, T0), T0);
    assertThat(Conditions.status(enforced, "Compliant")).isEqualTo("False");
    assertThat(Conditions.reason(enforced, "Compliant")).isEqualTo("NodesAtRisk");
    assertThat(Conditions.message(enforced, "Compliant")).contains("losangeles (RestartRisk)");
    assertThat(((CheckOutcome.Checked) check(losangelesReport(TEMP_V6, T0), PostureMode.Enforce, T0)).result().compliant()).isFalse();

    NodeAddressPolicyStatus ignored = StatusComposer.compose(null, 1, check(losangelesReport(TEMP_V6, T0), PostureMode.Ignore, T0), T0);
    assertThat(Conditions.status(ignored, "RestartSafe")).isEqualTo("Unknown");
    assertThat(Conditions.reason(ignored, "RestartSafe")).isEqualTo("PostureIgnored");
    assertThat(ignored.getNodesAtRisk()).isEmpty();
    assertThat(Conditions.status(ignored, "Compliant")).isEqualTo("True");
  }

  @Test
  void etcdUnreachableKeepsTheNodesLastSeenAndRestartSafeUnknown() {
    NodeAddressPolicyStatus risky = StatusComposer.compose(null, 1, check(losangelesReport(TEMP_V6, T0), PostureMode.Warn, T0), T0);
    NodeAddressPolicyStatus down = StatusComposer.compose(risky, 1, new CheckOutcome.EtcdUnreachable("no answer"), T0.plusSeconds(30));
    assertThat(down.getNodesAtRisk()).isEqualTo(risky.getNodesAtRisk());
    assertThat(Conditions.status(down, "RestartSafe")).isEqualTo("Unknown");
    assertThat(EventPlanner.plan(risky, down)).noneMatch(e -> e.reason().equals("RestartRisk"));
  }
}
