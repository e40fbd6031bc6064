package io.etcdguard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdguard.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The next check is due one interval after this one began: the delay left after the check, never negative. */
class CheckScheduleTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));

  @ParameterizedTest(name = "interval {0} ms, check took {1} ms -> next in {2} ms")
  @CsvSource({
      // interval, took, delay
      "5000,    0, 5000", // an instant check: the whole interval
      "5000,  600, 4400", // the drift this removes: not 5000 after the end
      "5000, 4999,    1",
      "5000, 5000,    0", // a check as long as its interval is followed at once
      "5000, 12000,   0", // a longer one too, and no catch-up burst (the delay is never negative)
      "30000, 250, 29750",
  })
  void theDelayIsTheIntervalMinusWhatTheCheckTook(long intervalMs, long tookMs, long delayMs) {
    Instant began = clock.instant();
    clock.advance(Duration.ofMillis(tookMs));

    assertThat(CheckSchedule.nextCheckIn(Duration.ofMillis(intervalMs), began, clock.instant()))
        .isEqualTo(Duration.ofMillis(delayMs));
  }

  @Test
  void aClockThatWentBackwardsCountsAsACheckThatTookNoTime() {
    Instant began = clock.instant();
    Instant ended = began.minusSeconds(2);

    assertThat(CheckSchedule.nextCheckIn(Duration.ofSeconds(5), began, ended)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void anIntervalThatIsNotPositiveIsRefusedNamingIt() {
    assertThatThrownBy(() -> CheckSchedule.nextCheckIn(Duration.ZERO, clock.instant(), clock.instant()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("check interval").hasMessageContaining("PT0S");
  }
}
