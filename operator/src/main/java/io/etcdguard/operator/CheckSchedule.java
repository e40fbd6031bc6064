package io.etcdguard.operator;

import java.time.Duration;
import java.time.Instant;

/**
 * When a policy's next check is due. Each policy has its own place in the interval, its <em>slots</em>: the
 * instants {@code phase + k * interval} (epoch milliseconds), the phase drawn from its name. A check is followed by
 * the policy's next slot, at least a tenth of an interval after the check began. So:
 * <ul>
 *   <li>checks run at a fixed rate: a check that takes time (the members' answers, the status write) or waits for a
 *       reconcile thread does not push the next one back; a member changed just after a check is seen one interval
 *       later plus that check, not plus the accumulated delays;</li>
 *   <li>the policies of a cluster are spread over the interval instead of running in one burst (the start checks
 *       every policy at once, a Node change every policy that selects it): no queue on the reconcile threads, the
 *       API server and etcd, so none of them waits for the others;</li>
 *   <li>an extra check (a Node changed) returns to the slots, and the gap after any check is at most 1.1 intervals;
 *       a check as long as its interval or longer is followed at the next slot, never by a burst of catch-ups.</li>
 * </ul>
 * The phase is the same in every replica and across restarts (String hash, mixed).
 */
public final class CheckSchedule {
  private CheckSchedule() {
  }

  /** The delay from {@code ended} until the next check of {@code policyName}; never negative. */
  public static Duration nextCheckIn(Duration interval, Instant began, Instant ended, String policyName) {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("check interval must be positive, not " + interval);
    }
    long period = interval.toMillis();
    long endedMs = ended.toEpochMilli();
    long beganMs = Math.min(began.toEpochMilli(), endedMs); // a clock that went backwards: a check that took no time
    long earliest = Math.max(endedMs, beganMs + Math.max(1, period / 10));
    long next = earliest + Math.floorMod(phaseMillis(policyName, interval) - earliest, period);
    return Duration.ofMillis(next - endedMs);
  }

  /** The policy's offset in the interval, in [0, interval): its name's hash, mixed so that similar names spread. */
  static long phaseMillis(String policyName, Duration interval) {
    long z = policyName.hashCode();
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL; // murmur3's 64-bit finaliser
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    z ^= z >>> 33;
    return Math.floorMod(z, interval.toMillis());
  }
}
