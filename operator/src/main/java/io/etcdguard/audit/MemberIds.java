package io.etcdguard.audit;

import java.math.BigInteger;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a member file writes its 64-bit IDs, decided once per file.
 *
 * <ul>
 *   <li>A JSON number is decimal: `etcdctl member list -w json` prints IDs that way.
 *   <li>A string starting with {@code 0x} is hex.
 *   <li>A string with a letter a-f is hex: `etcdctl --hex` prints IDs as unpadded hex strings.
 *   <li>A string of 17 to 20 digits is decimal: etcd's JSON gateway ({@code /v3/cluster/member/list}) quotes
 *       64-bit numbers, and no 64-bit hex ID has more than 16 digits.
 *   <li>A string of at most 16 digits could be either. It follows the other string IDs of the same file
 *       (header.cluster_id, header.member_id, members[].ID); if none of them tells, it is refused rather than
 *       guessed, and a file that mixes hex and decimal strings is refused too.
 * </ul>
 */
public final class MemberIds {
  static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,20}");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{1,16}");
  private static final Pattern PREFIXED_HEX = Pattern.compile("0[xX][0-9a-fA-F]{1,16}");

  /** A raw ID as the file wrote it: a JSON number's digits or a string's text. */
  public record RawId(String field, String text, boolean number) {}

  /** The notation of a file's digits-only strings, from what its other IDs show. */
  public enum Notation { HEX, DECIMAL, UNKNOWN }

  private MemberIds() {}

  /** What a single string ID shows about its file's notation (UNKNOWN when it could be either). */
  static Notation evidence(RawId id) {
    if (id.number() || PREFIXED_HEX.matcher(id.text()).matches()) {
      return Notation.UNKNOWN; // self-describing: says nothing about the bare strings
    }
    if (DIGITS.matcher(id.text()).matches()) {
      return id.text().length() > 16 ? Notation.DECIMAL : Notation.UNKNOWN;
    }
    return HEX.matcher(id.text()).matches() ? Notation.HEX : Notation.UNKNOWN;
  }

  /** The notation all of a file's string IDs share; refuses a file that mixes them. */
  public static Notation notationOf(List<RawId> ids) throws IdException {
    RawId hex = null;
    RawId decimal = null;
    for (RawId id : ids) {
      switch (evidence(id)) {
        case HEX -> hex = hex == null ? id : hex;
        case DECIMAL -> decimal = decimal == null ? id : decimal;
        default -> { }
      }
    }
    if (hex != null && decimal != null) {
      throw new IdException(decimal.field() + ": \"" + decimal.text() + "\" is a decimal string but " + hex.field()
          + " is the hex string \"" + hex.text() + "\"; write IDs one way (JSON numbers, or the hex strings of `etcdctl --hex`)");
    }
    return hex != null ? Notation.HEX : decimal != null ? Notation.DECIMAL : Notation.UNKNOWN;
  }

  /** The ID as an unsigned 64-bit value held in a long (same bit pattern). */
  public static long parse(RawId id, Notation notation) throws IdException {
    String text = id.text();
    BigInteger value;
    if (id.number()) {
      value = new BigInteger(text);
    } else if (PREFIXED_HEX.matcher(text).matches()) {
      value = new BigInteger(text.substring(2), 16);
    } else if (DIGITS.matcher(text).matches() && (text.length() > 16 || notation == Notation.DECIMAL)) {
      value = new BigInteger(text);
    } else if (HEX.matcher(text).matches() && (!DIGITS.matcher(text).matches() || notation == Notation.HEX)) {
      value = new BigInteger(text, 16);
    } else if (DIGITS.matcher(text).matches()) {
      throw new IdException(id.field() + ": \"" + text + "\" is ambiguous (decimal or hex?); no other ID in the file tells: "
          + "write it as a JSON number for decimal or as \"0x" + text + "\" for hex");
    } else {
      throw new IdException(id.field() + ": expected an unsigned 64-bit ID (a JSON number, or a hex string as `etcdctl --hex` "
          + "prints), found \"" + abbreviate(text) + "\"");
    }
    if (value.signum() < 0 || value.compareTo(UINT64_MAX) > 0) {
      throw new IdException(id.field() + ": " + abbreviate(text) + " is outside the unsigned 64-bit range");
    }
    return value.longValue(); // keeps the bit pattern: the long is read back as unsigned
  }

  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }

  /** A member ID the file does not write in a way that can be read without guessing. */
  public static final class IdException extends Exception {
    IdException(String message) {
      super(message);
    }
  }
}
