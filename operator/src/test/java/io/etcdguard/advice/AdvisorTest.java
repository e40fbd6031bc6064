package io.etcdguard.advice;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.api.v1alpha1.AddressFamily;
import io.etcdguard.check.CheckResult;
import io.etcdguard.classify.Cidr;
import io.etcdguard.classify.Classifier;
import io.etcdguard.classify.ClusterView;
import io.etcdguard.classify.EtcdMember;
import io.etcdguard.classify.MemberVerdict;
import io.etcdguard.classify.MembershipHealth;
import io.etcdguard.classify.NodeInfo;
import io.etcdguard.classify.PolicyRules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every advice rule of docs/reasons.md ("How the fix is chosen"), including the bad advice of the first release. */
class AdvisorTest {
  static final String TEMP_V6 = "fd00:c0ff:ee:0:da69:8213:dd0b:aac3";
  static final EtcdMember K3S_1 = member(0x1L, "k3s-1-b2495bc5", "https://192.168.1.31:2380", "https://192.168.1.31:2379");
  static final EtcdMember LOSANGELES_TEMP = member(0x8e9e05c52164694dL, "losangeles-0ac72af5", "https://[" + TEMP_V6 + "]:2380", "https://192.168.1.30:2379");
  static final EtcdMember K3S_2 = member(0x3L, "k3s-2-5a3e0192", "https://192.168.1.32:2380", "https://192.168.1.32:2379");
  static final List<NodeInfo> K3S_NODES = List.of(k3sNode("k3s-1", "k3s-1-b2495bc5", "192.168.1.31"),
      k3sNode("losangeles", "losangeles-0ac72af5", "192.168.1.30"), k3sNode("k3s-2", "k3s-2-5a3e0192", "192.168.1.32"));

  @Test
  void seedIncidentOnK3sPinsNodeIpWaitsForIPv4ThenMovesTheMemberWhileQuorumHolds() {
    Fix fix = fixOf(new ClusterView(List.of(K3S_1, LOSANGELES_TEMP, K3S_2), K3S_NODES), PolicyRules.defaults(), "losangeles-0ac72af5");
    String steps = String.join("\n", fix.steps());
    assertThat(steps).contains("/etc/rancher/k3s/config.yaml", "node-ip: 192.168.1.30", "advertise-address: 192.168.1.30",
        "ipv4.may-fail no", "RequiredFamilyForOnline=ipv4", "Before=k3s.service", "use_tempaddr=0",
        "etcdctl member update 8e9e05c52164694d --peer-urls=https://192.168.1.30:2380", "systemctl restart k3s",
        "ETCDCTL_CACERT=/var/lib/rancher/k3s/server/tls/etcd/server-ca.crt", "ETCDCTL_ENDPOINTS=https://192.168.1.31:2379");
    assertThat(steps).doesNotContain("member remove", "--cluster-reset");
    assertThat(indexOf(fix, "node-ip")).as("host address first").isLessThan(indexOf(fix, "member update"));
    assertThat(indexOf(fix, "member update")).as("then move, then restart").isLessThan(indexOf(fix, "systemctl restart k3s"));
    assertThat(indexOf(fix, "endpoint health --cluster")).as("quorum checked before the move").isLessThan(indexOf(fix, "member update"));
    assertThat(fix.text()).contains("losangeles", "192.168.1.30").doesNotContain(TEMP_V6);
    assertThat(fix.preconditions()).anySatisfy(p -> assertThat(p).contains("distribution: K3s"))
        .anySatisfy(p -> assertThat(p).contains("quorum margin: unknown"))
        .anySatisfy(p -> assertThat(p).contains("target address: 192.168.1.30"));
  }

  @Test
  void neverSuggestsTheFlaggedAddressWhenTheNodesOwnInternalIpIsOutsideTheAllowedCidrs() {
    // Regression: the fix told the user to pin --node-ip to the Node's own, disallowed InternalIP.
    EtcdMember a1 = member(0xa1L, "a1", "https://10.0.0.5:2380", "https://10.0.0.5:2379");
    Fix fix = fixOf(new ClusterView(List.of(a1), List.of(node("a1", "10.0.0.5"))),
        new PolicyRules(AddressFamily.Any, List.of(Cidr.parse("192.168.10.0/24"))), "a1");
    String all = fix.text() + "\n" + String.join("\n", fix.steps());
    assertThat(all).doesNotContain("--node-ip=10.0.0.5", "node-ip: 10.0.0.5", "--peer-urls=https://10.0.0.5");
    assertThat(all).contains("address in 192.168.10.0/24 on node a1");
    assertThat(fix.preconditions()).anySatisfy(p -> assertThat(p).contains("target address: none known"));
  }

  @Test
  void loopbackPeerUrlWithClientUrlOnTheNodeIsMovedNotRemoved() {
    // Regression: a live member (the leader) was reported as matching no Node and advised `member remove`.
    EtcdMember leader = member(0x3L, "default", "http://127.0.0.1:2380", "https://192.168.1.32:2379");
    MembershipHealth health = new MembershipHealth(Map.of(0x3L, new MembershipHealth.Member(true, true, false)), 3, 3, 1);
    ClusterView view = new ClusterView(List.of(K3S_1, member(0x2L, "losangeles-0ac72af5", "https://192.168.1.30:2380", "https://192.168.1.30:2379"), leader),
        K3S_NODES, Map.of(), health);
    Fix fix = fixOf(view, PolicyRules.defaults(), "default");
    assertThat(String.join("\n", fix.steps())).doesNotContain("member remove")
        .contains("member update 3 --peer-urls=http://192.168.1.32:2380", "node-ip: 192.168.1.32");
    assertThat(fix.preconditions()).anySatisfy(p -> assertThat(p).contains("matched by clientAddress"))
        .anySatisfy(p -> assertThat(p).contains("quorum margin: 1"));
  }

