package io.etcdguard.host;

/**
 * The kernel's per-address flags (linux/if_addr.h, {@code IFA_F_*}). rtnetlink gives all 32 bits;
 * {@code /proc/net/if_inet6} only the low 8, so {@code mngtmpaddr}, {@code noprefixroute} and
 * {@code stablePrivacy} are always false when read from there.
 */
public record AddressFlags(
    boolean temporary,
    boolean nodad,
    boolean optimistic,
    boolean dadfailed,
    boolean deprecated,
    boolean tentative,
    boolean permanent,
    boolean mngtmpaddr,
    boolean noprefixroute,
    boolean stablePrivacy) {

  public static final int IFA_F_TEMPORARY = 0x01;
  public static final int IFA_F_NODAD = 0x02;
  public static final int IFA_F_OPTIMISTIC = 0x04;
  public static final int IFA_F_DADFAILED = 0x08;
  public static final int IFA_F_HOMEADDRESS = 0x10;
  public static final int IFA_F_DEPRECATED = 0x20;
  public static final int IFA_F_TENTATIVE = 0x40;
  public static final int IFA_F_PERMANENT = 0x80;
  public static final int IFA_F_MNGTMPADDR = 0x100;
  public static final int IFA_F_NOPREFIXROUTE = 0x200;
  public static final int IFA_F_STABLE_PRIVACY = 0x800;

  public static final AddressFlags NONE = fromBits(0);

  public static AddressFlags fromBits(int bits) {
    return new AddressFlags(
        (bits & IFA_F_TEMPORARY) != 0,
        (bits & IFA_F_NODAD) != 0,
        (bits & IFA_F_OPTIMISTIC) != 0,
        (bits & IFA_F_DADFAILED) != 0,
        (bits & IFA_F_DEPRECATED) != 0,
        (bits & IFA_F_TENTATIVE) != 0,
        (bits & IFA_F_PERMANENT) != 0,
        (bits & IFA_F_MNGTMPADDR) != 0,
        (bits & IFA_F_NOPREFIXROUTE) != 0,
        (bits & IFA_F_STABLE_PRIVACY) != 0);
  }
}
