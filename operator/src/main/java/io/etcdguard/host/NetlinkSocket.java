package io.etcdguard.host;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import io.etcdguard.host.NetlinkMessages.AddressMessage;
import io.etcdguard.host.NetlinkMessages.Batch;
import io.etcdguard.host.NetlinkMessages.LinkMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A NETLINK_ROUTE socket through libc (JNA): Java has no AF_NETLINK. Dumps need no privilege and no
 * capability; the socket is opened per dump and closed at once. Each dump is bounded: a receive timeout
 * and a maximum number of chunks.
 */
public final class NetlinkSocket implements NetlinkDumps {
  private static final int AF_NETLINK = 16;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int NETLINK_ROUTE = 0;
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVTIMEO = 20;
  private static final int SOCKADDR_NL_LENGTH = 12;
  private static final int RECEIVE_BUFFER = 64 * 1024;
  private static final int MAX_CHUNKS = 10_000;
  private static final int RECEIVE_TIMEOUT_SECONDS = 5;
  private static final AtomicInteger SEQUENCE = new AtomicInteger((int) (System.nanoTime() & 0x7fff_ffff));

  /** The few libc calls needed; loaded on first use, so the rest of the jar never touches JNA. */
  interface LibC extends Library {
    int socket(int domain, int type, int protocol) throws LastErrorException;

    int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

    NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength) throws LastErrorException;

    NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

    int close(int fd);
  }

  private static final class Holder {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  @Override
  public List<LinkMessage> links() {
    List<LinkMessage> links = new ArrayList<>();
    dump(seq -> NetlinkMessages.linkDumpRequest(seq, ByteOrder.nativeOrder()), batch -> links.addAll(batch.links()));
    return links;
  }

  @Override
  public List<AddressMessage> addresses() {
    List<AddressMessage> addresses = new ArrayList<>();
    dump(seq -> NetlinkMessages.addressDumpRequest(NetlinkMessages.AF_UNSPEC, seq, ByteOrder.nativeOrder()),
        batch -> addresses.addAll(batch.addresses()));
    return addresses;
  }

  private void dump(java.util.function.IntFunction<byte[]> request, java.util.function.Consumer<Batch> sink) {
    LibC libc = Holder.LIBC;
    int seq = SEQUENCE.incrementAndGet() & 0x7fff_ffff;
    int fd;
    try {
      fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    } catch (LastErrorException e) {
      throw new NetlinkUnavailableException("cannot open a NETLINK_ROUTE socket: errno " + e.getErrorCode(), e);
    }
    try {
      libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval(RECEIVE_TIMEOUT_SECONDS), Native.LONG_SIZE * 2);
      byte[] message = request.apply(seq);
      byte[] kernel = ByteBuffer.allocate(SOCKADDR_NL_LENGTH).order(ByteOrder.nativeOrder())
          .putShort((short) AF_NETLINK).array(); // nl_pid 0 and nl_groups 0: the kernel
      libc.sendto(fd, message, new NativeLong(message.length), 0, kernel, SOCKADDR_NL_LENGTH);
      byte[] buffer = new byte[RECEIVE_BUFFER];
      for (int chunk = 0; chunk < MAX_CHUNKS; chunk++) {
        int received = libc.recv(fd, buffer, new NativeLong(buffer.length), 0).intValue();
        if (received <= 0) {
          throw new NetlinkUnavailableException("netlink dump ended without NLMSG_DONE (recv returned " + received + ")", null);
        }
        Batch batch = NetlinkMessages.parse(buffer, received, seq, ByteOrder.nativeOrder());
        sink.accept(batch);
        if (batch.done()) {
          return;
        }
      }
      throw new NetlinkUnavailableException("netlink dump did not end within " + MAX_CHUNKS + " chunks", null);
    } catch (LastErrorException e) {
      throw new NetlinkUnavailableException("netlink dump failed: errno " + e.getErrorCode()
          + (e.getErrorCode() == 11 ? " (no answer within " + RECEIVE_TIMEOUT_SECONDS + " s)" : ""), e);
    } finally {
      libc.close(fd);
    }
  }

  private static byte[] timeval(int seconds) {
    ByteBuffer timeval = ByteBuffer.allocate(Native.LONG_SIZE * 2).order(ByteOrder.nativeOrder());
    if (Native.LONG_SIZE == 8) {
      timeval.putLong(seconds).putLong(0);
    } else {
      timeval.putInt(seconds).putInt(0);
    }
    return timeval.array();
  }

  /** Netlink could not be used here (no libc via JNA, socket refused, dump broken): the reader falls back to /proc. */
  public static final class NetlinkUnavailableException extends RuntimeException {
    public NetlinkUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