  @Test
  void staleMemberWithoutNodeIsConfirmedStaleBeforeRemoval() {
    EtcdMember stale = member(0x4L, "tokyo-1f2e3d4c", "https://192.168.1.40:2380", "https://192.168.1.40:2379");
    Fix fix = fixOf(new ClusterView(List.of(K3S_1, K3S_2, stale), K3S_NODES), PolicyRules.defaults(), "tokyo-1f2e3d4c");
    assertThat(indexOf(fix, "Confirm the member is stale")).isLessThan(indexOf(fix, "etcdctl member remove 4"));
    assertThat(String.join("\n", fix.steps())).contains("--endpoints=https://192.168.1.40:2379 endpoint status");
  }

  @Test
  void liveMemberWithoutNodeIsNeverRemoved() {
    EtcdMember live = member(0x4L, "tokyo-1f2e3d4c", "https://192.168.1.40:2380", "https://192.168.1.40:2379");
    MembershipHealth health = new MembershipHealth(Map.of(0x4L, new MembershipHealth.Member(true, false, false)), 3, 3, 1);
    Fix fix = fixOf(new ClusterView(List.of(K3S_1, K3S_2, live), K3S_NODES, Map.of(), health), PolicyRules.defaults(), "tokyo-1f2e3d4c");
    assertThat(fix.text() + String.join("\n", fix.steps())).doesNotContain("member remove").contains("nodeSelector");
  }

  @Test
  void unstartedMemberOnAKnownNodeIsStartedNotRemoved() {
    EtcdMember unstarted = new EtcdMember(5, "", List.of("https://192.168.1.32:2380"), List.of(), false);
    Fix fix = fixOf(new ClusterView(List.of(K3S_1, unstarted), K3S_NODES), PolicyRules.defaults(), "5");
    assertThat(String.join("\n", fix.steps())).doesNotContain("member remove").contains("systemctl start k3s");
  }

  @Test
  void singleMemberK3sRecoversWithClusterResetNotAMoveWhileQuorumHolds() {
    EtcdMember only = member(0x9L, "solo-0a1b2c3d", "https://[" + TEMP_V6 + "]:2380", "https://192.168.1.30:2379");
    Fix fix = fixOf(new ClusterView(List.of(only), List.of(k3sNode("solo", "solo-0a1b2c3d", "192.168.1.30"))),
        PolicyRules.defaults(), "solo-0a1b2c3d");
    String steps = String.join("\n", fix.steps());
    assertThat(steps).contains("k3s server --cluster-reset", "node-ip: 192.168.1.30").doesNotContain("member update", "quorum");
    assertThat(fix.text()).contains("--cluster-reset");
    assertThat(indexOf(fix, "node-ip")).isLessThan(indexOf(fix, "--cluster-reset"));
  }

  @Test
  void rke2UsesItsOwnConfigServiceAndCertificates() {
    EtcdMember a = member(0x1L, "srv-a-0badf00d", "https://10.1.0.9:2380", "https://10.1.0.10:2379");
    EtcdMember b = member(0x2L, "srv-b-0badf00e", "https://10.1.0.11:2380", "https://10.1.0.11:2379");
    NodeInfo nodeA = new NodeInfo("srv-a", Map.of(), Map.of("etcd.rke2.cattle.io/node-name", "srv-a-0badf00d"), List.of("10.1.0.10"), List.of());
    NodeInfo nodeB = new NodeInfo("srv-b", Map.of(), Map.of("etcd.rke2.cattle.io/node-name", "srv-b-0badf00e"), List.of("10.1.0.11"), List.of());
    Fix fix = fixOf(new ClusterView(List.of(a, b), List.of(nodeA, nodeB)), PolicyRules.defaults(), "srv-a-0badf00d");
    assertThat(String.join("\n", fix.steps())).contains("/etc/rancher/rke2/config.yaml", "systemctl restart rke2-server",
        "/var/lib/rancher/rke2/server/tls/etcd/", "--peer-urls=https://10.1.0.10:2380");
  }

  @Test
  void kubeadmMovesTheMemberThenFixesTheStaticPodManifest() {
    EtcdMember cp1 = member(0x1L, "cp-1", "https://10.0.0.11:2380", "https://10.0.0.11:2379");
    EtcdMember cp2 = member(0x2L, "cp-2", "https://10.0.0.99:2380", "https://10.0.0.12:2379");
    NodeInfo n1 = new NodeInfo("cp-1", Map.of("node-role.kubernetes.io/control-plane", ""), Map.of(), List.of("10.0.0.11"), List.of());
    NodeInfo n2 = new NodeInfo("cp-2", Map.of("node-role.kubernetes.io/control-plane", ""), Map.of(), List.of("10.0.0.12"), List.of());
    Fix fix = fixOf(new ClusterView(List.of(cp1, cp2), List.of(n1, n2)), PolicyRules.defaults(), "cp-2");
    assertThat(String.join("\n", fix.steps())).contains("--node-ip=10.0.0.12", "/etc/kubernetes/manifests/etcd.yaml",
        "/etc/kubernetes/pki/etcd/healthcheck-client.crt").doesNotContain("config.yaml", "k3s");
    assertThat(indexOf(fix, "member update 2")).isLessThan(indexOf(fix, "/etc/kubernetes/manifests/etcd.yaml"));
  }

