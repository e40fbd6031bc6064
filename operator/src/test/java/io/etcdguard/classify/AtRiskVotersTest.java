package io.etcdguard.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Which healthy voters count as expected to fail (docs/architecture.md, "Voters at risk"): one row per rule. */
class AtRiskVotersTest {
  private static final long SUBJECT = 0x8e9e05c52164694dL;
  private static final String TEMP_V6 = "[fd00:c0ff:ee:0:da69:8213:dd0b:aac3]";

  enum Health { HEALTHY_VOTER, DOWN, LEARNER, ANSWERS_WITHOUT_LEADER }

  static Stream<Arguments> rows() {
    return Stream.of(
        // reasons of the member, its health, its Node's next start predicted to fail, expected at risk
        Arguments.of(List.of(), Health.HEALTHY_VOTER, false, false),
        Arguments.of(List.of(Reason.TemporaryIPv6Address, Reason.NotNodeInternalIP), Health.HEALTHY_VOTER, false, true),
        Arguments.of(List.of(Reason.AddressNotOnNode, Reason.NotNodeInternalIP), Health.HEALTHY_VOTER, false, true),
        Arguments.of(List.of(), Health.HEALTHY_VOTER, true, true),
        // an address that does not expire is not a risk to quorum
        Arguments.of(List.of(Reason.NotNodeInternalIP, Reason.AddressFamilyMismatch), Health.HEALTHY_VOTER, false, false),
        Arguments.of(List.of(Reason.OutsideAllowedCIDRs), Health.HEALTHY_VOTER, false, false),
        // already counted as unhealthy, or not a voter: never twice
        Arguments.of(List.of(Reason.TemporaryIPv6Address), Health.DOWN, true, false),
        Arguments.of(List.of(Reason.TemporaryIPv6Address), Health.ANSWERS_WITHOUT_LEADER, false, false),
        Arguments.of(List.of(Reason.TemporaryIPv6Address), Health.LEARNER, true, false));
  }

  @ParameterizedTest(name = "{0}, {1}, restart fails {2} -> at risk {3}")
  @MethodSource("rows")
  void aHealthyVoterIsAtRiskWhenItsAddressExpiresOrItsRestartFails(List<Reason> reasons, Health health, boolean restartFails,
      boolean expected) {
    MemberVerdict verdict = verdict(SUBJECT, "losangeles-0ac72af5", "losangeles", reasons);
    MembershipHealth membership = health(Map.of(SUBJECT, health, 0x1L, Health.HEALTHY_VOTER, 0x3L, Health.HEALTHY_VOTER));
    List<NodePosture> postures = restartFails ? List.of(restartRisk("losangeles", "losangeles-0ac72af5")) : List.of();

    Map<Long, String> atRisk = AtRiskVoters.of(membership, List.of(verdict, verdict(0x1L, "k3s-1-b2495bc5", "k3s-1", List.of())), postures);

    assertThat(atRisk.containsKey(SUBJECT)).isEqualTo(expected);
    assertThat(atRisk).doesNotContainKey(0x1L);
    if (expected) {
      assertThat(atRisk.get(SUBJECT)).startsWith("losangeles-0ac72af5: ");
    }
  }

  @Test
  void theWhySaysWhichRule() {
    MembershipHealth membership = health(Map.of(1L, Health.HEALTHY_VOTER, 2L, Health.HEALTHY_VOTER, 3L, Health.HEALTHY_VOTER));
    Map<Long, String> atRisk = AtRiskVoters.of(membership, List.of(
        verdict(1L, "a", "node-a", List.of(Reason.TemporaryIPv6Address)),
        verdict(2L, "b", "node-b", List.of(Reason.AddressNotOnNode)),
        verdict(3L, "c", "node-c", List.of())), List.of(restartRisk("node-c", "c")));
    assertThat(atRisk.get(1L)).contains("peer address " + TEMP_V6 + " is temporary (Confirmed)", "valid lifetime");
    assertThat(atRisk.get(2L)).contains("is no longer on node node-b");
    assertThat(atRisk.get(3L)).contains("next start of node node-c is predicted to fail (RestartRisk)");
  }

  @Test
  void aRestartRiskOfAnotherMemberOnTheNodeOrAnotherNodeDoesNotCount() {
    MembershipHealth membership = health(Map.of(1L, Health.HEALTHY_VOTER));
    assertThat(AtRiskVoters.of(membership, List.of(verdict(1L, "a", "node-a", List.of())),
        List.of(restartRisk("node-b", "a"), restartRisk("node-a", "other")))).isEmpty();
  }

  @Test
  void unknownHealthHasNoVotersAtRisk() {
    assertThat(AtRiskVoters.of(MembershipHealth.unknown(), List.of(verdict(1L, "a", "n", List.of(Reason.TemporaryIPv6Address))),
        List.of())).isEmpty();
    assertThat(MembershipHealth.unknown().atRiskVoters()).isNull();
    assertThat(MembershipHealth.unknown().faultToleranceAfterExpiry()).isNull();
  }

  @Test
  void theFaultToleranceAfterExpiryAndAMembersMarginCountTheOthersAtRisk() {
    // three healthy voters (tolerance 1), two of them on temporary addresses
    MembershipHealth h = health(Map.of(1L, Health.HEALTHY_VOTER, 2L, Health.HEALTHY_VOTER, 3L, Health.HEALTHY_VOTER))
        .withAtRisk(Map.of(1L, "a: temporary", 2L, "b: temporary"));
    assertThat(h.faultTolerance()).isEqualTo(1);
    assertThat(h.atRiskVoters()).isEqualTo(2);
    assertThat(h.faultToleranceAfterExpiry()).isEqualTo(-1);
    assertThat(h.marginFor(1L)).as("moving member 1 counts member 2, not itself").isZero();
    assertThat(h.marginFor(3L)).isEqualTo(-1);
  }

  private static MemberVerdict verdict(long id, String name, String node, List<Reason> reasons) {
    EtcdMember member = new EtcdMember(id, name, List.of("https://" + TEMP_V6 + ":2380"), List.of("https://192.168.1.30:2379"), false);
    List<Finding> findings = new ArrayList<>();
    for (Reason r : reasons) {
      findings.add(new Finding(r, Confidence.Confirmed, TEMP_V6, r + " of " + name));
    }
    return new MemberVerdict(member, node, NodeMatch.ANNOTATION, findings);
  }

  private static NodePosture restartRisk(String node, String member) {
    return new NodePosture(node, member, List.of(new RiskFinding(Risk.RestartRisk, "a start now would pick 192.168.1.99", null,
        "192.168.1.99")), HostReports.State.FRESH, null, null, false);
  }

  /** Health as QuorumAssessment would weigh these answers. */
  private static MembershipHealth health(Map<Long, Health> byId) {
    Map<Long, MembershipHealth.Member> members = new HashMap<>();
    int voters = 0;
    int healthy = 0;
    for (Map.Entry<Long, Health> e : byId.entrySet()) {
      Health h = e.getValue();
      boolean learner = h == Health.LEARNER;
      boolean healthyVoter = h == Health.HEALTHY_VOTER;
      voters += learner ? 0 : 1;
      healthy += healthyVoter ? 1 : 0;
      members.put(e.getKey(), new MembershipHealth.Member(h != Health.DOWN, false, learner,
          h == Health.ANSWERS_WITHOUT_LEADER ? "answers, but knows no leader" : null, 4L, 0L, "3.4.30", healthyVoter));
    }
    return new MembershipHealth(members, voters, healthy, healthy - (voters / 2 + 1));
  }
}
