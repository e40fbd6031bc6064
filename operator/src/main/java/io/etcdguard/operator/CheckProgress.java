package io.etcdguard.operator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the reconcile loop is making progress, for the liveness probe: alive while no policy is known, or
 * while a check completed (its status persisted) within {@link #stallAfter()} of now. A fresh start counts as
 * progress, so the first checks have that long to complete.
 */
public final class CheckProgress {
  /** How many of the longest check interval may pass without a completed check. */
  public static final int INTERVALS_BEFORE_STALLED = 3;
  /** Never less than this: a check may take a request timeout (up to 65 s), a retry backoff up to 60 s. */
  public static final Duration MIN_STALL = Duration.ofMinutes(3);

  private final Clock clock;
  private final Map<String, Duration> intervals = new ConcurrentHashMap<>();
  private volatile Instant lastProgress;

  public CheckProgress(Clock clock) {
    this.clock = clock;
    this.lastProgress = clock.instant();
  }

  /** A reconciliation of this policy began; it will be checked every interval. */
  public void expect(String policy, Duration interval) {
    if (intervals.isEmpty()) {
      lastProgress = clock.instant(); // the wait starts when there is something to wait for
    }
    intervals.put(policy, interval);
  }

  /** A check of this policy completed and its status is persisted. */
  public void completed(String policy, Duration interval) {
    intervals.put(policy, interval);
    lastProgress = clock.instant();
  }

  public void forget(String policy) {
    intervals.remove(policy);
  }

  /** The longest time without a completed check that is still alive. */
  public Duration stallAfter() {
    Duration longest = intervals.values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
    Duration few = longest.multipliedBy(INTERVALS_BEFORE_STALLED);
    return few.compareTo(MIN_STALL) > 0 ? few : MIN_STALL;
  }

  public boolean alive() {
    return intervals.isEmpty() || !clock.instant().isAfter(lastProgress.plus(stallAfter()));
  }
}