  @Test
  void talosGetsAdvertisedSubnetsNotK3sFlagsNorEtcdctl() {
    EtcdMember a = member(0x1L, "talos-a", "https://[" + TEMP_V6 + "]:2380", "https://10.5.0.2:2379");
    EtcdMember b = member(0x2L, "talos-b", "https://10.5.0.3:2380", "https://10.5.0.3:2379");
    NodeInfo na = new NodeInfo("talos-a", Map.of(), Map.of(), List.of("10.5.0.2"), List.of(), "v1.31.1", "Talos (v1.8.3)");
    NodeInfo nb = new NodeInfo("talos-b", Map.of(), Map.of(), List.of("10.5.0.3"), List.of(), "v1.31.1", "Talos (v1.8.3)");
    Fix fix = fixOf(new ClusterView(List.of(a, b), List.of(na, nb)), PolicyRules.defaults(), "talos-a");
    String steps = String.join("\n", fix.steps());
    assertThat(steps).contains("/cluster/etcd/advertisedSubnets", "10.5.0.2/32", "use_tempaddr")
        .doesNotContain("node-ip", "--etcd-arg", "member update", "config.yaml");
  }

  @Test
  void pinningEtcdArgAloneIsNeverTheFix() {
    Fix fix = fixOf(new ClusterView(List.of(K3S_1, LOSANGELES_TEMP, K3S_2), K3S_NODES), PolicyRules.defaults(), "losangeles-0ac72af5");
    assertThat(String.join("\n", fix.steps())).contains("node-ip:").doesNotContain("--etcd-arg=");
  }

  @Test
  void noMoveWhileTheClusterToleratesNoFurtherFailure() {
    MembershipHealth health = new MembershipHealth(Map.of(0x3L, new MembershipHealth.Member(false, false, false)), 3, 2, 0);
    Fix fix = fixOf(new ClusterView(List.of(K3S_1, LOSANGELES_TEMP, K3S_2), K3S_NODES, Map.of(), health), PolicyRules.defaults(),
        "losangeles-0ac72af5");
    assertThat(String.join("\n", fix.steps())).contains("tolerates no further failure now (quorum margin 0)");
    assertThat(indexOf(fix, "quorum margin 0")).isLessThan(indexOf(fix, "member update"));
  }

  @Test
  void theMemberBeingMovedDoesNotCountItsOwnExpiryAgainstItsMargin() {
    MembershipHealth allHealthy = new MembershipHealth(Map.of(0x1L, healthyVoter(true), LOSANGELES_TEMP.id(), healthyVoter(false),
        0x3L, healthyVoter(false)), 3, 3, 1);
    CheckResult check = CheckResult.of(1, new ClusterView(List.of(K3S_1, LOSANGELES_TEMP, K3S_2), K3S_NODES, Map.of(), allHealthy),
        PolicyRules.defaults());
    assertThat(check.health().atRiskVoters()).isEqualTo(1);
    assertThat(check.health().faultToleranceAfterExpiry()).isZero();
    Fix fix = check.fixes().get(LOSANGELES_TEMP.id());
    assertThat(fix.preconditions()).anySatisfy(p -> assertThat(p).contains("quorum margin: 1 (3 of 3 voters healthy)"));
    assertThat(String.join("\n", fix.steps())).contains("tolerates 1 more failure(s); confirm");
  }

  @Test
  void anotherExpiringVoterUsesUpTheMarginSoThisMemberMovesFirstAndNothingElseRestarts() {
    EtcdMember k3s2Temp = member(0x3L, "k3s-2-5a3e0192", "https://[fd00:c0ff:ee:0:5c1e:77a0:9b3d:2e41]:2380", "https://192.168.1.32:2379");
    MembershipHealth allHealthy = new MembershipHealth(Map.of(0x1L, healthyVoter(true), LOSANGELES_TEMP.id(), healthyVoter(false),
        0x3L, healthyVoter(false)), 3, 3, 1);
    CheckResult check = CheckResult.of(1, new ClusterView(List.of(K3S_1, LOSANGELES_TEMP, k3s2Temp), K3S_NODES, Map.of(), allHealthy),
        PolicyRules.defaults());
    assertThat(check.health().atRiskVoters()).isEqualTo(2);
    assertThat(check.health().faultToleranceAfterExpiry()).isEqualTo(-1);
    Fix fix = check.fixes().get(LOSANGELES_TEMP.id());
    assertThat(fix.preconditions()).anySatisfy(p -> assertThat(p).contains("quorum margin: 0 (3 of 3 voters healthy;"
        + " counting 1 other healthy voter(s) expected to fail: k3s-2-5a3e0192: peer address"));
    String steps = String.join("\n", fix.steps());
    assertThat(steps).contains("tolerates 1 more failure(s) now, but other healthy voters are expected to fail",
        "Do this member now, before they fail, restart no other server meanwhile").doesNotContain("member remove");
    assertThat(indexOf(fix, "Do this member now")).isLessThan(indexOf(fix, "member update 8e9e05c52164694d"));
  }

