package io.etcdguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdguard.api.v1alpha1.Durations;
import io.etcdguard.operator.GuardOperator;
import io.etcdguard.policy.Defaults;
import org.junit.jupiter.api.Test;

/** picocli needs its defaults as constant strings: they say what {@link Defaults} says. */
class CliDefaultsTest {
  @Test
  void theDnsTimeoutFlagDefaultsToTheEngineDefault() {
    assertThat(Durations.parse("--dns-timeout", CheckInputs.DEFAULT_DNS_TIMEOUT)).isEqualTo(Defaults.DNS_TIMEOUT);
  }

  @Test
  void theLeaseFlagsDefaultToTheOperatorDefaults() {
    assertThat(new GuardOperator.LeaseTimings(Durations.parse("--lease-duration", OperatorCommand.DEFAULT_LEASE_DURATION),
        Durations.parse("--renew-deadline", OperatorCommand.DEFAULT_RENEW_DEADLINE),
        Durations.parse("--retry-period", OperatorCommand.DEFAULT_RETRY_PERIOD)))
        .isEqualTo(GuardOperator.LeaseTimings.DEFAULT);
  }
}
