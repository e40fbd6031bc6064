package io.etcdguard.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdguard.operator.GuardOperator.LeaseTimings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** fabric8's (and client-go's) rules for lease timings, checked before the elector would refuse them. */
class LeaseTimingsTest {
  @Test
  void theDefaultsLetANewLeaderTakeOverWellWithinTenSeconds() {
    assertThat(LeaseTimings.DEFAULT.worstTakeover()).isEqualTo(Duration.ofMillis(7_200));
  }

  @Test
  void theLeaseMustOutlastTheRenewDeadline() {
    assertThatThrownBy(() -> new LeaseTimings(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .hasMessage("lease timings: leaseDuration (PT5S) must be longer than renewDeadline (PT5S)");
  }

  @Test
  void theRenewDeadlineMustOutlastAJitteredRetry() {
    assertThatThrownBy(() -> new LeaseTimings(Duration.ofSeconds(10), Duration.ofSeconds(6), Duration.ofSeconds(5)))
        .hasMessage("lease timings: renewDeadline (PT6S) must be longer than retryPeriod (PT5S) * 1.2");
    assertThat(new LeaseTimings(Duration.ofSeconds(10), Duration.ofMillis(6_001), Duration.ofSeconds(5)).renewDeadline())
        .isEqualTo(Duration.ofMillis(6_001));
  }

  @Test
  void theRetryPeriodMustBePositive() {
    assertThatThrownBy(() -> new LeaseTimings(Duration.ofSeconds(10), Duration.ofSeconds(6), Duration.ZERO))
        .hasMessage("lease timings: retryPeriod (PT0S) must be positive");
  }
}