  // MemberDownNodeNotReady: the incident after the reboot. Recovered, never removed.
  static final MembershipHealth LOSANGELES_DOWN = new MembershipHealth(Map.of(0x1L, healthyVoter(true),
      LOSANGELES_TEMP.id(), new MembershipHealth.Member(false, false, false, "connection refused", null, null, null), 0x3L, healthyVoter(false)),
      3, 2, 0);
  static final List<NodeInfo> LOSANGELES_NOT_READY = List.of(k3sNode("k3s-1", "k3s-1-b2495bc5", "192.168.1.31"),
      new NodeInfo("losangeles", Map.of(), Map.of("etcd.k3s.cattle.io/node-name", "losangeles-0ac72af5"), List.of("192.168.1.30"),
          List.of(), "v1.31.4+k3s1", "Ubuntu 24.04", false),
      k3sNode("k3s-2", "k3s-2-5a3e0192", "192.168.1.32"));

  @Test
  void aDownMemberAtItsNodesAddressGetsItsAddressPinnedAndItsServerStartedNotAMoveNorARemoval() {
    EtcdMember registered = member(LOSANGELES_TEMP.id(), "losangeles-0ac72af5", "https://192.168.1.30:2380", "https://192.168.1.30:2379");
    Fix fix = fixOf(new ClusterView(List.of(K3S_1, registered, K3S_2), LOSANGELES_NOT_READY, Map.of(), LOSANGELES_DOWN),
        PolicyRules.defaults(), "losangeles-0ac72af5");
    String steps = String.join("\n", fix.steps());
    assertThat(steps).contains("journalctl -u k3s -b | grep 'not a member of the etcd cluster'", "node-ip: 192.168.1.30",
        "the member's registered address", "systemctl restart k3s", "kubectl get node losangeles` is Ready")
        .doesNotContain("member remove", "member update", "--cluster-reset");
    assertThat(indexOf(fix, "journalctl")).isLessThan(indexOf(fix, "node-ip"));
    assertThat(indexOf(fix, "node-ip")).isLessThan(indexOf(fix, "systemctl restart k3s"));
    assertThat(fix.text()).contains("does not answer and node losangeles is NotReady", "rebooted", "rejoins at its registered"
        + " https://192.168.1.30:2380", "Do not remove the member");
    assertThat(fix.preconditions()).anySatisfy(p -> assertThat(p).contains("primary reason: MemberDownNodeNotReady"))
        .anySatisfy(p -> assertThat(p).contains("reachable: no"));
  }

  @Test
  void aDownMemberRegisteredOnATemporaryAddressIsMovedFromAHealthyServerWhileQuorumHolds() {
    Fix fix = fixOf(new ClusterView(List.of(K3S_1, LOSANGELES_TEMP, K3S_2), LOSANGELES_NOT_READY, Map.of(), LOSANGELES_DOWN),
        PolicyRules.defaults(), "losangeles-0ac72af5");
    String steps = String.join("\n", fix.steps());
    assertThat(steps).contains("node-ip: 192.168.1.30", "ipv4.may-fail no", "use_tempaddr=0",
        "Updating a member needs quorum: it holds (2 of 3 voters healthy, 0 more may fail)",
        "From a healthy server, move the member to the address the node has: `etcdctl member update 8e9e05c52164694d"
            + " --peer-urls=https://192.168.1.30:2380`", "systemctl restart k3s", "ETCDCTL_ENDPOINTS=https://192.168.1.31:2379")
        .doesNotContain("member remove", "--cluster-reset", "tolerates no further failure now")
        .doesNotContain("node-ip: " + TEMP_V6);
    assertThat(indexOf(fix, "journalctl")).isLessThan(indexOf(fix, "node-ip"));
    assertThat(indexOf(fix, "node-ip")).isLessThan(indexOf(fix, "member update"));
    assertThat(indexOf(fix, "needs quorum")).isLessThan(indexOf(fix, "member update"));
    assertThat(indexOf(fix, "member update")).isLessThan(indexOf(fix, "systemctl restart k3s"));
  }

  @Test
  void aDownMemberWithQuorumLostIsToldTheUpdateCannotCommit() {
    MembershipHealth twoDown = new MembershipHealth(Map.of(0x1L, healthyVoter(true),
        LOSANGELES_TEMP.id(), new MembershipHealth.Member(false, false, false), 0x3L, new MembershipHealth.Member(false, false, false)),
        3, 1, -1);
    Fix fix = fixOf(new ClusterView(List.of(K3S_1, LOSANGELES_TEMP, K3S_2), LOSANGELES_NOT_READY, Map.of(), twoDown),
        PolicyRules.defaults(), "losangeles-0ac72af5");
    assertThat(String.join("\n", fix.steps())).contains("it is lost (1 of 3 voters healthy): the update cannot commit")
        .doesNotContain("member remove");
  }

