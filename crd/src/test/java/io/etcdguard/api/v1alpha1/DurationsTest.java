package io.etcdguard.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The duration format of the CRD (checkInterval, dialTimeout) and of the CLI's duration flags: Go-style
 * number+unit pairs, fractions included, as {@code time.ParseDuration} reads them. Why this is not
 * fabric8's {@code Duration.parse}: docs/development.md, "Durations".
 */
class DurationsTest {

  static Stream<Arguments> goStyleDurations() {
    return Stream.of(
        Arguments.of("30s", Duration.ofSeconds(30)),
        Arguments.of("500ms", Duration.ofMillis(500)),
        Arguments.of("4999ms", Duration.ofMillis(4_999)),
        Arguments.of("1.5s", Duration.ofMillis(1_500)),
        Arguments.of("1.05s", Duration.ofMillis(1_050)),
        Arguments.of("0.5m", Duration.ofSeconds(30)),
        Arguments.of("2.25h", Duration.ofMinutes(135)),
        Arguments.of("1m30s", Duration.ofSeconds(90)),
        Arguments.of("1s500ms", Duration.ofMillis(1_500)),
        Arguments.of("1h2m3s", Duration.ofSeconds(3_723)),
        Arguments.of("10m", Duration.ofMinutes(10)),
        Arguments.of("0s", Duration.ZERO));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("goStyleDurations")
  void parsesGoStyleDurationsIncludingFractions(String text, Duration expected) {
    assertThat(Durations.parse("spec.checkInterval", text)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} matches the CRD's pattern")
  @MethodSource("goStyleDurations")
  void whatItParsesIsWhatTheCrdPatternAdmits(String text, Duration ignored) {
    assertThat(text).matches(Durations.PATTERN);
  }

  @ParameterizedTest(name = "''{0}'' is rejected")
  @NullAndEmptySource
  @ValueSource(strings = {"30", "1.5", "s", "-5s", "+5s", "1d", "5us", "1 s", " 30s", "30S", ".5s", "1.s", "PT30S"})
  void rejectsWhatIsNotAGoStyleDurationNamingTheField(String text) {
    assertThatThrownBy(() -> Durations.parse("spec.etcd.dialTimeout", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("spec.etcd.dialTimeout: '" + text + "'")
        .hasMessageContaining("is not a duration such as 30s, 2m or 1m30s");
  }

  /**
   * Why fabric8's {@code io.fabric8.kubernetes.api.model.Duration} is not used although it is on the
   * classpath: its parser drops the decimal point, so "1.5s" is 5 s and "2.25h" is 25 h, where Go (and the
   * API server's users) read 1.5 s and 2 h 15 min. Should a fabric8 upgrade fix it, this test fails: then
   * adopting it can be reconsidered.
   */
  @ParameterizedTest(name = "fabric8 reads {0} as {1}")
  @MethodSource("fabric8Misreadings")
  void fabric8DurationMisreadsFractionsWhichIsWhyItIsNotUsed(String text, Duration fabric8Reads, Duration goReads)
      throws Exception {
    assertThat(io.fabric8.kubernetes.api.model.Duration.parse(text).getDuration()).isEqualTo(fabric8Reads);
    assertThat(Durations.parse("spec.checkInterval", text)).isEqualTo(goReads);
  }

  static Stream<Arguments> fabric8Misreadings() {
    return Stream.of(
        Arguments.of("1.5s", Duration.ofSeconds(5), Duration.ofMillis(1_500)),
        Arguments.of("0.5m", Duration.ofMinutes(5), Duration.ofSeconds(30)),
        Arguments.of("2.25h", Duration.ofHours(25), Duration.ofMinutes(135)));
  }
}
