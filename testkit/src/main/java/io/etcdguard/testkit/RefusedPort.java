package io.etcdguard.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port that refuses every connection for as long as this is open: a socket bound to it that never
 * listens. A port found free and closed again (a {@code ServerSocket(0)} closed at once) can be taken by any
 * server that starts meanwhile, a test's in another fork for one, and then it answers, or hangs, instead of
 * refusing; this one cannot be taken until {@link #close()}.
 */
public final class RefusedPort implements AutoCloseable {
  private final Socket holder = new Socket();

  public RefusedPort() throws IOException {
    // Without SO_REUSEADDR no other socket can bind the port, not even one that asks for reuse.
    holder.setReuseAddress(false);
    holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  public int port() {
    return holder.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    holder.close();
  }
}