  @Test
  void aDownSingleK3sMemberRecoversWithClusterReset() {
    EtcdMember only = member(0x9L, "solo-0a1b2c3d", "https://[" + TEMP_V6 + "]:2380", "https://192.168.1.30:2379");
    MembershipHealth down = new MembershipHealth(Map.of(0x9L, new MembershipHealth.Member(false, false, false)), 1, 0, -1);
    NodeInfo solo = new NodeInfo("solo", Map.of(), Map.of("etcd.k3s.cattle.io/node-name", "solo-0a1b2c3d"), List.of("192.168.1.30"),
        List.of(), null, null, false);
    Fix fix = fixOf(new ClusterView(List.of(only), List.of(solo), Map.of(), down), PolicyRules.defaults(), "solo-0a1b2c3d");
    assertThat(String.join("\n", fix.steps())).contains("k3s server --cluster-reset", "node-ip: 192.168.1.30")
        .doesNotContain("member update", "member remove");
  }

  @Test
  void aDownMemberOnRke2KubeadmAndTalosGetsItsDistributionsRecovery() {
    MembershipHealth bDown = new MembershipHealth(Map.of(0x1L, healthyVoter(true), 0x2L, new MembershipHealth.Member(false, false, false),
        0x3L, healthyVoter(false)), 3, 2, 0);

    EtcdMember rke2b = member(0x2L, "srv-b-0badf00e", "https://10.1.0.11:2380", "https://10.1.0.11:2379");
    List<NodeInfo> rke2 = List.of(
        new NodeInfo("srv-a", Map.of(), Map.of("etcd.rke2.cattle.io/node-name", "srv-a-0badf00d"), List.of("10.1.0.10"), List.of()),
        new NodeInfo("srv-b", Map.of(), Map.of("etcd.rke2.cattle.io/node-name", "srv-b-0badf00e"), List.of("10.1.0.11"), List.of(), null, null, false),
        new NodeInfo("srv-c", Map.of(), Map.of("etcd.rke2.cattle.io/node-name", "srv-c-0badf00f"), List.of("10.1.0.12"), List.of()));
    Fix rke2Fix = fixOf(new ClusterView(List.of(member(0x1L, "srv-a-0badf00d", "https://10.1.0.10:2380", "https://10.1.0.10:2379"), rke2b,
        member(0x3L, "srv-c-0badf00f", "https://10.1.0.12:2380", "https://10.1.0.12:2379")), rke2, Map.of(), bDown), PolicyRules.defaults(),
        "srv-b-0badf00e");
    assertThat(String.join("\n", rke2Fix.steps())).contains("journalctl -u rke2-server -b", "/etc/rancher/rke2/config.yaml",
        "node-ip: 10.1.0.11", "systemctl restart rke2-server").doesNotContain("member remove", "k3s");

    List<NodeInfo> kubeadm = List.of(
        new NodeInfo("cp-1", Map.of("node-role.kubernetes.io/control-plane", ""), Map.of(), List.of("10.0.0.11"), List.of()),
        new NodeInfo("cp-2", Map.of("node-role.kubernetes.io/control-plane", ""), Map.of(), List.of("10.0.0.12"), List.of(), null, null, false),
        new NodeInfo("cp-3", Map.of("node-role.kubernetes.io/control-plane", ""), Map.of(), List.of("10.0.0.13"), List.of()));
    Fix kubeadmFix = fixOf(new ClusterView(List.of(member(0x1L, "cp-1", "https://10.0.0.11:2380", "https://10.0.0.11:2379"),
        member(0x2L, "cp-2", "https://10.0.0.12:2380", "https://10.0.0.12:2379"), member(0x3L, "cp-3", "https://10.0.0.13:2380",
            "https://10.0.0.13:2379")), kubeadm, Map.of(), bDown), PolicyRules.defaults(), "cp-2");
    assertThat(String.join("\n", kubeadmFix.steps())).contains("/etc/kubernetes/manifests/etcd.yaml", "--node-ip=10.0.0.12",
        "systemctl restart kubelet").doesNotContain("config.yaml", "k3s", "member remove");

    List<NodeInfo> talos = List.of(
        new NodeInfo("talos-a", Map.of(), Map.of(), List.of("10.5.0.2"), List.of(), "v1.31.1", "Talos (v1.8.3)"),
        new NodeInfo("talos-b", Map.of(), Map.of(), List.of("10.5.0.3"), List.of(), "v1.31.1", "Talos (v1.8.3)", false),
        new NodeInfo("talos-c", Map.of(), Map.of(), List.of("10.5.0.4"), List.of(), "v1.31.1", "Talos (v1.8.3)"));
    Fix talosFix = fixOf(new ClusterView(List.of(member(0x1L, "talos-a", "https://10.5.0.2:2380", "https://10.5.0.2:2379"),
        member(0x2L, "talos-b", "https://[" + TEMP_V6 + "]:2380", "https://10.5.0.3:2379"), member(0x3L, "talos-c", "https://10.5.0.4:2380",
            "https://10.5.0.4:2379")), talos, Map.of(), bDown), PolicyRules.defaults(), "talos-b");
    assertThat(String.join("\n", talosFix.steps())).contains("talosctl -n talos-b service etcd", "/cluster/etcd/advertisedSubnets",
        "10.5.0.3/32").doesNotContain("node-ip", "member update", "member remove", "config.yaml");
  }

  // A single member that is down: its own quorum. Never "the update cannot commit", never --force-new-cluster as a step.
  static final MembershipHealth SOLO_DOWN = new MembershipHealth(Map.of(0x9L, new MembershipHealth.Member(false, false, false,
      "connection refused", null, null, null)), 1, 0, -1);
  static final EtcdMember SOLO_TEMP = member(0x9L, "cp-1", "https://[" + TEMP_V6 + "]:2380", "https://[" + TEMP_V6 + "]:2379");

