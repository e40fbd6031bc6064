package io.etcdguard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A policy's checks fall on its own slots (phase + k * interval): a fixed rate, policies spread over the interval. */
class CheckScheduleTest {
  static final Instant ORIGIN = Instant.parse("2026-11-30T12:00:00Z");

  /** The instant of the policy's k-th slot after ORIGIN's interval boundary. */
  static Instant slot(String name, Duration interval, long k) {
    long period = interval.toMillis();
    long base = ORIGIN.toEpochMilli() - Math.floorMod(ORIGIN.toEpochMilli(), period);
    return Instant.ofEpochMilli(base + CheckSchedule.phaseMillis(name, interval) + k * period);
  }

  @ParameterizedTest(name = "interval {0} ms, began {1} ms after its slot, took {2} ms -> the next slot")
  @CsvSource({
      // interval, began after its slot (waited for a thread), took
      "5000,    0,    0",
      "5000,    0,  600", // the drift this removes: not 5000 after the end
      "5000,  900,  600", // waited 0.9 s for a reconcile thread: still the next slot, not 5 s after
      "5000,    0, 4999",
      "30000, 250, 1200",
  })
  void aCheckOnItsSlotIsFollowedByTheNextSlotWhateverItTookAndWaited(long intervalMs, long waitedMs, long tookMs) {
    Duration interval = Duration.ofMillis(intervalMs);
    Instant began = slot("p-7", interval, 3).plusMillis(waitedMs);
    Instant ended = began.plusMillis(tookMs);

    Duration delay = CheckSchedule.nextCheckIn(interval, began, ended, "p-7");

    assertThat(ended.plus(delay)).isEqualTo(slot("p-7", interval, 4));
  }

  @ParameterizedTest(name = "interval {0} ms, an extra check {1} ms before a slot -> the slot after it")
  @CsvSource({
      "5000,  400", // less than a tenth of an interval before its slot: that slot is skipped
      "5000,    1",
  })
  void anExtraCheckJustBeforeASlotSkipsThatSlot(long intervalMs, long beforeMs) {
    Duration interval = Duration.ofMillis(intervalMs);
    Instant began = slot("p-7", interval, 3).minusMillis(beforeMs);

    assertThat(began.plus(CheckSchedule.nextCheckIn(interval, began, began, "p-7"))).isEqualTo(slot("p-7", interval, 4));
  }

  @Test
  void anExtraCheckWellBeforeASlotIsFollowedByThatSlot() {
    Duration interval = Duration.ofSeconds(5);
    Instant began = slot("p-7", interval, 3).minusMillis(2000); // a Node changed

    Instant ended = began.plusMillis(30);

    assertThat(ended.plus(CheckSchedule.nextCheckIn(interval, began, ended, "p-7")))
        .isEqualTo(slot("p-7", interval, 3));
  }

  @Test
  void aCheckLongerThanItsIntervalIsFollowedByTheNextSlotNotABurst() {
    Duration interval = Duration.ofSeconds(5);
    Instant began = slot("slow", interval, 0);
    Instant ended = began.plusSeconds(12); // a hung member, answered at its deadline

    Duration delay = CheckSchedule.nextCheckIn(interval, began, ended, "slow");

    assertThat(ended.plus(delay)).isEqualTo(slot("slow", interval, 3));
    assertThat(delay).isLessThan(interval);
  }

  @Test
  void theGapAfterAnyCheckIsAtLeastATenthAndAtMostOnePointOneIntervals() {
    Duration interval = Duration.ofSeconds(5);
    for (int offset = 0; offset < 5000; offset += 37) {
      Instant began = ORIGIN.plusMillis(offset);
      Duration delay = CheckSchedule.nextCheckIn(interval, began, began.plusMillis(20), "p-" + offset);
      long gap = Duration.between(began, began.plusMillis(20).plus(delay)).toMillis();
      assertThat(gap).as("offset %d", offset).isBetween(500L, 5500L);
    }
  }

  @Test
  void similarNamesAreSpreadOverTheInterval() {
    Duration interval = Duration.ofSeconds(5);
    List<Long> phases = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      phases.add(CheckSchedule.phaseMillis("bench-p-" + i, interval));
    }
    // 100 policies over 5 s is 10 per 500 ms on average; a hash of similar names must not bunch them
    for (long from = 0; from < 5000; from += 250) {
      long start = from;
      assertThat(phases.stream().filter(p -> p >= start && p < start + 500).count()).as("phases in [%d, %d) ms", from, from + 500)
          .isLessThanOrEqualTo(22);
    }
    assertThat(phases).allSatisfy(p -> assertThat(p).isBetween(0L, 4999L));
  }

  @Test
  void aClockThatWentBackwardsCountsAsACheckThatTookNoTime() {
    Duration interval = Duration.ofSeconds(5);
    Instant began = slot("p-7", interval, 3);
    Instant ended = began.minusSeconds(2);

    Duration delay = CheckSchedule.nextCheckIn(interval, began, ended, "p-7");

    assertThat(delay).as("the slot 2 s after the clock's new time, not one interval after the old").isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void anIntervalThatIsNotPositiveIsRefusedNamingIt() {
    assertThatThrownBy(() -> CheckSchedule.nextCheckIn(Duration.ZERO, ORIGIN, ORIGIN, "p"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("check interval").hasMessageContaining("PT0S");
  }
}
