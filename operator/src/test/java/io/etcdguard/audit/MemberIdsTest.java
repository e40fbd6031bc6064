package io.etcdguard.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdguard.audit.MemberIds.IdException;
import io.etcdguard.audit.MemberIds.Notation;
import io.etcdguard.audit.MemberIds.RawId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The member-ID rule: JSON numbers are decimal, strings are hex unless they can only be decimal; never a guess. */
class MemberIdsTest {

  static RawId number(String digits) {
    return new RawId("members[0].ID", digits, true);
  }

  static RawId string(String text) {
    return new RawId("members[0].ID", text, false);
  }

  static List<RawId> strings(String... texts) {
    return Arrays.stream(texts).map(MemberIdsTest::string).toList();
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @CsvSource(delimiter = '|', value = {
      // what the file shows                          | the ID      | expected unsigned value (hex)
      "etcdctl -w json: number                         | #1234       | 4d2",
      "etcdctl -w json: number above Long.MAX_VALUE    | #18249187646912138824 | fd422379fda50e48",
      "etcdctl --hex: hex string with letters          | 8e9e05c52164694d | 8e9e05c52164694d",
      "0x prefix is hex                                | 0x1234      | 1234",
      "gateway: 19-digit decimal string                | 9372538179322589801 | 8211f1d0f64f3269",
      "gateway: 20-digit decimal string                | 18249187646912138824 | fd422379fda50e48"})
  void unambiguousIdsAreRead(String title, String id, String expectedHex) throws IdException {
    RawId raw = id.startsWith("#") ? number(id.substring(1)) : string(id);
    long value = MemberIds.parse(raw, MemberIds.notationOf(List.of(raw)));
    assertThat(Long.toHexString(value)).isEqualTo(expectedHex);
  }

  @Test
  void digitsOnlyStringFollowsTheHexStringsOfItsFile() throws IdException {
    Notation notation = MemberIds.notationOf(strings("8e9e05c52164694d", "1234"));
    assertThat(notation).isEqualTo(Notation.HEX);
    assertThat(MemberIds.parse(string("1234"), notation)).isEqualTo(0x1234L);
  }

  @Test
  void digitsOnlyStringFollowsTheDecimalStringsOfItsFile() throws IdException {
    Notation notation = MemberIds.notationOf(strings("9372538179322589801", "1234"));
    assertThat(notation).isEqualTo(Notation.DECIMAL);
    assertThat(MemberIds.parse(string("1234"), notation)).isEqualTo(1234L);
  }

  @Test
  void decimalLookingStringAloneIsRefusedNotGuessed() throws IdException {
    Notation notation = MemberIds.notationOf(strings("1234"));
    assertThat(notation).isEqualTo(Notation.UNKNOWN);
    assertThatThrownBy(() -> MemberIds.parse(string("1234"), notation))
        .isInstanceOf(IdException.class)
        .hasMessage("members[0].ID: \"1234\" is ambiguous (decimal or hex?); no other ID in the file tells: "
            + "write it as a JSON number for decimal or as \"0x1234\" for hex");
  }

  @Test
  void fileMixingHexAndDecimalStringsIsRefused() {
    assertThatThrownBy(() -> MemberIds.notationOf(strings("8e9e05c52164694d", "9372538179322589801")))
        .isInstanceOf(IdException.class).hasMessageContaining("is a decimal string but").hasMessageContaining("hex string");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "negative number          | #-5                    | -5 is outside the unsigned 64-bit range",
      "number past 2^64-1       | #18446744073709551616  | 18446744073709551616 is outside the unsigned 64-bit range",
      "17 hex digits            | 8e9e05c52164694d0      | expected an unsigned 64-bit ID",
      "21 digits                | 123456789012345678901  | expected an unsigned 64-bit ID",
      "not hex                  | member-1               | expected an unsigned 64-bit ID",
      "empty                    | ''                     | expected an unsigned 64-bit ID",
      "decimal string too large | 18446744073709551616   | outside the unsigned 64-bit range"})
  void badIdsAreRefusedNamingTheField(String title, String id, String expected) {
    RawId raw = id.startsWith("#") ? number(id.substring(1)) : string(id);
    assertThatThrownBy(() -> MemberIds.parse(raw, MemberIds.notationOf(List.of(raw))))
        .isInstanceOf(IdException.class).hasMessageStartingWith("members[0].ID: ").hasMessageContaining(expected);
  }
}
