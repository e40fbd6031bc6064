package io.etcdguard.classify;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The health of an etcd membership, as its members answered for themselves (not as MemberList says: etcd
 * answers MemberList from its local copy even without quorum), and which of its healthy voters are about to
 * fail ({@link AtRiskVoters}).
 *
 * @param members by member ID; a member that was not asked (no client URL) has {@code reachable} null
 * @param voters members that vote (not learners); null when health is unknown
 * @param healthyVoters voters that answered and follow the cluster's leader; null when unknown
 * @param faultTolerance how many more voters may fail before quorum is lost: {@code healthyVoters - (voters / 2
 *     + 1)}; negative means quorum is lost; null when unknown
 * @param atRisk healthy voters that are expected to fail (their peer address expires or is gone, or their next
 *     start is predicted to fail), by member ID, with why; empty when none or unknown
 */
public record MembershipHealth(Map<Long, Member> members, Integer voters, Integer healthyVoters,
                               Integer faultTolerance, Map<Long, String> atRisk) {
  public MembershipHealth {
    members = Map.copyOf(members);
    atRisk = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(atRisk));
  }

  /** Health as the members answered, before anything is known about addresses that expire. */
  public MembershipHealth(Map<Long, Member> members, Integer voters, Integer healthyVoters, Integer faultTolerance) {
    this(members, voters, healthyVoters, faultTolerance, Map.of());
  }

  /**
   * One member's own account.
   *
   * @param reachable true when it answered Status, false when asked and it did not (see {@code error}), null
   *     when not asked
   * @param lag how far its applied raft index is behind the leader's; null when either did not answer
   * @param healthyVoter a voter that answered and follows the cluster's leader: it counts towards quorum
   */
  public record Member(Boolean reachable, boolean leader, boolean learner, String error, Long raftTerm, Long lag,
                       String version, boolean healthyVoter) {
    /** A member whose answer, if any, follows the cluster's leader. */
    public Member(Boolean reachable, boolean leader, boolean learner, String error, Long raftTerm, Long lag,
        String version) {
      this(reachable, leader, learner, error, raftTerm, lag, version, Boolean.TRUE.equals(reachable) && !learner);
    }

    /** Only what advice weighs: whether it answered, leads, or is a learner. */
    public Member(Boolean reachable, boolean leader, boolean learner) {
      this(reachable, leader, learner, null, null, null, null);
    }
  }

  /** Nothing is known: health was not observed (file mode, or a source that cannot ask members). */
  public static MembershipHealth unknown() {
    return new MembershipHealth(Map.of(), null, null, null);
  }

  /** The same health with the healthy voters that are expected to fail. */
  public MembershipHealth withAtRisk(Map<Long, String> atRiskVoters) {
    return new MembershipHealth(members, voters, healthyVoters, faultTolerance, atRiskVoters);
  }

  public boolean known() {
    return faultTolerance != null;
  }

  /** Fewer healthy voters than a majority: etcd cannot commit anything, and its member list may be stale. */
  public boolean quorumLost() {
    return faultTolerance != null && faultTolerance < 0;
  }

  /** How many healthy voters are expected to fail; null when health is unknown. */
  public Integer atRiskVoters() {
    return known() ? atRisk.size() : null;
  }

  /**
   * The fault tolerance once the at-risk voters have failed: {@code faultTolerance - atRiskVoters}; 0 means the
   * cluster will have no margin left, negative that it will lose quorum. Null when health is unknown.
   */
  public Integer faultToleranceAfterExpiry() {
    return known() ? faultTolerance - atRisk.size() : null;
  }

  /**
   * The margin for an operation on one member (moving or restarting it): the fault tolerance, minus the
   * <em>other</em> voters at risk (the member itself is the one being acted on). Null when unknown.
   */
  public Integer marginFor(long memberId) {
    if (!known()) {
      return null;
    }
    return faultTolerance - (int) atRisk.keySet().stream().filter(id -> id != memberId).count();
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
