package io.etcdguard.host;

/** A network interface: kernel index, name and the two link flags the node-IP detection looks at. */
public record NetInterface(int ifindex, String name, boolean up, boolean loopback) {
  public static final int IFF_UP = 0x1;
  public static final int IFF_LOOPBACK = 0x8;

  public static NetInterface fromFlags(int ifindex, String name, int flags) {
    return new NetInterface(ifindex, name, (flags & IFF_UP) != 0, (flags & IFF_LOOPBACK) != 0);
  }
}
