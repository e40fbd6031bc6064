package io.etcdguard.classify;

import java.util.Map;
import java.util.Optional;

/**
 * What is known about the live membership, from asking each member itself (etcd Maintenance.status).
 * Optional input: in file mode, or before anyone asked, everything is unknown (null), and advice says
 * how to check instead of assuming.
 *
 * @param members per member ID (the unsigned ID held in a long)
 * @param voters voting members, or null when unknown
 * @param healthyVoters voting members that answered, or null
 * @param faultTolerance how many more voters can fail before quorum is lost, or null
 */
public record MembershipHealth(Map<Long, Member> members, Integer voters, Integer healthyVoters, Integer faultTolerance) {
  public MembershipHealth {
    members = Map.copyOf(members);
  }

  /**
   * One member's health; each fact may be unknown (null).
   *
   * @param reachable the member answered on one of its client URLs
   * @param leader it is the raft leader
   * @param learner it is a learner (no vote)
   */
  public record Member(Boolean reachable, Boolean leader, Boolean learner) {}

  public static MembershipHealth unknown() {
    return new MembershipHealth(Map.of(), null, null, null);
  }

  public Optional<Member> member(long id) {
    return Optional.ofNullable(members.get(id));
  }

  /** True or false when known, null when nobody asked the member. */
  public Boolean reachable(long id) {
    return member(id).map(Member::reachable).orElse(null);
  }
}