  @Test
  void aDownSingleKubeadmMemberIsBackedUpStartedOnItsNodeAddressThenMovedFromItself() {
    NodeInfo cp1 = new NodeInfo("cp-1", Map.of("node-role.kubernetes.io/control-plane", ""), Map.of(), List.of("10.0.0.11"), List.of(),
        "v1.31.4", "Ubuntu 24.04", false);
    Fix fix = fixOf(new ClusterView(List.of(SOLO_TEMP), List.of(cp1), Map.of(), SOLO_DOWN), PolicyRules.defaults(), "cp-1");
    String steps = String.join("\n", fix.steps());
    assertThat(steps).contains("journalctl -u kubelet -b", "cp -a /var/lib/etcd/member /var/lib/etcd/member.backup",
        "--node-ip=10.0.0.11", "--initial-advertise-peer-urls=https://10.0.0.11:2380", "--listen-peer-urls=https://10.0.0.11:2380",
        "/etc/kubernetes/manifests/etcd.yaml", "systemctl restart kubelet",
        "`etcdctl --endpoints=https://10.0.0.11:2379 member update 9 --peer-urls=https://10.0.0.11:2380`",
        "one voter is its own quorum", "ETCDCTL_CACERT=/etc/kubernetes/pki/etcd/ca.crt", "ETCDCTL_ENDPOINTS=https://10.0.0.11:2379")
        .doesNotContain("cannot commit", "needs quorum", "member remove", "--cluster-reset", "k3s", "ENDPOINTS=https://[" + TEMP_V6);
    assertNoForceNewClusterStep(fix);
    assertThat(indexOf(fix, "journalctl -u kubelet")).isLessThan(indexOf(fix, "cp -a /var/lib/etcd/member"));
    assertThat(indexOf(fix, "cp -a /var/lib/etcd/member")).as("backup before anything changes").isLessThan(indexOf(fix, "--node-ip=10.0.0.11"));
    assertThat(indexOf(fix, "--node-ip=10.0.0.11")).isLessThan(indexOf(fix, "systemctl restart kubelet"));
    assertThat(indexOf(fix, "systemctl restart kubelet")).as("start, then move from itself").isLessThan(indexOf(fix, "member update 9"));
    assertThat(indexOf(fix, "member update 9")).isLessThan(indexOf(fix, "Verify"));
    assertThat(fix.text()).contains("move the only member to https://10.0.0.11:2380", "own quorum").doesNotContain("cannot commit");
  }

  @Test
  void aDownSingleMemberOnAnotherDistributionGetsTheGenericEtcdRecovery() {
    NodeInfo host = new NodeInfo("cp-1", Map.of(), Map.of(), List.of("10.0.0.11"), List.of(), "v1.31.4", "Ubuntu 24.04", false);
    Fix fix = fixOf(new ClusterView(List.of(SOLO_TEMP), List.of(host), Map.of(), SOLO_DOWN), PolicyRules.defaults(), "cp-1");
    String steps = String.join("\n", fix.steps());
    assertThat(steps).contains("journalctl -u etcd -b", "cp -a /var/lib/etcd/member", "etcd's --data-dir",
        "--initial-advertise-peer-urls=https://10.0.0.11:2380", "--listen-peer-urls=https://10.0.0.11:2380", "Start etcd on cp-1",
        "`etcdctl --endpoints=https://10.0.0.11:2379 member update 9 --peer-urls=https://10.0.0.11:2380`", "use_tempaddr=0",
        "ETCDCTL_ENDPOINTS=https://10.0.0.11:2379")
        .doesNotContain("cannot commit", "member remove", "kubelet", "config.yaml");
    assertNoForceNewClusterStep(fix);
    assertThat(indexOf(fix, "cp -a /var/lib/etcd/member")).isLessThan(indexOf(fix, "--listen-peer-urls"));
    assertThat(indexOf(fix, "--listen-peer-urls")).isLessThan(indexOf(fix, "Start etcd on cp-1"));
    assertThat(indexOf(fix, "Start etcd on cp-1")).isLessThan(indexOf(fix, "member update 9"));
  }

  @Test
  void aDownSingleTalosNodeFixesAdvertisedSubnetsAndFallsBackToItsDatabaseCopy() {
    EtcdMember only = member(0x9L, "talos-a", "https://[" + TEMP_V6 + "]:2380", "https://10.5.0.2:2379");
    NodeInfo talosA = new NodeInfo("talos-a", Map.of(), Map.of(), List.of("10.5.0.2"), List.of(), "v1.31.1", "Talos (v1.8.3)", false);
    Fix fix = fixOf(new ClusterView(List.of(only), List.of(talosA), Map.of(), SOLO_DOWN), PolicyRules.defaults(), "talos-a");
    String steps = String.join("\n", fix.steps());
    assertThat(steps).contains("/cluster/etcd/advertisedSubnets", "10.5.0.2/32", "which a single member is for itself",
        "talosctl -n talos-a cp /var/lib/etcd/member/snap/db ./db.snapshot",
        "talosctl -n talos-a reset --graceful=false --reboot --system-labels-to-wipe=EPHEMERAL",
        "talosctl -n talos-a bootstrap --recover-from=./db.snapshot --recover-skip-hash-check")
        .doesNotContain("member update", "member remove", "cannot commit", "node-ip", "etcdctl", "--force-new-cluster");
    assertThat(indexOf(fix, "advertisedSubnets")).isLessThan(indexOf(fix, "etcd members"));
    assertThat(indexOf(fix, "etcd members")).as("the recovery is the fallback").isLessThan(indexOf(fix, "bootstrap --recover-from"));
    assertThat(fix.steps().get(indexOf(fix, "bootstrap --recover-from")))
        .satisfies(s -> assertThat(s.indexOf(" cp /var/lib/etcd")).isLessThan(s.indexOf(" reset ")))
        .satisfies(s -> assertThat(s.indexOf(" reset ")).isLessThan(s.indexOf(" bootstrap ")));
  }

