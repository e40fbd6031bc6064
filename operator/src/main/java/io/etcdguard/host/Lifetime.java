package io.etcdguard.host;

/**
 * A valid or preferred lifetime of an address, in seconds from the moment it was read. Three cases are kept
 * apart: {@link Kind#FOREVER} (the kernel's 0xFFFFFFFF, e.g. a static address), {@link Kind#FINITE} (seconds
 * left), and {@link Kind#UNKNOWN} (read from /proc, which has no lifetimes), where {@code seconds} is an upper
 * bound when one is known (a temporary address lives at most {@code temp_valid_lft}) and null otherwise.
 */
public record Lifetime(Kind kind, Long seconds) {
  /** rtnetlink's "infinity" in {@code struct ifa_cacheinfo}. */
  public static final long INFINITY = 0xFFFF_FFFFL;

  public enum Kind { FOREVER, FINITE, UNKNOWN }

  public static final Lifetime FOREVER = new Lifetime(Kind.FOREVER, null);
  public static final Lifetime UNKNOWN = new Lifetime(Kind.UNKNOWN, null);

  public Lifetime {
    if (kind == null) {
      throw new IllegalArgumentException("kind is required");
    }
    if (kind == Kind.FINITE && (seconds == null || seconds < 0)) {
      throw new IllegalArgumentException("a finite lifetime needs seconds >= 0, got " + seconds);
    }
    if (kind == Kind.FOREVER && seconds != null) {
      throw new IllegalArgumentException("a forever lifetime has no seconds");
    }
  }

  public static Lifetime seconds(long seconds) {
    return new Lifetime(Kind.FINITE, seconds);
  }

  /** Unknown, but not longer than {@code bound} seconds. */
  public static Lifetime atMost(long bound) {
    return new Lifetime(Kind.UNKNOWN, bound);
  }

  /** From an {@code ifa_cacheinfo} field (unsigned 32-bit). */
  public static Lifetime fromKernel(long unsignedSeconds) {
    return unsignedSeconds == INFINITY ? FOREVER : seconds(unsignedSeconds);
  }

  public boolean known() {
    return kind != Kind.UNKNOWN;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case FOREVER -> "forever";
      case FINITE -> seconds + "s";
      case UNKNOWN -> seconds == null ? "unknown" : "unknown (at most " + seconds + "s)";
    };
  }
}
