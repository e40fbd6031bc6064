package io.etcdguard.etcd;

import io.etcdguard.classify.EtcdMember;
import io.etcdguard.classify.MembershipHealth;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Weighs the members' own answers into {@link MembershipHealth}. Pure.
 *
 * <p>The cluster's leader is the one that answering members follow at the highest raft term. A voter is
 * healthy when it answered and follows that leader: a member that answers but knows no leader (it lost its
 * peers) or another one (it is partitioned) does not count toward quorum. Quorum is a majority of voters
 * (learners do not vote), so the fault tolerance is {@code healthyVoters - (voters / 2 + 1)}: 1 for three
 * healthy voters, 0 when one more failure stops etcd, negative when quorum is already lost.
 */
public final class QuorumAssessment {
  private QuorumAssessment() {}

  public static MembershipHealth assess(List<EtcdMember> members, List<MemberHealth> observed) {
    Map<Long, MemberHealth> byId = observed.stream()
        .collect(Collectors.toMap(MemberHealth::memberId, Function.identity(), (a, b) -> a, HashMap::new));
    long leaderId = leader(observed);
    MemberHealth leader = leaderId == 0 ? null : byId.get(leaderId);
    boolean leaderAnswered = leader != null && leader.answered();

    Map<Long, MembershipHealth.Member> result = new HashMap<>();
    int voters = 0;
    int healthyVoters = 0;
    for (EtcdMember member : members) {
      MemberHealth health = byId.getOrDefault(member.id(), MemberHealth.notAsked(member.id()));
      boolean learner = member.learner() || (health.answered() && health.learner());
      boolean answered = health.answered();
      boolean healthyVoter = !learner && answered && leaderId != 0 && health.leaderId() == leaderId;
      if (!learner) {
        voters++;
        if (healthyVoter) {
          healthyVoters++;
        }
      }
      Long lag = answered && leaderAnswered
          ? Math.max(0, leader.raftAppliedIndex() - health.raftAppliedIndex()) : null;
      result.put(member.id(), new MembershipHealth.Member(health.reachable(), leaderId != 0 && member.id() == leaderId,
          learner, error(health, leaderId), answered ? health.raftTerm() : null, lag,
          answered ? health.version() : null, healthyVoter));
    }
    return new MembershipHealth(result, voters, healthyVoters, healthyVoters - (voters / 2 + 1));
  }

  /** The leader the answering members follow at the highest term; 0 when none knows one. */
  static long leader(List<MemberHealth> observed) {
    Optional<MemberHealth> newest = observed.stream().filter(MemberHealth::answered).filter(h -> h.leaderId() != 0)
        .max(Comparator.comparingLong(MemberHealth::raftTerm));
    return newest.map(MemberHealth::leaderId).orElse(0L);
  }

  private static String error(MemberHealth health, long leaderId) {
    if (!health.answered()) {
      return health.error();
    }
    if (health.leaderId() == 0) {
      return "answers, but knows no leader: it cannot reach a quorum of its peers";
    }
    if (health.leaderId() != leaderId) {
      return "follows member " + Long.toHexString(health.leaderId()) + " at raft term " + health.raftTerm()
          + ", not the cluster's leader " + Long.toHexString(leaderId);
    }
    if (!health.errors().isEmpty()) {
      return "etcd reports " + String.join(", ", health.errors());
    }
    return null;
  }
}
