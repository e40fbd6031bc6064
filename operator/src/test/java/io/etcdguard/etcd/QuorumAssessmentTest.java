package io.etcdguard.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.classify.EtcdMember;
import io.etcdguard.classify.MembershipHealth;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class QuorumAssessmentTest {
  private static final long LEADER = 1;
  private static final long TERM = 7;

  private static EtcdMember voter(long id) {
    return new EtcdMember(id, "m" + id, List.of("https://10.0.0." + id + ":2380"),
        List.of("https://10.0.0." + id + ":2379"), false);
  }

  private static MemberHealth following(long id, long leader, long term, long applied) {
    return new MemberHealth(id, URI.create("https://10.0.0." + id + ":2379"), true, null, leader, term, applied + 1,
        applied, "3.4.30", false, List.of());
  }

  private static MemberHealth down(long id) {
    return MemberHealth.unreachable(id, URI.create("https://10.0.0." + id + ":2379"), "etcd at https://10.0.0." + id
        + ":2379: connection refused: nothing listens at 10.0.0." + id + ":2379");
  }

  /** members, answering (following the leader), expected healthy voters, fault tolerance. */
  @ParameterizedTest(name = "{0} voters, {1} healthy -> fault tolerance {3}")
  @CsvSource({
      "1, 1, 1, 0",
      "1, 0, 0, -1",
      "2, 2, 2, 0",
      "3, 3, 3, 1",
      "3, 2, 2, 0",
      "3, 1, 1, -1",
      "4, 4, 4, 1",
      "4, 3, 3, 0",
      "5, 5, 5, 2",
      "5, 3, 3, 0",
      "5, 2, 2, -1"})
  void faultToleranceIsHealthyVotersAboveAMajority(int voters, int answering, int healthy, int faultTolerance) {
    List<EtcdMember> members = new ArrayList<>();
    List<MemberHealth> observed = new ArrayList<>();
    for (long id = 1; id <= voters; id++) {
      members.add(voter(id));
      observed.add(id <= answering ? following(id, LEADER, TERM, 100) : down(id));
    }

    MembershipHealth health = QuorumAssessment.assess(members, observed);

    assertThat(health.voters()).isEqualTo(voters);
    assertThat(health.healthyVoters()).isEqualTo(healthy);
    assertThat(health.faultTolerance()).isEqualTo(faultTolerance);
    assertThat(health.quorumLost()).isEqualTo(faultTolerance < 0);
  }

  @Test
  void aMemberThatAnswersButKnowsNoLeaderIsNotHealthy() {
    // etcd 3.4 answers MemberList and Status locally after losing its peers: answering is not enough.
    MembershipHealth health = QuorumAssessment.assess(List.of(voter(1), voter(2), voter(3)),
        List.of(following(1, 0, TERM, 100), down(2), down(3)));

    assertThat(health.member(1).reachable()).isTrue();
    assertThat(health.member(1).error()).contains("knows no leader");
    assertThat(health.member(1).leader()).isFalse();
    assertThat(health.healthyVoters()).isZero();
    assertThat(health.faultTolerance()).isEqualTo(-2);
    assertThat(health.quorumLost()).isTrue();
  }

  @Test
  void aMemberFollowingAnOldLeaderIsNotHealthy() {
    MembershipHealth health = QuorumAssessment.assess(List.of(voter(1), voter(2), voter(3)),
        List.of(following(1, LEADER, TERM, 100), following(2, LEADER, TERM, 99), following(3, 3, TERM - 2, 50)));

    assertThat(health.healthyVoters()).isEqualTo(2);
    assertThat(health.member(3).error()).isEqualTo("follows member 3 at raft term 5, not the cluster's leader 1");
    assertThat(health.member(1).leader()).isTrue();
    assertThat(health.member(2).leader()).isFalse();
  }

  @Test
  void lagIsTheAppliedIndexBehindTheLeader() {
    MembershipHealth health = QuorumAssessment.assess(List.of(voter(1), voter(2), voter(3)),
        List.of(following(1, LEADER, TERM, 100), following(2, LEADER, TERM, 60), down(3)));

    assertThat(health.member(1).lag()).isZero();
    assertThat(health.member(2).lag()).isEqualTo(40);
    assertThat(health.member(3).lag()).isNull();
    assertThat(health.member(3).raftTerm()).isNull();
    assertThat(health.member(2).raftTerm()).isEqualTo(TERM);
    assertThat(health.member(2).version()).isEqualTo("3.4.30");
  }

  @Test
  void learnersDoNotVoteAndAnUnstartedOneIsNotAsked() {
    EtcdMember unstartedLearner = new EtcdMember(4, "", List.of("https://10.0.0.4:2380"), List.of(), true);
    MembershipHealth health = QuorumAssessment.assess(List.of(voter(1), voter(2), voter(3), unstartedLearner),
        List.of(following(1, LEADER, TERM, 100), following(2, LEADER, TERM, 100), following(3, LEADER, TERM, 100),
            MemberHealth.notAsked(4)));

    assertThat(health.voters()).isEqualTo(3);
    assertThat(health.faultTolerance()).isEqualTo(1);
    assertThat(health.member(4).learner()).isTrue();
    assertThat(health.member(4).reachable()).isNull();
  }

  @Test
  void aLearnerSaysSoItself() {
    MemberHealth learnerAnswer = new MemberHealth(4, URI.create("https://10.0.0.4:2379"), true, null, LEADER, TERM,
        90, 90, "3.4.30", true, List.of());
    MembershipHealth health = QuorumAssessment.assess(List.of(voter(1), voter(2), voter(3), voter(4)),
        List.of(following(1, LEADER, TERM, 100), following(2, LEADER, TERM, 100), down(3), learnerAnswer));

    assertThat(health.member(4).learner()).isTrue();
    assertThat(health.voters()).isEqualTo(3);
    assertThat(health.healthyVoters()).isEqualTo(2);
    assertThat(health.faultTolerance()).isZero();
  }

  @Test
  void unknownHealthIsNeitherHealthyNorLost() {
    assertThat(MembershipHealth.unknown().known()).isFalse();
    assertThat(MembershipHealth.unknown().quorumLost()).isFalse();
    assertThat(MembershipHealth.unknown().member(1)).isNull();
  }
}
