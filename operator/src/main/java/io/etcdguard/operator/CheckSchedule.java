package io.etcdguard.operator;

import java.time.Duration;
import java.time.Instant;

/**
 * When a policy's next check is due: one interval after this check <em>began</em>, not after it ended. A check
 * takes time (the members' answers, the status write), and a delay of a whole interval after its end would let
 * every round start that much later than the one before, and later again by each wait for a free reconcile
 * thread: at a 5 s interval and a 0.6 s check a member changed just after a check was seen 5.6 s later, not 5 s.
 * A check that took as long as its interval or longer is followed at once (never a negative delay), not by a
 * burst of catch-up checks.
 */
public final class CheckSchedule {
  private CheckSchedule() {
  }

  /**
   * The delay from {@code ended} until the next check: {@code interval} minus the time the check took, at least
   * zero. A clock that went backwards (ended before began) counts as a check that took no time.
   */
  public static Duration nextCheckIn(Duration interval, Instant began, Instant ended) {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("check interval must be positive, not " + interval);
    }
    Duration took = Duration.between(began, ended);
    if (took.isNegative()) {
      return interval;
    }
    Duration left = interval.minus(took);
    return left.isNegative() ? Duration.ZERO : left;
  }
}
