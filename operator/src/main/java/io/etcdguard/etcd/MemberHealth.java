package io.etcdguard.etcd;

import io.etcd.jetcd.maintenance.StatusResponse;
import java.net.URI;
import java.util.List;

/**
 * What one etcd member said about itself when asked for its Status (or why it could not be asked).
 *
 * @param memberId the member asked, from the member list
 * @param endpoint the client URL asked; null when the member has none (added, never started)
 * @param reachable true when it answered, false when it did not, null when it was not asked
 * @param error why it did not answer (one line), else null
 * @param leaderId the leader it follows, 0 when it knows none; 0 when it did not answer
 * @param learner what the member itself says (a learner that never started cannot say)
 * @param errors the alarms etcd lists in its Status ("NOSPACE"...), empty when none
 */
public record MemberHealth(long memberId, URI endpoint, Boolean reachable, String error, long leaderId,
                           long raftTerm, long raftIndex, long raftAppliedIndex, String version, boolean learner,
                           List<String> errors) {
  public MemberHealth {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  public static MemberHealth notAsked(long memberId) {
    return new MemberHealth(memberId, null, null, null, 0, 0, 0, 0, null, false, List.of());
  }

  public static MemberHealth unreachable(long memberId, URI endpoint, String error) {
    return new MemberHealth(memberId, endpoint, false, error, 0, 0, 0, 0, null, false, List.of());
  }

  /** A member's answer; an answer from another member than the one asked (a shared client URL) is no answer. */
  static MemberHealth answered(long memberId, URI endpoint, StatusResponse status) {
    long answeredBy = status.getHeader().getMemberId();
    if (answeredBy != memberId) {
      return unreachable(memberId, endpoint, "its client URL " + endpoint + " is served by member "
          + Long.toHexString(answeredBy) + ", not by this member");
    }
    return new MemberHealth(memberId, endpoint, true, null, status.getLeader(), status.getRaftTerm(),
        status.getRaftIndex(), status.getRaftAppliedIndex(), status.getVersion(), status.isLearner(),
        status.getErrorList());
  }

  public boolean answered() {
    return Boolean.TRUE.equals(reachable);
  }
}
