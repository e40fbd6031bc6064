package io.etcdguard.operator;

import io.etcdguard.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The liveness rule: alive without policies, and while checks complete within a few intervals. */
class CheckProgressTest {
  final MutableClock clock =
      new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
  final CheckProgress progress = new CheckProgress(clock);

  @Test
  void withoutPoliciesTheLoopIsAliveHoweverLongNothingRuns() {
    clock.advance(Duration.ofHours(5));
    assertThat(progress.alive()).isTrue();
  }

  @Test
  void aFreshStartHasAFewIntervalsForTheFirstCheck() {
    clock.advance(Duration.ofHours(1)); // idle, no policy
    progress.expect("p", Duration.ofMinutes(2));
    clock.advance(Duration.ofMinutes(5));
    assertThat(progress.alive()).as("within 3 x 2 min of the policy's arrival").isTrue();
    clock.advance(Duration.ofMinutes(1).plusSeconds(1));
    assertThat(progress.alive()).as("no check completed in 3 intervals").isFalse();
  }

  @Test
  void checksThatStopCompletingMakeTheProbeFailAfterTheMinimumForShortIntervals() {
    progress.completed("p", Duration.ofSeconds(30));
    clock.advance(CheckProgress.MIN_STALL);
    assertThat(progress.alive()).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(progress.alive()).isFalse();

    progress.completed("p", Duration.ofSeconds(30));
    assertThat(progress.alive()).as("a completed check revives it").isTrue();
  }

  @Test
  void aDeletedLastPolicyLeavesNothingToWaitFor() {
    progress.expect("p", Duration.ofSeconds(30));
    clock.advance(Duration.ofHours(1));
    progress.forget("p");
    assertThat(progress.alive()).isTrue();
  }
}