  @Test
  void aDownSingleKubeadmMemberStillAtItsNodesAddressIsOnlyRestarted() {
    EtcdMember registered = member(0x9L, "cp-1", "https://10.0.0.11:2380", "https://10.0.0.11:2379");
    NodeInfo cp1 = new NodeInfo("cp-1", Map.of("node-role.kubernetes.io/control-plane", ""), Map.of(), List.of("10.0.0.11"), List.of(),
        "v1.31.4", "Ubuntu 24.04", false);
    Fix fix = fixOf(new ClusterView(List.of(registered), List.of(cp1), Map.of(), SOLO_DOWN), PolicyRules.defaults(), "cp-1");
    assertThat(String.join("\n", fix.steps())).contains("--node-ip=10.0.0.11", "systemctl restart kubelet")
        .doesNotContain("member update", "member remove", "cannot commit", "member.backup", "--force-new-cluster");
    assertThat(fix.text()).contains("rejoins at its registered https://10.0.0.11:2380");
  }

  @Test
  void aSingleMemberThatIsUpMovesItselfBecauseItIsItsOwnQuorum() {
    // One voter, healthy: fault tolerance 0 is no reason to wait, and the update commits alone.
    EtcdMember only = member(0x9L, "cp-1", "https://[" + TEMP_V6 + "]:2380", "https://10.0.0.11:2379");
    NodeInfo cp1 = new NodeInfo("cp-1", Map.of("node-role.kubernetes.io/control-plane", ""), Map.of(), List.of("10.0.0.11"), List.of());
    MembershipHealth up = new MembershipHealth(Map.of(0x9L, healthyVoter(true)), 1, 1, 0);
    Fix fix = fixOf(new ClusterView(List.of(only), List.of(cp1), Map.of(), up), PolicyRules.defaults(), "cp-1");
    String steps = String.join("\n", fix.steps());
    assertThat(steps).contains("Move the only member (it commits the change alone): `etcdctl member update 9"
            + " --peer-urls=https://10.0.0.11:2380`", "/etc/kubernetes/manifests/etcd.yaml")
        .doesNotContain("tolerates no further failure", "cannot commit", "member remove", "--force-new-cluster", "--cluster-reset");
    assertThat(indexOf(fix, "member update 9")).isLessThan(indexOf(fix, "/etc/kubernetes/manifests/etcd.yaml"));
  }

  @Test
  void theOnlyVoterWithoutANodeIsNeverRemoved() {
    EtcdMember only = member(0x9L, "tokyo-1f2e3d4c", "https://192.168.1.40:2380", "https://192.168.1.40:2379");
    Fix fix = fixOf(new ClusterView(List.of(only), K3S_NODES, Map.of(), SOLO_DOWN), PolicyRules.defaults(), "tokyo-1f2e3d4c");
    assertThat(fix.text() + String.join("\n", fix.steps())).doesNotContain("member remove").contains("only voter", "nodeSelector");
  }

  @Test
  void noMemberOfAClusterWithMoreThanOneVoterIsToldToForceANewCluster() {
    MembershipHealth bDown = new MembershipHealth(Map.of(0x1L, healthyVoter(true), 0x2L, new MembershipHealth.Member(false, false, false),
        0x3L, healthyVoter(false)), 3, 2, 0);
    MembershipHealth twoDown = new MembershipHealth(Map.of(0x1L, healthyVoter(true), 0x2L, new MembershipHealth.Member(false, false, false),
        0x3L, new MembershipHealth.Member(false, false, false)), 3, 1, -1);
    for (String os : List.of("Ubuntu 24.04", "Talos (v1.8.3)")) {
      for (Map<String, String> labels : List.of(Map.of("node-role.kubernetes.io/control-plane", ""), Map.<String, String>of())) {
        for (MembershipHealth health : List.of(bDown, twoDown)) {
          List<NodeInfo> nodes = List.of(
              new NodeInfo("cp-1", labels, Map.of(), List.of("10.0.0.11"), List.of(), "v1.31.4", os),
              new NodeInfo("cp-2", labels, Map.of(), List.of("10.0.0.12"), List.of(), "v1.31.4", os, false),
              new NodeInfo("cp-3", labels, Map.of(), List.of("10.0.0.13"), List.of(), "v1.31.4", os));
          ClusterView view = new ClusterView(List.of(member(0x1L, "cp-1", "https://10.0.0.11:2380", "https://10.0.0.11:2379"),
              member(0x2L, "cp-2", "https://[" + TEMP_V6 + "]:2380", "https://10.0.0.12:2379"),
              member(0x3L, "cp-3", "https://10.0.0.13:2380", "https://10.0.0.13:2379")), nodes, Map.of(), health);
          Fix fix = fixOf(view, PolicyRules.defaults(), "cp-2");
          assertThat(fix.text() + String.join("\n", fix.steps())).as(os + " " + labels + " " + health.faultTolerance())
              .doesNotContain("--force-new-cluster", "member remove", "member.backup");
        }
      }
    }
  }

