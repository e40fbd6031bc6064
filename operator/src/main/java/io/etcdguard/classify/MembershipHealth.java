package io.etcdguard.classify;

import java.util.Map;

/**
 * The health of an etcd membership, as its members answered for themselves (not as MemberList says: etcd
 * answers MemberList from its local copy even without quorum).
 *
 * @param members by member ID; a member that was not asked (no client URL) has {@code reachable} null
 * @param voters members that vote (not learners); null when health is unknown
 * @param healthyVoters voters that answered and follow the cluster's leader; null when unknown
 * @param faultTolerance how many more voters may fail before quorum is lost: {@code healthyVoters - (voters / 2
 *     + 1)}; negative means quorum is lost; null when unknown
 */
public record MembershipHealth(Map<Long, Member> members, Integer voters, Integer healthyVoters,
                               Integer faultTolerance) {
  public MembershipHealth {
    members = Map.copyOf(members);
  }

  /**
   * One member's own account.
   *
   * @param reachable true when it answered Status, false when asked and it did not (see {@code error}), null
   *     when not asked
   * @param lag how far its applied raft index is behind the leader's; null when either did not answer
   */
  public record Member(Boolean reachable, boolean leader, boolean learner, String error, Long raftTerm, Long lag,
                       String version) {
    /** Only what advice weighs: whether it answered, leads, or is a learner. */
    public Member(Boolean reachable, boolean leader, boolean learner) {
      this(reachable, leader, learner, null, null, null, null);
    }
  }

  /** Nothing is known: health was not observed (file mode, or a source that cannot ask members). */
  public static MembershipHealth unknown() {
    return new MembershipHealth(Map.of(), null, null, null);
  }

  public boolean known() {
    return faultTolerance != null;
  }

  /** Fewer healthy voters than a majority: etcd cannot commit anything, and its member list may be stale. */
  public boolean quorumLost() {
    return faultTolerance != null && faultTolerance < 0;
  }

  /** The member's health, or null when nothing is known about it. */
  public Member member(long id) {
    return members.get(id);
  }

  /** True or false when the member was asked, null when nobody asked it. */
  public Boolean reachable(long id) {
    Member m = members.get(id);
    return m == null ? null : m.reachable();
  }
}
