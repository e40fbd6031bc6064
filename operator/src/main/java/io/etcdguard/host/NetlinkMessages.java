package io.etcdguard.host;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds rtnetlink dump requests and parses the replies (linux/netlink.h, linux/rtnetlink.h, linux/if_addr.h).
 * Pure: bytes in, records out, so that it is tested on captured dumps. Multi-byte fields are in the host's byte
 * order, which the caller passes ({@link ByteOrder#nativeOrder()} for a live socket).
 */
public final class NetlinkMessages {
  public static final int NLMSG_HDRLEN = 16;
  public static final int NLMSG_NOOP = 1;
  public static final int NLMSG_ERROR = 2;
  public static final int NLMSG_DONE = 3;
  public static final int NLM_F_REQUEST = 0x1;
  public static final int NLM_F_DUMP = 0x300;
  public static final int RTM_NEWLINK = 16;
  public static final int RTM_GETLINK = 18;
  public static final int RTM_NEWADDR = 20;
  public static final int RTM_GETADDR = 22;

  public static final int AF_UNSPEC = 0;
  public static final int AF_INET = 2;
  public static final int AF_INET6 = 10;

  static final int IFA_ADDRESS = 1;
  static final int IFA_LOCAL = 2;
  static final int IFA_LABEL = 3;
  static final int IFA_CACHEINFO = 6;
  static final int IFA_FLAGS = 8;
  static final int IFLA_IFNAME = 3;

  private static final int IFADDRMSG_LEN = 8;
  private static final int IFINFOMSG_LEN = 16;
  private static final int RTA_HDRLEN = 4;

  private NetlinkMessages() {}

  /** One RTM_NEWLINK message: index, name and the {@code IFF_*} flags. */
  public record LinkMessage(int ifindex, String name, int flags) {
    public NetInterface toInterface() {
      return NetInterface.fromFlags(ifindex, name, flags);
    }
  }

  /**
   * One RTM_NEWADDR message. {@code flags} is IFA_FLAGS when the kernel sent it (32 bits), else the 8-bit
   * {@code ifa_flags}. {@code preferred}/{@code valid} are the {@code ifa_cacheinfo} seconds (unsigned, 0xFFFFFFFF
   * = forever), or -1 when there was no IFA_CACHEINFO.
   */
  public record AddressMessage(int family, int prefixLength, int flags, int scope, int ifindex, byte[] address,
      String label, long preferred, long valid) {

    public HostAddress toHostAddress(Map<Integer, String> interfaceNames) {
      String name = interfaceNames.getOrDefault(ifindex, label != null ? label : "if" + ifindex);
      Lifetime validLifetime = valid < 0 ? Lifetime.UNKNOWN : Lifetime.fromKernel(valid);
      Lifetime preferredLifetime = preferred < 0 ? Lifetime.UNKNOWN : Lifetime.fromKernel(preferred);
      return new HostAddress(name, ifindex, Addresses.fromBytes(address), prefixLength, scope,
          AddressFlags.fromBits(flags), validLifetime, preferredLifetime);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof AddressMessage that && family == that.family && prefixLength == that.prefixLength
          && flags == that.flags && scope == that.scope && ifindex == that.ifindex && Arrays.equals(address, that.address)
          && java.util.Objects.equals(label, that.label) && preferred == that.preferred && valid == that.valid;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(family, prefixLength, flags, scope, ifindex, Arrays.hashCode(address), label, preferred, valid);
    }

    @Override
    public String toString() {
      return "AddressMessage[family=" + family + ", ifindex=" + ifindex + ", address=" + Addresses.text(Addresses.fromBytes(address))
          + "/" + prefixLength + ", flags=0x" + Integer.toHexString(flags) + ", scope=" + scope + "]";
    }
  }

  /** What one received chunk held; {@code done} once NLMSG_DONE arrived. */
  public record Batch(List<LinkMessage> links, List<AddressMessage> addresses, boolean done) {}

  /** The kernel answered NLMSG_ERROR. */
  public static final class NetlinkErrorException extends RuntimeException {
    private final int errno;

    public NetlinkErrorException(int errno, String message) {
      super(message);
      this.errno = errno;
    }

    public int errno() {
      return errno;
    }
  }

  /** An RTM_GETADDR dump request for {@code family} (AF_UNSPEC: both, IPv4 first). */
  public static byte[] addressDumpRequest(int family, int seq, ByteOrder order) {
    ByteBuffer buffer = header(NLMSG_HDRLEN + IFADDRMSG_LEN, RTM_GETADDR, seq, order);
    buffer.put((byte) family).put((byte) 0).put((byte) 0).put((byte) 0).putInt(0);
    return buffer.array();
  }

  /** An RTM_GETLINK dump request: every interface's index, name and flags. */
  public static byte[] linkDumpRequest(int seq, ByteOrder order) {
    ByteBuffer buffer = header(NLMSG_HDRLEN + IFINFOMSG_LEN, RTM_GETLINK, seq, order);
    buffer.put((byte) AF_UNSPEC).put((byte) 0).putShort((short) 0).putInt(0).putInt(0).putInt(0);
    return buffer.array();
  }

  private static ByteBuffer header(int length, int type, int seq, ByteOrder order) {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(order);
    buffer.putInt(length).putShort((short) type).putShort((short) (NLM_F_REQUEST | NLM_F_DUMP)).putInt(seq).putInt(0);
    return buffer;
  }

  /**
   * Parses one received chunk ({@code length} bytes of {@code data}). Messages of another sequence number are
   * skipped; a truncated message or attribute is an {@link IllegalArgumentException} naming the offset.
   */
  public static Batch parse(byte[] data, int length, int expectedSeq, ByteOrder order) {
    ByteBuffer buffer = ByteBuffer.wrap(data, 0, length).order(order);
    List<LinkMessage> links = new ArrayList<>();
    List<AddressMessage> addresses = new ArrayList<>();
    boolean done = false;
    int offset = 0;
    while (offset + NLMSG_HDRLEN <= length && !done) {
      int messageLength = buffer.getInt(offset);
      int type = Short.toUnsignedInt(buffer.getShort(offset + 4));
      int seq = buffer.getInt(offset + 8);
      if (messageLength < NLMSG_HDRLEN || offset + messageLength > length) {
        throw new IllegalArgumentException("netlink message at offset " + offset + " claims " + messageLength
            + " bytes, " + (length - offset) + " left");
      }
      if (seq == expectedSeq) {
        int payload = offset + NLMSG_HDRLEN;
        int payloadEnd = offset + messageLength;
        switch (type) {
          case NLMSG_DONE -> done = true;
          case NLMSG_ERROR -> {
            int error = buffer.getInt(payload);
            if (error != 0) {
              throw new NetlinkErrorException(-error, "netlink request " + expectedSeq + " failed: errno " + (-error));
            }
          }
          case RTM_NEWADDR -> addresses.add(parseAddress(buffer, payload, payloadEnd));
          case RTM_NEWLINK -> links.add(parseLink(buffer, payload, payloadEnd));
          default -> { /* NLMSG_NOOP and anything else: nothing to read */ }
        }
      }
      offset += align(messageLength);
    }
    return new Batch(links, addresses, done);
  }

  private static AddressMessage parseAddress(ByteBuffer buffer, int start, int end) {
    requireRoom(start, IFADDRMSG_LEN, end, "ifaddrmsg");
    int family = Byte.toUnsignedInt(buffer.get(start));
    int prefixLength = Byte.toUnsignedInt(buffer.get(start + 1));
    int flags = Byte.toUnsignedInt(buffer.get(start + 2));
    int scope = Byte.toUnsignedInt(buffer.get(start + 3));
    int ifindex = buffer.getInt(start + 4);
    byte[] address = null;
    byte[] local = null;
    String label = null;
    long preferred = -1;
    long valid = -1;
    int offset = start + IFADDRMSG_LEN;
    while (offset + RTA_HDRLEN <= end) {
      int attributeLength = Short.toUnsignedInt(buffer.getShort(offset));
      int attributeType = Short.toUnsignedInt(buffer.getShort(offset + 2)) & 0x3fff;
      if (attributeLength < RTA_HDRLEN || offset + attributeLength > end) {
        throw new IllegalArgumentException("rtattr at offset " + offset + " claims " + attributeLength + " bytes");
      }
      int value = offset + RTA_HDRLEN;
      int valueLength = attributeLength - RTA_HDRLEN;
      switch (attributeType) {
        case IFA_ADDRESS -> address = bytes(buffer, value, valueLength);
        case IFA_LOCAL -> local = bytes(buffer, value, valueLength);
        case IFA_LABEL -> label = cString(buffer, value, valueLength);
        case IFA_FLAGS -> {
          requireRoom(value, 4, offset + attributeLength, "IFA_FLAGS");
          flags = buffer.getInt(value);
        }
        case IFA_CACHEINFO -> {
          requireRoom(value, 8, offset + attributeLength, "IFA_CACHEINFO");
          preferred = Integer.toUnsignedLong(buffer.getInt(value));
          valid = Integer.toUnsignedLong(buffer.getInt(value + 4));
        }
        default -> { /* broadcast, anycast, multicast, protocol: not needed */ }
      }
      offset += align(attributeLength);
    }
    // Like iproute2 and Go's net package: IFA_LOCAL is the interface's own address (IFA_ADDRESS is the peer on
    // a point-to-point link); IPv6 sends IFA_ADDRESS only.
    byte[] own = local != null ? local : address;
    if (own == null || (own.length != 4 && own.length != 16)) {
      throw new IllegalArgumentException("RTM_NEWADDR for ifindex " + ifindex + " has no usable IFA_LOCAL/IFA_ADDRESS");
    }
    return new AddressMessage(family, prefixLength, flags, scope, ifindex, own, label, preferred, valid);
  }

  private static LinkMessage parseLink(ByteBuffer buffer, int start, int end) {
    requireRoom(start, IFINFOMSG_LEN, end, "ifinfomsg");
    int ifindex = buffer.getInt(start + 4);
    int flags = buffer.getInt(start + 8);
    String name = null;
    int offset = start + IFINFOMSG_LEN;
    while (offset + RTA_HDRLEN <= end) {
      int attributeLength = Short.toUnsignedInt(buffer.getShort(offset));
      int attributeType = Short.toUnsignedInt(buffer.getShort(offset + 2)) & 0x3fff;
      if (attributeLength < RTA_HDRLEN || offset + attributeLength > end) {
        throw new IllegalArgumentException("rtattr at offset " + offset + " claims " + attributeLength + " bytes");
      }
      if (attributeType == IFLA_IFNAME) {
        name = cString(buffer, offset + RTA_HDRLEN, attributeLength - RTA_HDRLEN);
      }
      offset += align(attributeLength);
    }
    return new LinkMessage(ifindex, name == null ? "if" + ifindex : name, flags);
  }

  private static void requireRoom(int offset, int needed, int end, String what) {
    if (offset + needed > end) {
      throw new IllegalArgumentException(what + " at offset " + offset + " needs " + needed + " bytes, " + (end - offset) + " left");
    }
  }

  private static byte[] bytes(ByteBuffer buffer, int offset, int length) {
    byte[] bytes = new byte[length];
    try {
      buffer.get(offset, bytes);
    } catch (IndexOutOfBoundsException | BufferUnderflowException e) {
      throw new IllegalArgumentException("attribute at offset " + offset + " runs past the message", e);
    }
    return bytes;
  }

  private static String cString(ByteBuffer buffer, int offset, int length) {
    byte[] bytes = bytes(buffer, offset, length);
    int end = 0;
    while (end < bytes.length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  static int align(int length) {
    return (length + 3) & ~3;
  }
}