  /** --force-new-cluster may be named only as what not to do, never as a command to run. */
  static void assertNoForceNewClusterStep(Fix fix) {
    assertThat(fix.steps()).allSatisfy(s -> assertThat(s.replace("Do not use --force-new-cluster", "")).doesNotContain("force-new-cluster"));
  }

  private static MembershipHealth.Member healthyVoter(boolean leader) {
    return new MembershipHealth.Member(true, leader, false, null, 7L, 0L, "3.4.30");
  }

  @Test
  void theRightfulOwnerOfASharedAddressKeepsItAndTheOtherMoves() {
    EtcdMember intruder = member(0x2L, "losangeles-0ac72af5", "https://192.168.1.31:2380", "https://192.168.1.30:2379");
    ClusterView view = new ClusterView(List.of(K3S_1, intruder, K3S_2), K3S_NODES);
    Fix owner = fixOf(view, PolicyRules.defaults(), "k3s-1-b2495bc5");
    assertThat(owner.text()).contains("move those, not this one");
    assertThat(String.join("\n", owner.steps())).doesNotContain("member update", "member remove");
    Fix other = fixOf(view, PolicyRules.defaults(), "losangeles-0ac72af5");
    assertThat(String.join("\n", other.steps())).contains("member update 2 --peer-urls=https://192.168.1.30:2380");
  }

  @Test
  void distributionIsToldFromAnnotationsLabelsKubeletAndOsImage() {
    assertThat(Distribution.detect(k3sNode("a", "a-12345678", "10.0.0.1")).distribution()).isEqualTo(Distribution.K3S);
    assertThat(Distribution.detect(new NodeInfo("a", Map.of(), Map.of(), List.of(), List.of(), "v1.31.4+k3s1", "Ubuntu")).distribution())
        .isEqualTo(Distribution.K3S);
    assertThat(Distribution.detect(new NodeInfo("a", Map.of(), Map.of("rke2.io/node-args", "[]"), List.of(), List.of())).distribution())
        .isEqualTo(Distribution.RKE2);
    assertThat(Distribution.detect(new NodeInfo("a", Map.of(), Map.of(), List.of(), List.of(), "v1.31.4+rke2r1", null)).distribution())
        .isEqualTo(Distribution.RKE2);
    assertThat(Distribution.detect(new NodeInfo("a", Map.of(), Map.of("kubeadm.alpha.kubernetes.io/cri-socket", "unix:///run/containerd/containerd.sock"),
        List.of(), List.of())).distribution()).isEqualTo(Distribution.KUBEADM);
    assertThat(Distribution.detect(new NodeInfo("a", Map.of("node-role.kubernetes.io/control-plane", "true"),
        Map.of("k3s.io/node-args", "[]"), List.of(), List.of())).distribution()).as("K3s sets the control-plane label too").isEqualTo(Distribution.K3S);
    assertThat(Distribution.detect(new NodeInfo("a", Map.of(), Map.of(), List.of(), List.of(), "v1.31.1", "Talos (v1.8.3)")).distribution())
        .isEqualTo(Distribution.TALOS);
    assertThat(Distribution.detect(new NodeInfo("a", Map.of(), Map.of(), List.of(), List.of(), "v1.31.1", "Ubuntu 24.04")).distribution())
        .isEqualTo(Distribution.OTHER);
  }

  @Test
  void compliantMembersGetNoFix() {
    ClusterView view = new ClusterView(List.of(K3S_1, K3S_2), K3S_NODES);
    assertThat(Advisor.advise(view, PolicyRules.defaults(), Classifier.classify(view, PolicyRules.defaults()))).isEmpty();
  }

  static int indexOf(Fix fix, String text) {
    for (int i = 0; i < fix.steps().size(); i++) {
      if (fix.steps().get(i).contains(text)) {
        return i;
      }
    }
    throw new AssertionError("no step contains '" + text + "': " + fix.steps());
  }

  static Fix fixOf(ClusterView view, PolicyRules rules, String memberLabel) {
    List<MemberVerdict> verdicts = Classifier.classify(view, rules);
    MemberVerdict v = verdicts.stream().filter(x -> x.memberLabel().equals(memberLabel)).findFirst().orElseThrow();
    assertThat(v.compliant()).as(memberLabel + " is not compliant").isFalse();
    return Advisor.advise(view, rules, verdicts).get(v.member().id());
  }

  static EtcdMember member(long id, String name, String peerUrl, String clientUrl) {
    return new EtcdMember(id, name, List.of(peerUrl), List.of(clientUrl), false);
  }

  static NodeInfo node(String name, String ip) {
    return new NodeInfo(name, Map.of(), Map.of(), List.of(ip), List.of());
  }

  static NodeInfo k3sNode(String name, String memberName, String ip) {
    return new NodeInfo(name, Map.of("node-role.kubernetes.io/etcd", "true"),
        Map.of("etcd.k3s.cattle.io/node-name", memberName, "etcd.k3s.cattle.io/node-address", ip), List.of(ip), List.of());
  }
}
